import type { ParserSettings } from '../settings';
import { HAN, HAN_RE } from '../text/cjk';
import { countHan } from '../text/cjk';
import { countChars, endsSentence } from '../text/chars';
import type { BlockKind } from '../extract/block';

export interface CleanParagraph {
  text: string;
  kind: BlockKind;
}

const SHORT_HEAD = new RegExp(`^[${HAN}]{1,3}[，。、；：,.;:！？]`);
/** Sentence openers: a paragraph that starts `近日,` starts a sentence, it does not continue a word. */
const OPENERS =
  /^(近日|目前|同时|同時|今年|去年|此外|其中|为此|為此|对此|對此|据悉|據悉|另外|然而|但是|因此|所以|首先|其次|再次|最后|最後|近年来|近年來|当前|當前|如今|随后|隨後|此前|日前|昨天|今天|今日|上午|下午|晚上|记者|記者|据了解|據了解|据介绍|據介紹|为了|為了|总之|總之|同样|同樣|对于|對於|例如|比如|一是|二是|三是|四是|五是|第一|第二|第三|其一|其二|另一方面|与此同时|與此同時)[，,:：]/;
/** A heading (words separated by spaces) never continues into the next paragraph. */
const HEADING_SPACES = new RegExp(`[${HAN}”」] +[${HAN}“「]`);

/** Whether `b` continues `a`: a word broken across columns, or a hard-wrapped line. */
export function continues(a: string, b: string, s: ParserSettings['clean']): boolean {
  if (endsSentence(a)) return false;
  if (HAN_RE.test(a[a.length - 1] ?? '') && HAN_RE.test(b[0] ?? '')) {
    if (HEADING_SPACES.test(a)) return false;
    // `…主引` / `擎。…`: a sentence cannot start with one to three characters and a mark.
    if (SHORT_HEAD.test(b) && !OPENERS.test(b)) return true;
    return countChars(a) >= s.joinMinChars && /[，,、；;]/.test(a) && !/\s/.test(a.slice(-6));
  }
  if (/[A-Za-z,-]$/.test(a) && /^[a-z]/.test(b)) return true;
  // A hard-wrapped English line: long, cut mid-sentence, followed by more words.
  return (
    /[A-Za-z,;-]$/.test(a) &&
    /^[A-Za-z0-9("“]/.test(b) &&
    a.length >= s.joinEnglishMinChars &&
    countHan(a) === 0
  );
}

/** `a` and `b` as one paragraph: a space between English words, none between Han characters. */
function joined(a: string, b: string): string {
  if (/[a-z]-$/.test(a) && /^[a-z]/.test(b)) return a.slice(0, -1) + b;
  const sep = /[A-Za-z,;]$/.test(a) && /^[A-Za-z0-9("“]/.test(b) ? ' ' : '';
  return a + sep + b;
}

/**
 * The last step, re-joining what layout broke: a word split across columns (`主引` / `擎。` →
 * `主引擎。`), hard-wrapped English lines. Only plain paragraphs join.
 */
export function joinBrokenParagraphs(
  blocks: ReadonlyArray<{ text: string; kind: BlockKind }>,
  settings: ParserSettings['clean'],
): CleanParagraph[] {
  const out: CleanParagraph[] = [];
  for (const b of blocks) {
    if (!b.text) continue;
    const prev = out[out.length - 1];
    if (prev && prev.kind === 'p' && b.kind === 'p' && continues(prev.text, b.text, settings)) {
      prev.text = joined(prev.text, b.text);
    } else out.push({ text: b.text, kind: b.kind });
  }
  return out;
}
