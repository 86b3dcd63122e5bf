import type { Block, BlockKind } from '../extract/block';
import { matchBoilerplate, stripInline, type BoilerplateRule, type Rules } from '../rules/rules';
import {
  HAN,
  HAN_RE,
  collapseSpaces,
  countChars,
  countHan,
  countPunct,
  endsSentence,
  normalizeChars,
  stripPinyin,
} from '../text/chars';
import { features, overlap, releaseFeatures } from './overlap';
import { removeSpamTerms } from './spam-terms';

export type Bucket = 'boilerplate' | 'spamLinks' | 'spamTerms';
export interface RemovedItem {
  bucket: Bucket;
  category: string;
  text: string;
}

export interface CleanParagraph {
  text: string;
  kind: BlockKind;
}

export interface CleanResult {
  paragraphs: CleanParagraph[];
  /** A title found in the text itself (first short line), when the caller has none. */
  titleLine: string | null;
  /** The title after spam-term removal (the caller's, or the title line). */
  title: string;
  /** Info lines and bylines taken out near the top: the caller reads date and source from them. */
  infoLines: string[];
  removed: RemovedItem[];
  warnings: string[];
  /** Terms found by generic detection on this page (for the host's recurring-term memory). */
  discoveredTerms: string[];
}

export interface CleanInput {
  blocks: Block[];
  mode: 'html' | 'text';
  rules: Rules;
  /** A title the page declares (HTML): blocks repeating it are dropped. */
  knownTitle?: string | null;
  /** Spam terms from Postgres, the host's memory, the caller. */
  extraSpamTerms?: string[];
  /** Words of the page's own tag clouds, keyword lists and sidebars. */
  evidenceTerms?: string[];
}

interface Item extends Block {
  removed: RemovedItem | null;
  /** The line rule that removes this block (tables are never matched), found in step 1. */
  boilerplate: BoilerplateRule | null;
}

const KEYWORD_LINE =
  /^\s*(關鍵詞|关键词|關鍵字|关键字|熱門關鍵詞|热门关键词|熱搜|热搜|keywords?|tags?)\s*[:：]\s*(.+)$/i;
const LIST_LINE = /^\s*(?:[-–—•·*●◆■▪►]\s*|\d{1,2}\s+|\d{1,2}[.、)）]\s*)(?=\S)/;
const LEAKED_MARKUP =
  /([?？]?\s*<?\/(?:a|span|div|p|li|font|strong|b)>|<\/?(?:a|span|div|p|li|font|strong|b|img|br)\b[^>]{0,200}>?|&(?:nbsp|lt|gt|amp|quot|#\d+);|\bhref\s*=\s*["']?[^\s"'>]*["']?)/gi;
const MARKUP_SIGN = /[/<&]|href/i;
const NAME_ONLY = new RegExp(
  `^(?:(?:文|图|圖|记者|記者|通讯员|通訊員|撰稿|作者)\\s*[/／:：|]?\\s*)?[${HAN}·]{2,4}(?:\\s+[${HAN}·]{2,4}){0,2}$`,
);
const LONG_TOKEN = /\S{25}/;
const DATE_LIKE = /(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{4}年\d{1,2}月)/;
const TERMINAL_OR_CLAUSE = /[，。、；：！？,.;:!?]/;

function isCjkShortLabel(t: string, max: number): boolean {
  return t.length <= max && countHan(t) >= 2 && !TERMINAL_OR_CLAUSE.test(t) && !/\d/.test(t);
}

/**
 * The cleaning rules, shared by HTML blocks and plain-text lines: phrase rules from data files,
 * spam link lists by topical overlap with the body, captions and slogans by position and shape,
 * injected terms, then re-joining what layout broke apart. Every removal is recorded with a reason.
 */
export function cleanBlocks(input: CleanInput): CleanResult {
  const { rules } = input;
  const warnings: string[] = [];
  const evidence: string[] = [...(input.evidenceTerms ?? [])];
  const markupCut: string[] = [];
  let pinyin = 0;

  // 1. Normalize every block; cut inline chrome and leaked markup.
  const items: Item[] = [];
  const inlineCut: RemovedItem[] = [];
  for (const b of input.blocks) {
    const multiline = b.kind === 'table' || b.kind === 'pre';
    let text = multiline
      ? normalizeChars(b.text).split('\n').map(collapseSpaces).filter(Boolean).join('\n')
      : collapseSpaces((input.mode === 'html' ? b.text : normalizeChars(b.text)).replace(/\n/g, ' '));
    // collapseSpaces is idempotent: a one-line block that nothing below changes needs no second pass.
    const collapsed = multiline ? null : text;
    const py = stripPinyin(text);
    pinyin += py.count;
    text = py.text;
    // Every leaked fragment has a '/', '<', '&' or "href" in it: most blocks have none.
    if (MARKUP_SIGN.test(text))
      text = text.replace(LEAKED_MARKUP, (m) => {
        markupCut.push(m.trim());
        return '';
      });
    const inl = stripInline(rules, text);
    for (const c of inl.cut) inlineCut.push({ bucket: 'boilerplate', category: 'inline', text: c });
    text = inl.text === collapsed ? collapsed : collapseSpaces(inl.text);
    if (!text) continue;
    items.push({
      text,
      kind: b.kind,
      linkDensity: b.linkDensity,
      listId: b.listId,
      hint: b.hint,
      gapBefore: b.gapBefore,
      removed: null,
      // Matched now, right after stripInline read the same text: one scan serves both (see rules).
      boilerplate: b.kind === 'table' ? null : matchBoilerplate(rules, text),
    });
  }
  if (pinyin > 0) warnings.push(`removed ${pinyin} pinyin annotations after Han characters`);
  if (markupCut.length > 0) warnings.push(`removed ${markupCut.length} leaked markup fragments`);

  const remove = (it: Item, bucket: Bucket, category: string) => {
    if (!it.removed) it.removed = { bucket, category, text: it.text };
  };
  const live = () => items.filter((i) => !i.removed);

  // 2. Plain-text lists: three or more consecutive "- item" / "1 item" lines.
  let textListId = 100000;
  for (let i = 0; i < items.length;) {
    let j = i;
    while (
      j < items.length &&
      items[j]!.listId === null &&
      items[j]!.kind === 'p' &&
      LIST_LINE.test(items[j]!.text)
    )
      j++;
    if (j - i >= 3) {
      textListId++;
      for (let k = i; k < j; k++) items[k]!.listId = textListId;
    }
    i = Math.max(j, i + 1);
  }

  // 3. Phrase rules, keyword stuffing, captions, link-dominated blocks.
  for (const it of items) {
    const kw = KEYWORD_LINE.exec(it.text);
    if (kw && it.kind !== 'table') {
      const terms = kw[2]!.split(/[\s,，、;；|]+/).filter(Boolean);
      if (terms.length >= 2) {
        evidence.push(...terms);
        remove(it, 'spamLinks', 'keywords');
        continue;
      }
    }
    if (it.boilerplate) {
      remove(it, 'boilerplate', it.boilerplate.category);
      continue;
    }
    if (it.kind === 'caption' && it.text.length <= 80 && !endsSentence(it.text)) {
      remove(it, 'boilerplate', 'caption');
      continue;
    }
    if (it.listId === null && it.kind !== 'table' && it.linkDensity > 0.6 && countPunct(it.text) <= 2) {
      remove(it, 'boilerplate', 'links');
    }
  }

  // 4. Lists: spam (unrelated headlines), related links, or content.
  const bodyItems = () =>
    items.filter(
      (i) =>
        !i.removed && i.listId === null && (i.kind === 'p' || i.kind === 'table') && countChars(i.text) >= 20,
    );
  // One conversion of the whole body (features() simplifies): cheaper than one per paragraph.
  const lists = new Map<number, Item[]>();
  for (const it of items) {
    if (it.listId === null || it.removed) continue;
    const members = lists.get(it.listId);
    if (members) members.push(it);
    else lists.set(it.listId, [it]);
  }
  // One conversion of the whole body (features() simplifies), and only when there is a list to judge.
  const bodyFeatures = lists.size
    ? features(
        bodyItems()
          .map((i) => i.text)
          .join('\n'),
      )
    : features('');
  const spamItemKeys: Set<string> = new Set();
  const itemKey = (t: string) => lettersAndDigits(t.replace(LIST_LINE, ''), 12).slice(0, 12);
  for (const [, members] of lists) {
    const scores = members.map((m) => {
      const f = features(m.text.replace(LIST_LINE, ''));
      const score = overlap(f, bodyFeatures);
      releaseFeatures(f);
      return score;
    });
    const sorted = [...scores].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const lowShare = scores.filter((s) => s < 0.3).length / scores.length;
    const linked = members.filter((m) => m.linkDensity > 0.5).length / members.length;
    const headlineShape =
      members.filter((m) => !endsSentence(m.text) && m.text.length <= 80).length / members.length;
    const repeatsSpam = members.filter((m) => spamItemKeys.has(itemKey(m.text))).length / members.length;
    const avgLen = members.reduce((n, m) => n + countChars(m.text), 0) / members.length;
    // A list of short links is a menu (navigation), not a list of headlines.
    if (linked >= 0.6 && avgLen < 10) {
      for (const m of members) remove(m, 'boilerplate', 'navigation');
      continue;
    }
    const isSpam =
      members.length >= 2 &&
      (median < 0.35 || (lowShare >= 0.4 && headlineShape >= 0.6) || repeatsSpam >= 0.3);
    if (isSpam) {
      for (const m of members) {
        remove(m, 'spamLinks', 'unrelated-headlines');
        spamItemKeys.add(itemKey(m.text));
        evidence.push(
          ...m.text.split(/[\s,，、;；|:：!！?？]+/).filter((w) => w.length >= 2 && w.length <= 8),
        );
      }
    } else if (linked >= 0.6 && headlineShape >= 0.6) {
      for (const m of members) remove(m, 'boilerplate', 'related');
    }
  }
  releaseFeatures(bodyFeatures);
  // Numbered hot lists repeat a spam list's headlines (truncated): catch what repeats them.
  for (const it of items) {
    if (!it.removed && spamItemKeys.size && LIST_LINE.test(it.text) && spamItemKeys.has(itemKey(it.text))) {
      remove(it, 'spamLinks', 'unrelated-headlines');
    }
  }
  if (markupCut.length) {
    const spamRemoved = items.some((i) => i.removed?.bucket === 'spamLinks');
    inlineCut.push(
      ...markupCut.map((m) => ({
        bucket: (spamRemoved ? 'spamLinks' : 'boilerplate') as Bucket,
        category: 'markup',
        text: m,
      })),
    );
  }

  // 5. The head: a title line, info lines (date, source, author), bylines.
  const infoLines: string[] = [];
  let titleLine: string | null = null;
  const knownTitle = input.knownTitle ? squash(input.knownTitle) : null;
  {
    const head = live().slice(0, 8);
    let idx = 0;
    if (input.mode === 'text' && !knownTitle) {
      const first = head[0];
      const next = head[1];
      if (first && first.text.length <= 100 && !/[。.]$/.test(first.text) && next && first.kind !== 'table') {
        titleLine = first.text;
        first.removed = { bucket: 'boilerplate', category: 'title', text: first.text };
        idx = 1;
      }
    }
    for (let k = 0; k < head.length; k++) {
      const it = head[k]!;
      if (it.removed) continue;
      if (knownTitle && repeatsTitle(it.text, knownTitle)) {
        it.removed = { bucket: 'boilerplate', category: 'title', text: it.text };
        continue;
      }
      if (k < idx || k > idx + 3) continue;
      const t = it.text;
      // Every whitespace-separated token at most 24 characters long: no 25 non-spaces in a row.
      if (t.length <= 100 && DATE_LIKE.test(t) && !LONG_TOKEN.test(t) && !endsSentence(t)) {
        infoLines.push(t);
        remove(it, 'boilerplate', 'info');
      } else if (t.length <= 20 && NAME_ONLY.test(t) && k <= idx + 2 && live().length > 3) {
        infoLines.push(t);
        remove(it, 'boilerplate', 'byline');
      }
    }
  }
  for (const it of items) {
    if (it.removed?.category === 'info' && !infoLines.includes(it.text)) infoLines.push(it.text);
  }

  // 6. Captions standing alone between paragraphs, and slogans/promotions trailing the article.
  {
    const l = live();
    for (let k = 0; k < l.length; k++) {
      const it = l[k]!;
      if (it.kind !== 'p' && it.kind !== 'caption') continue;
      const prev = l[k - 1];
      const next = l[k + 1];
      if (!prev || !next || !isCjkShortLabel(it.text, 12)) continue;
      const insideBrokenParagraph =
        prev.kind === 'p' && !endsSentence(prev.text) && countChars(prev.text) >= 10;
      const beforeHeading = isCjkShortLabel(next.text, 40) || next.kind === 'heading';
      if (insideBrokenParagraph || beforeHeading || it.text.length <= 6) remove(it, 'boilerplate', 'caption');
    }
    const l2 = live();
    for (let k = l2.length - 1; k > 0; k--) {
      const it = l2[k]!;
      if (
        it.kind === 'table' ||
        endsSentence(it.text) ||
        it.text.length > 24 ||
        TERMINAL_OR_CLAUSE.test(it.text.slice(0, -1))
      )
        break;
      remove(it, 'boilerplate', 'slogan');
    }
  }

  // 7. Injected spam terms.
  const kept = live();
  const terms = removeSpamTerms({
    texts: kept.map((i) => i.text),
    title: titleLine ?? input.knownTitle ?? '',
    listed: [...rules.spamTerms, ...(input.extraSpamTerms ?? [])],
    evidence,
  });
  kept.forEach((it, k) => {
    // Every item's text is already collapsed: only a text the term removal changed needs it again.
    const text = terms.texts[k] ?? it.text;
    if (text !== it.text) it.text = collapseSpaces(text);
  });

  // 8. Re-join what layout broke: a word split across columns, hard-wrapped English lines.
  const paragraphs: CleanParagraph[] = [];
  for (const it of kept) {
    if (!it.text) continue;
    const prev = paragraphs[paragraphs.length - 1];
    if (prev && shouldJoin(prev, it)) {
      const sep = /[A-Za-z,;]$/.test(prev.text) && /^[A-Za-z0-9("“]/.test(it.text) ? ' ' : '';
      prev.text =
        /[a-z]-$/.test(prev.text) && /^[a-z]/.test(it.text)
          ? prev.text.slice(0, -1) + it.text
          : prev.text + sep + it.text;
      continue;
    }
    paragraphs.push({ text: it.text, kind: it.kind });
  }

  const removed: RemovedItem[] = [];
  for (const it of items) if (it.removed && it.removed.category !== 'title') removed.push(it.removed);
  removed.push(...inlineCut);
  for (const t of terms.removed) removed.push({ bucket: 'spamTerms', category: 'term', text: t });
  return {
    paragraphs,
    titleLine: titleLine !== null ? terms.title : null,
    title: terms.title,
    infoLines,
    removed,
    warnings,
    discoveredTerms: terms.discovered,
  };
}

/** A heading repeating the title, perhaps with the site's name after it (`标题_中國網`). */
function sameTitle(block: string, title: string): boolean {
  if (!block || !title) return false;
  if (block === title) return true;
  if (block.startsWith(title)) return block.length - title.length <= 20;
  return title.startsWith(block) && block.length >= title.length * 0.6;
}

/**
 * A filter that removes the characters a one-character Unicode pattern matches, like
 * `s.replace(/pattern/gu, '')`, with the verdict for each BMP code unit cached (0 = not yet tested,
 * 1 = kept, 2 = removed): Unicode-property regexes are slow, and the same characters recur.
 * Text with surrogates (astral code points) goes through the regex itself. `max` lets the caller
 * stop once that many characters are kept (the result then starts with the same characters).
 */
function charFilter(pattern: string): (s: string, max?: number) => string {
  const one = new RegExp(pattern, 'u');
  const all = new RegExp(pattern, 'gu');
  const verdict = new Uint8Array(65536);
  return (s, max = Infinity) => {
    let out = '';
    let from = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) return s.replace(all, '');
      let v = verdict[c]!;
      if (v === 0) {
        v = one.test(String.fromCharCode(c)) ? 2 : 1;
        verdict[c] = v;
      }
      if (v === 2) {
        out += s.slice(from, i);
        from = i + 1;
        if (out.length >= max) return out;
      } else if (out.length + (i + 1 - from) >= max) {
        // Enough kept; any surrogate further on cannot change these first characters.
        return out + s.slice(from, i + 1);
      }
    }
    return from === 0 ? s : out + s.slice(from);
  };
}

const squash = charFilter('[\\s\\p{P}]');
const lettersAndDigits = charFilter('[^\\p{L}\\p{N}]');

/**
 * `sameTitle(squash(text), title)`, squashing only as much of `text` as the answer needs: a block
 * whose squashed form is more than 20 characters longer than the title cannot repeat it, and head
 * blocks are often whole paragraphs (squashing them all was a visible share of the parse).
 */
function repeatsTitle(text: string, title: string): boolean {
  // Both ways of repeating need the same first character (an empty block repeats nothing): one
  // squashed character settles most head blocks.
  if (squash(text, 1)[0] !== title[0]) return false;
  const limit = title.length + 20;
  let end = limit + 1;
  for (;;) {
    if (end >= text.length) return sameTitle(squash(text), title);
    // Never cut a surrogate pair: squash reads code points.
    const cut = text.charCodeAt(end - 1) >= 0xd800 && text.charCodeAt(end - 1) <= 0xdbff ? end + 1 : end;
    if (cut >= text.length) return sameTitle(squash(text), title);
    // squash works character by character, so the squashed prefix is a prefix of the squashed text.
    if (squash(text.slice(0, cut)).length > limit) return false;
    end = cut * 2;
  }
}

const SHORT_HEAD = new RegExp(`^[${HAN}]{1,3}[，。、；：,.;:！？]`);
/** Sentence openers: a paragraph that starts `近日,` starts a sentence, it does not continue a word. */
const OPENERS =
  /^(近日|目前|同时|同時|今年|去年|此外|其中|为此|為此|对此|對此|据悉|據悉|另外|然而|但是|因此|所以|首先|其次|再次|最后|最後|近年来|近年來|当前|當前|如今|随后|隨後|此前|日前|昨天|今天|今日|上午|下午|晚上|记者|記者|据了解|據了解|据介绍|據介紹|为了|為了|总之|總之|同样|同樣|对于|對於|例如|比如|一是|二是|三是|四是|五是|第一|第二|第三|其一|其二|另一方面|与此同时|與此同時)[，,:：]/;
const HEADING_SPACES = new RegExp(`[${HAN}”」] +[${HAN}“「]`);
function shouldJoin(prev: CleanParagraph, cur: Item): boolean {
  if (prev.kind !== 'p' || cur.kind !== 'p') return false;
  const a = prev.text;
  const b = cur.text;
  if (endsSentence(a)) return false;
  const last = a[a.length - 1] ?? '';
  if (HAN_RE.test(last) && HAN_RE.test(b[0] ?? '')) {
    // A heading (words separated by spaces) never continues into the next paragraph.
    if (HEADING_SPACES.test(a)) return false;
    if (SHORT_HEAD.test(b) && !OPENERS.test(b)) return true;
    return countChars(a) >= 30 && /[，,、；;]/.test(a) && !/\s/.test(a.slice(-6));
  }
  if (/[A-Za-z,-]$/.test(a) && /^[a-z]/.test(b)) return true;
  // A hard-wrapped English line: long, cut mid-sentence, followed by more words.
  if (/[A-Za-z,;-]$/.test(a) && /^[A-Za-z0-9("“]/.test(b) && a.length >= 60 && countHan(a) === 0) return true;
  return false;
}
