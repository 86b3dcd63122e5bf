import type { Block } from '../extract/block';
import { matchBoilerplate, stripInline, type Rules } from '../rules/rules';
import { collapseSpaces, normalizeChars, stripPinyin } from '../text/chars';
import type { Cleaning, Item } from './items';

const LEAKED_MARKUP =
  /([?？]?\s*<?\/(?:a|span|div|p|li|font|strong|b)>|<\/?(?:a|span|div|p|li|font|strong|b|img|br)\b[^>]{0,200}>?|&(?:nbsp|lt|gt|amp|quot|#\d+);|\bhref\s*=\s*["']?[^\s"'>]*["']?)/gi;
/** Every leaked fragment has a '/', '<', '&' or "href" in it: most blocks have none. */
const MARKUP_SIGN = /[/<&]|href/i;

/** A block's text on one line (tables and pre keep their lines), characters normalized. */
function blockText(b: Block, mode: 'html' | 'text'): string {
  if (b.kind === 'table' || b.kind === 'pre') {
    return normalizeChars(b.text).split('\n').map(collapseSpaces).filter(Boolean).join('\n');
  }
  // Extraction already normalized HTML text.
  return collapseSpaces((mode === 'html' ? b.text : normalizeChars(b.text)).replace(/\n/g, ' '));
}

/**
 * Step 1, normalization and inline chrome: every block's characters normalized, pinyin annotations
 * after Han characters stripped (`區(qū)` → `區`), leaked markup and inline chrome (`【打印】`,
 * `字号 大 中 小`) cut out, and the phrase rule that removes the block, if any, looked up.
 */
export function normalizeBlocks(c: Cleaning, blocks: Block[], rules: Rules): void {
  let pinyin = 0;
  for (const b of blocks) {
    let text = blockText(b, c.mode);
    const py = stripPinyin(text);
    pinyin += py.count;
    text = py.text;
    if (MARKUP_SIGN.test(text))
      text = text.replace(LEAKED_MARKUP, (m) => {
        c.markup.push(m.trim());
        return '';
      });
    const inline = stripInline(rules, text);
    for (const cut of inline.cut) c.cuts.push({ bucket: 'boilerplate', category: 'inline', text: cut });
    text = collapseSpaces(inline.text);
    if (!text) continue;
    const item: Item = {
      text,
      kind: b.kind,
      linkDensity: b.linkDensity,
      listId: b.listId,
      hint: b.hint,
      gapBefore: b.gapBefore,
      removed: null,
      boilerplate: null,
    };
    if (b.kind !== 'table') item.boilerplate = matchBoilerplate(rules, text);
    c.items.push(item);
  }
  if (pinyin > 0) c.warnings.push(`removed ${pinyin} pinyin annotations after Han characters`);
  if (c.markup.length > 0) c.warnings.push(`removed ${c.markup.length} leaked markup fragments`);
}
