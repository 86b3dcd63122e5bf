import type { ParserSettings } from '../settings';
import { HAN } from '../text/cjk';
import { endsSentence } from '../text/chars';
import { live, remove, type Cleaning, type Item } from './items';

const NAME_ONLY = new RegExp(
  `^(?:(?:文|图|圖|记者|記者|通讯员|通訊員|撰稿|作者)\\s*[/／:：|]?\\s*)?[${HAN}·]{2,4}(?:\\s+[${HAN}·]{2,4}){0,2}$`,
);
/**
 * A heading with a month in it is a title (永嘉县2023年11月主要经济指标), unless it has a full date or
 * the words of an info bar.
 */
const INFO_HEADING =
  /\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|来源|來源|发布|發布|时间|時間|日期|作者|编辑|編輯|浏览|瀏覽|点击|點擊/;
/** 25 non-spaces in a row: a sentence, not an info line's tokens. */
const LONG_TOKEN = /\S{25}/;
const DATE_LIKE = /(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{4}年\d{1,2}月)/;

/** Spaces and punctuation out: what two spellings of one title share. */
export function squash(s: string): string {
  return s.replace(/[\s\p{P}]/gu, '');
}

/** A heading repeating the title, perhaps with the site's name after it (`标题_中國網`). */
export function repeatsTitle(text: string, squashedTitle: string): boolean {
  if (!squashedTitle) return false;
  // Squashing drops characters, never adds: when a prefix already squashes to more than the
  // longest repeat (the title and 20 more), the whole block does too (paragraphs stop here).
  const limit = squashedTitle.length + 20;
  if (text.length > 2 * limit && squash(text.slice(0, 2 * limit)).length > limit) return false;
  const block = squash(text);
  if (!block) return false;
  if (block === squashedTitle) return true;
  if (block.startsWith(squashedTitle)) return block.length - squashedTitle.length <= 20;
  return squashedTitle.startsWith(block) && block.length >= squashedTitle.length * 0.6;
}

/** A text page's first line is its title: short, not a sentence, with more after it. */
function takeTitleLine(head: Item[], s: ParserSettings['clean']['head']): string | null {
  const [first, next] = head;
  if (!first || !next || first.kind === 'table') return null;
  if (first.text.length > s.titleLineMaxChars || /[。.]$/.test(first.text)) return null;
  first.removed = { bucket: 'boilerplate', category: 'title', text: first.text };
  return first.text;
}

export interface Head {
  /** The title line of a text page without a declared title. */
  titleLine: string | null;
  /** Info lines and bylines taken out near the top: date and source are read from them. */
  infoLines: string[];
}

/**
 * Step 5, the head: blocks near the top repeating the title; the title line of a text page; info
 * lines (a date, no sentence: `发布时间:2023-03-28 来源:…`) and bylines (`文/金燕翔`) right below it.
 */
export function readHead(c: Cleaning, knownTitle: string | null, settings: ParserSettings['clean']): Head {
  const s = settings.head;
  const head = live(c.items).slice(0, s.blocks);
  const title = knownTitle ? squash(knownTitle) : null;
  const titleLine = c.mode === 'text' && !title ? takeTitleLine(head, s) : null;
  const first = titleLine === null ? 0 : 1;
  const infoLines: string[] = [];
  head.forEach((it, k) => {
    if (it.removed) return;
    if (title && repeatsTitle(it.text, title)) {
      it.removed = { bucket: 'boilerplate', category: 'title', text: it.text };
      return;
    }
    if (k < first || k > first + 3) return;
    // The line right above a table is its title (浦江县2012年1-12月主要经济指标), whatever dates it has.
    if (head[k + 1]?.kind === 'table') return;
    const t = it.text;
    if (
      t.length <= s.infoLineMaxChars &&
      DATE_LIKE.test(t) &&
      !LONG_TOKEN.test(t) &&
      !endsSentence(t) &&
      (it.kind !== 'heading' || INFO_HEADING.test(t))
    ) {
      infoLines.push(t);
      remove(it, 'boilerplate', 'info');
    } else if (
      t.length <= s.bylineMaxChars &&
      NAME_ONLY.test(t) &&
      k <= first + 2 &&
      live(c.items).length > 3
    ) {
      infoLines.push(t);
      remove(it, 'boilerplate', 'byline');
    }
  });
  // Info bars the phrase rules removed anywhere (`来源:…`) are read for date and source too.
  for (const it of c.items) {
    if (it.removed?.category === 'info' && !infoLines.includes(it.text)) infoLines.push(it.text);
  }
  return { titleLine, infoLines };
}
