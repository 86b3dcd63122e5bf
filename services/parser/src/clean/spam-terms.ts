import { HAN, HAN_RE, endsSentence } from '../text/chars';
import { PairCounts } from './pair-counts';

const isHan = (c: string | undefined): boolean => !!c && HAN_RE.test(c);
const isDigit = (c: string | undefined): boolean => !!c && c >= '0' && c <= '9';

/**
 * Characters that legitimately stand between two numbers (units, measure words, connectives,
 * dates): a Han run made of none of them, splitting a number, is an injected term.
 */
const NUMERIC_CONTEXT = new Set(
  Array.from(
    '年月日时時分秒号號元万萬亿億千百十个個家人名位项項次倍点點期届屆批座条條所户戶亩畝米吨噸岁歲余餘多至到和与與及或比增长長降占佔为為是达達超过過约約近第共计計累从從由在同环環以上下内內外间間度级級型天周週层層栋棟台臺辆輛份件套张張本册冊篇章节節区區市省县縣镇鎮乡鄉村街道路号克升斤公里平方立厘毫兆瓦千伏帕年度季半前后後中',
  ),
);
const NUMBER_SPLIT = new RegExp(`(\\d)([${HAN}]{2,8})(?=\\d)`, 'g');
const STRAY_TAIL = new RegExp(`([。！？!?；;…”」])([${HAN}]{2,8})$`);
const HAN_ONLY = new RegExp(`^[${HAN}]+$`);

export interface TermRemoval {
  /** The paragraphs with terms removed and what they split re-joined. */
  texts: string[];
  title: string;
  /** Every removed string, in order of first removal. */
  removed: string[];
  /** Terms found by generic detection (not from a list): candidates for the host's recurring set. */
  discovered: string[];
}

/** Counts of Han bigrams in the page: a bigram attested elsewhere is a word a term may have split. */
interface Bigrams {
  get(pair: string): number | undefined;
  /** Hands the table on to the next page (see PairCounts.release); a later get() rebuilds it. */
  release(): void;
}
function isHanCode(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}
/**
 * A Han code unit's index among the 28,096 Han units counted (< 2^15), so that a pair's key
 * (< 2^30) is a V8 small integer: `a * 65536 + b` overflowed it and made every lookup a heap number.
 */
function hanIndex(c: number): number {
  if (c >= 0x4e00 && c <= 0x9fff) return c - 0x4e00;
  if (c <= 0x4dbf) return 0x9fff - 0x4e00 + 1 + (c - 0x3400);
  return 0x9fff - 0x4e00 + 1 + (0x4dbf - 0x3400 + 1) + (c - 0xf900);
}
/** Built on first use: most pages have no term to judge, and a 10 MB page has millions of pairs. */
function bigramCounts(texts: string[]): Bigrams {
  let m: PairCounts | null = null;
  const build = () => {
    let chars = 0;
    for (const t of texts) chars += t.length;
    const map = new PairCounts(chars);
    for (const t of texts) {
      let prevHan = false;
      let prevIdx = 0;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (isHanCode(c)) {
          const idx = hanIndex(c);
          if (prevHan) map.add(prevIdx * 32768 + idx);
          prevHan = true;
          prevIdx = idx;
        } else prevHan = false;
      }
    }
    return map;
  };
  return {
    get(pair) {
      // Only Han pairs are counted: any other pair (or a short string) is absent.
      const a = pair.charCodeAt(0);
      const b = pair.charCodeAt(1);
      if (!isHanCode(a) || !isHanCode(b)) return undefined;
      m ??= build();
      return m.get(hanIndex(a) * 32768 + hanIndex(b));
    },
    release() {
      m?.release();
      m = null;
    },
  };
}

function junctionAnomalous(text: string, s: number, e: number, bigrams: Bigrams, termCount = 1): boolean {
  const a = text[s - 1];
  const b = text[e];
  if (isDigit(a) && isDigit(b)) return true;
  if (isHan(a) && isHan(b)) {
    // The term split a word the page uses elsewhere (`農民`), and its own edges touch the
    // neighbours nowhere else (`農九`, `格民`): a legitimate word has ordinary neighbours.
    const edgeIn = bigrams.get(`${a}${text[s]}`) ?? 0;
    const edgeOut = bigrams.get(`${text[e - 1]}${b}`) ?? 0;
    return (bigrams.get(`${a}${b}`) ?? 0) > 0 && edgeIn <= termCount && edgeOut <= termCount;
  }
  // A term glued after the end of a sentence and before the end of the paragraph.
  if (a && '。！？!?；;…”」'.includes(a) && (b === undefined || b === '\n')) return true;
  return false;
}

/**
 * Injected terms are often wrapped in a little junk (`示去九宮格講座范` around `九宮格`): extend the
 * cut by up to two Han characters on each side when that, and only that, restores a bigram the
 * page attests elsewhere (`示范`). Without such evidence the term alone is cut.
 */
function extend(text: string, s: number, e: number, bigrams: Bigrams): [number, number] {
  const a0 = text[s - 1];
  const b0 = text[e];
  if (!isHan(a0) || !isHan(b0)) return [s, e];
  if ((bigrams.get(`${a0}${b0}`) ?? 0) > 0) return [s, e];
  let best: [number, number] | null = null;
  let bestCost = Infinity;
  for (let l = 0; l <= 2; l++) {
    for (let r = 0; r <= 2; r++) {
      if (l + r === 0 || l + r >= bestCost) continue;
      const ls = s - l;
      const re = e + r;
      let ok = true;
      for (let i = ls; i < s; i++) if (!isHan(text[i])) ok = false;
      for (let i = e; i < re; i++) if (!isHan(text[i])) ok = false;
      if (!ok) continue;
      const a = text[ls - 1];
      const b = text[re];
      if (isHan(a) && isHan(b) && (bigrams.get(`${a}${b}`) ?? 0) >= 1) {
        best = [ls, re];
        bestCost = l + r;
      }
    }
  }
  return best ?? [s, e];
}

function removeTerm(
  text: string,
  term: string,
  bigrams: Bigrams,
  onlyAnomalous: boolean,
  removed: string[],
  termCount = 1,
): string {
  if (!term || !text.includes(term)) return text;
  let out = '';
  let from = 0;
  for (;;) {
    const s = text.indexOf(term, from);
    if (s < 0) break;
    const e = s + term.length;
    if (onlyAnomalous && !junctionAnomalous(text, s, e, bigrams, termCount)) {
      out += text.slice(from, e);
      from = e;
      continue;
    }
    const [ls, re] = extend(text, s, e, bigrams);
    out += text.slice(from, Math.max(from, ls));
    removed.push(text.slice(ls, re));
    from = re;
  }
  return out + text.slice(from);
}

/** Non-overlapping occurrences of a non-empty `term` (what `text.split(term).length - 1` counts, without the array). */
function occurrences(text: string, term: string): number {
  let n = 0;
  for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + term.length)) n++;
  return n;
}

let lastListed: { input: string[]; prepared: string[] } | null = null;

/**
 * The listed terms deduplicated, at least two code units long, longest first (so `台灣包養網` goes
 * before `包養`). Kept for the next page, which almost always brings the same list: the same array
 * back also lets presentTerms reuse its index.
 */
function preparedList(listed: string[]): string[] {
  const last = lastListed;
  if (last && last.input.length === listed.length && last.input.every((t, i) => t === listed[i]))
    return last.prepared;
  const prepared = [...new Set(listed)].filter((t) => t.length >= 2).sort((a, b) => b.length - a.length);
  lastListed = { input: listed.slice(), prepared };
  return prepared;
}

/** Terms bucketed by their first two code units, for one pass over the page (see presentTerms). */
interface TermIndex {
  terms: string[];
  byPrefix: Map<number, string[]>;
  /** Per code unit: FIRST if some term starts with it, SECOND if some term's second unit is it. */
  units: Uint8Array;
}
const FIRST = 1;
const SECOND = 2;
let termIndex: TermIndex | null = null;

/**
 * The terms (each at least two code units long) that occur in any of the texts, in the given order:
 * the same as filtering with `includes`, but one pass over the page instead of one per term. The
 * index is kept for the next page, which almost always brings the same list (the same array, from
 * preparedList).
 */
function presentTerms(terms: string[], texts: string[]): string[] {
  if (terms.length === 0) return [];
  if (termIndex?.terms !== terms) {
    const byPrefix = new Map<number, string[]>();
    const units = new Uint8Array(65536);
    for (const t of terms) {
      const k = t.charCodeAt(0) * 65536 + t.charCodeAt(1);
      units[t.charCodeAt(0)]! |= FIRST;
      units[t.charCodeAt(1)]! |= SECOND;
      const list = byPrefix.get(k);
      if (list) list.push(t);
      else byPrefix.set(k, [t]);
    }
    termIndex = { terms, byPrefix, units };
  }
  const { byPrefix, units } = termIndex;
  const found = new Set<string>();
  for (const text of texts) {
    // A term starting at i covers i and i + 1, one of them even: reading the even positions only,
    // each as a possible first unit or second unit, finds every start with half the reads.
    const n = text.length;
    for (let j = 0; j < n; j += 2) {
      const u = units[text.charCodeAt(j)]!;
      if (u === 0) continue;
      if (u & FIRST && j + 1 < n && units[text.charCodeAt(j + 1)]! & SECOND) termsAt(text, j, byPrefix, found);
      if (u & SECOND && j > 0 && units[text.charCodeAt(j - 1)]! & FIRST) termsAt(text, j - 1, byPrefix, found);
    }
    if (found.size === terms.length) break;
  }
  return terms.filter((t) => found.has(t));
}

/** Adds to `found` the terms that start at `i` (a possible start: two code units follow). */
function termsAt(text: string, i: number, byPrefix: Map<number, string[]>, found: Set<string>): void {
  const list = byPrefix.get(text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1));
  if (list) for (const t of list) if (!found.has(t) && text.startsWith(t, i)) found.add(t);
}

/**
 * Removes injected spam terms and re-joins what they split (`63九宮格830元` → `63830元`):
 * listed terms everywhere; terms the page's own tag lists, keyword lines or spam lists repeat, where
 * they split a word or a number; Han runs that split a number and recur in the page; a stray run
 * glued after a paragraph's last sentence.
 */
export function removeSpamTerms(input: {
  texts: string[];
  title: string;
  listed: string[];
  evidence: string[];
}): TermRemoval {
  const removed: string[] = [];
  const discovered = new Set<string>();
  let texts = input.texts.slice();
  let title = input.title;
  const bigrams = bigramCounts([...texts, title]);

  const listed = preparedList(input.listed);
  const present = presentTerms(listed, [title, ...texts]);
  for (const term of present) {
    texts = texts.map((t) => removeTerm(t, term, bigrams, false, removed));
    title = removeTerm(title, term, bigrams, false, removed);
  }

  // Number splits: a run of non-unit Han characters between two digits, recurring in the page.
  const joined = texts.join('\n');
  const counts = new Map<string, number>();
  // One pass over the joined page: '\n' is neither a digit nor Han, so no match spans two texts.
  for (const m of joined.matchAll(NUMBER_SPLIT)) {
    const run = m[2]!;
    if (Array.from(run).some((c) => NUMERIC_CONTEXT.has(c))) continue;
    counts.set(run, (counts.get(run) ?? 0) + 1);
  }
  // Strong evidence (a recurring number split, a stray tail): the term goes wherever it stands.
  const strong = new Set<string>();
  for (const [run] of counts) {
    if (occurrences(joined, run) >= 2 || input.evidence.includes(run)) strong.add(run);
  }
  // The page's own tags, keyword lines and spam lists: their words, where they split something.
  for (const w of new Set(input.evidence)) {
    if (w.length < 2 || w.length > 8 || !HAN_ONLY.test(w)) continue;
    // `w` is Han only, so no occurrence spans the '\n' between two texts of `joined`.
    const total = occurrences(joined, w);
    if (total === 0) continue;
    // A word the page uses in its own sentences is topical, not injected: every occurrence of an
    // injected term breaks something, so most occurrences must be anomalous.
    const probe: string[] = [];
    for (const t of texts) removeTerm(t, w, bigrams, true, probe, total);
    if (probe.length > 0 && probe.length / total >= 0.5) discovered.add(w);
  }
  // Stray runs glued after a paragraph's final sentence.
  texts = texts.map((t) => {
    const m = STRAY_TAIL.exec(t);
    if (!m || !endsSentence(t.slice(0, m.index + 1))) return t;
    strong.add(m[2]!);
    removed.push(m[2]!);
    return t.slice(0, m.index + 1);
  });
  for (const term of [...strong].sort((a, b) => b.length - a.length)) {
    texts = texts.map((t) => removeTerm(t, term, bigrams, false, removed));
    title = removeTerm(title, term, bigrams, false, removed);
  }
  for (const term of [...discovered].sort((a, b) => b.length - a.length)) {
    const n = [...texts, title].reduce((k, t) => k + occurrences(t, term), 0);
    texts = texts.map((t) => removeTerm(t, term, bigrams, true, removed, n));
    title = removeTerm(title, term, bigrams, true, removed, n);
  }
  bigrams.release();
  return { texts, title, removed, discovered: [...new Set([...strong, ...discovered])] };
}
