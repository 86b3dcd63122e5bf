import type { ParserSettings } from '../settings';
import { HAN, isHan, pairKey } from '../text/cjk';
import { matchingText } from '../metrics/text';
import { endsSentence } from '../text/chars';

type Settings = ParserSettings['spamTerms'];

/** Counts of the page's Han bigrams (built when first asked for). */
export interface Bigrams {
  get(pair: string): number | undefined;
  /** How often the pair of code units (a, b) occurs (0 unless both are Han). */
  count(a: number, b: number): number;
}

/**
 * Characters that legitimately stand between two numbers (units, measure words, connectives,
 * dates): a Han run made of none of them, splitting a number, is an injected term.
 */
const NUMERIC_CONTEXT = new Set(
  Array.from(
    '年月日时時分秒号號元万萬亿億千百十个個家人名位项項次倍点點期届屆批座条條所户戶亩畝米吨噸岁歲余餘多至到和与與及或比增长長降占佔为為是达達超过過约約近第共计計累从從由在同环環以上下内內外间間度级級型天周週层層栋棟台臺辆輛份件套张張本册冊篇章节節区區市省县縣镇鎮乡鄉村街道路号克升斤公里平方立厘毫兆瓦千伏帕年度季半前后後中',
  ),
);
const HAN_ONLY = new RegExp(`^[${HAN}]+$`);
/**
 * Function words: a run holding one is a piece of a sentence (`在年初的`), not an injected term
 * (injected terms are nouns: 會議室, 瑜珈館, 共享空間).
 */
const FUNCTION_WORD = /[的了在是和与與及或为為于於对對把被将將从從以等也都就而并並向由给給让讓这這那其之所]/;

function occurrences(text: string, term: string): number {
  let n = 0;
  for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + term.length)) n++;
  return n;
}

/**
 * Rule 1, a Han run splitting a number (`63九宮格830元`, `20會議室03.4億元`), made of no unit or
 * measure word: taken when it is long enough to be a word of its own, recurs, or the page's own
 * lists name it.
 */
export function numberSplits(joined: string, evidence: ReadonlySet<string>, s: Settings): Set<string> {
  const re = new RegExp(`(\\d)([${HAN}]{${s.runMinChars},${s.runMaxChars}})(?=\\d)`, 'g');
  const found = new Set<string>();
  for (const m of joined.matchAll(re)) {
    const run = m[2]!;
    if (Array.from(run).some((c) => NUMERIC_CONTEXT.has(c))) continue;
    if (run.length >= s.numberSplitAloneChars || evidence.has(run) || occurrences(joined, run) >= 2)
      found.add(run);
  }
  return found;
}

/** Stray runs glued after a paragraph's final sentence (`…的發展新路。舞蹈教室`): the texts without them. */
export function cutStrayTails(texts: string[], s: Settings, found: Set<string>, removed: string[]): string[] {
  const tail = new RegExp(`([。！？!?；;…”」])([${HAN}]{${s.runMinChars},${s.runMaxChars}})$`);
  return texts.map((t) => {
    const m = tail.exec(t);
    if (!m || !endsSentence(t.slice(0, m.index + 1))) return t;
    found.add(m[2]!);
    removed.push(m[2]!);
    return t.slice(0, m.index + 1);
  });
}

/**
 * Where a dictionary phrase (an indicator phrase or a region name, simplified) can be split: per
 * pair of adjacent characters of a phrase, the phrases and the place of the pair in them.
 */
export interface PhraseSplitIndex {
  at: Map<number, Array<{ phrase: string; k: number }>>;
  /** Every adjacent pair inside some phrase: a run whose edges are such pairs continues a phrase. */
  pairs: Set<number>;
  /**
   * 1 at `splitPairSlot(a, b)` when (a, b) may be a split point (the last character of a phrase's
   * first part, the first of its second part): one read rejects almost every pair of characters
   * (the characters alone are too common to tell, a pair's key too large for a table).
   */
  splitPairs: Uint8Array;
  /** 1 for a character that ends the first part of some phrase (a few hundred do). */
  splitLeft: Uint8Array;
}

const SPLIT_PAIR_BITS = 16;
function splitPairSlot(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ b) & ((1 << SPLIT_PAIR_BITS) - 1);
}

export function buildPhraseSplitIndex(phrases: Iterable<string>): PhraseSplitIndex {
  const at = new Map<number, Array<{ phrase: string; k: number }>>();
  const pairs = new Set<number>();
  const splitPairs = new Uint8Array(1 << SPLIT_PAIR_BITS);
  const splitLeft = new Uint8Array(65536);
  for (const phrase of phrases) {
    for (let k = 1; k < phrase.length; k++) {
      const a = phrase.charCodeAt(k - 1);
      const b = phrase.charCodeAt(k);
      if (!isHan(a) || !isHan(b)) continue;
      const key = pairKey(a, b);
      pairs.add(key);
      // Both parts of two characters at least: a one-character part (柯桥 | 区) splits too easily.
      if (k < 2 || phrase.length - k < 2) continue;
      at.set(key, [...(at.get(key) ?? []), { phrase, k }]);
      splitPairs[splitPairSlot(a, b)] = 1;
      splitLeft[a] = 1;
    }
  }
  return { at, pairs, splitPairs, splitLeft };
}

/** The run [s, e) of `m` splits a phrase: the phrase's start ends at s, its rest starts at e. */
function splitsPhrase(m: string, s: number, e: number, index: PhraseSplitIndex): boolean {
  const cands = index.at.get(pairKey(m.charCodeAt(s - 1), m.charCodeAt(e)));
  if (!cands) return false;
  // A run whose own edges continue a phrase (`居民人均收入`: 民人 is in 居民人均…) is a word, not junk.
  if (index.pairs.has(pairKey(m.charCodeAt(s - 1), m.charCodeAt(s)))) return false;
  if (index.pairs.has(pairKey(m.charCodeAt(e - 1), m.charCodeAt(e)))) return false;
  return cands.some(
    ({ phrase, k }) => m.startsWith(phrase.slice(0, k), s - k) && m.startsWith(phrase.slice(k), e),
  );
}

/**
 * Rule 2, a run that splits a known word: an indicator phrase or a region name broken by a short
 * Han run (`村級集體瑜珈館經濟總收入`). `matching` gives each text in simplified script, aligned.
 */
export function phraseSplits(
  texts: string[],
  simplifiedUnit: Uint16Array,
  index: PhraseSplitIndex,
  s: Settings,
): Set<string> {
  const found = new Set<string>();
  for (const text of texts) {
    let m: string | null = null;
    for (let start = 1; start < text.length; start++) {
      const before = simplifiedUnit[text.charCodeAt(start - 1)]!;
      if (index.splitLeft[before] === 0) continue;
      for (let e = start + s.runMinChars; e <= start + s.splitRunMaxChars && e < text.length; e++) {
        if (!isHan(text.charCodeAt(e - 1))) break;
        if (index.splitPairs[splitPairSlot(before, simplifiedUnit[text.charCodeAt(e)]!)] === 0) continue;
        m ??= matchingText(text, simplifiedUnit);
        if (splitsPhrase(m, start, e, index) && !FUNCTION_WORD.test(m.slice(start, e)))
          found.add(text.slice(start, e));
      }
    }
  }
  return found;
}

/** The page's own evidence (tag lists, keyword lines, spam lists, sidebars): its Han words that occur. */
export function evidenceCandidates(evidence: ReadonlySet<string>, joined: string, s: Settings): string[] {
  return [...evidence].filter(
    (w) => w.length >= s.runMinChars && w.length <= s.runMaxChars && HAN_ONLY.test(w) && joined.includes(w),
  );
}

/**
 * Rule 3 candidates, the same short run repeated in unrelated places: runs standing between two Han
 * characters where both edges occur nowhere else in the page while the two neighbours, joined,
 * make a pair the page does use (the run broke a word). Returned with how often each was seen so.
 */
export function repeatedRuns(texts: string[], bigrams: Bigrams, s: Settings): string[] {
  const seen = new Map<string, number>();
  for (const t of texts) {
    for (let start = 1; start < t.length; start++) {
      if (!isHan(t.charCodeAt(start - 1)) || !isHan(t.charCodeAt(start))) continue;
      const before = t.charCodeAt(start - 1);
      if (bigrams.count(before, t.charCodeAt(start)) !== 1) continue;
      for (let e = start + s.runMinChars; e <= start + s.splitRunMaxChars && e < t.length; e++) {
        if (!isHan(t.charCodeAt(e - 1)) || !isHan(t.charCodeAt(e))) break;
        if (bigrams.count(t.charCodeAt(e - 1), t.charCodeAt(e)) !== 1) continue;
        if (bigrams.count(before, t.charCodeAt(e)) < 1) continue;
        const run = t.slice(start, e);
        if (!FUNCTION_WORD.test(run)) seen.set(run, (seen.get(run) ?? 0) + 1);
      }
    }
  }
  return [...seen].filter(([, n]) => n >= s.repeatedRunMinPlaces).map(([run]) => run);
}
