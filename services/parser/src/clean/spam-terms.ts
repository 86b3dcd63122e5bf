import type { SpamTermList } from '../context';
import type { ParserSettings } from '../settings';
import { HAN_RE, isHan, pairKey } from '../text/cjk';
import {
  cutStrayTails,
  evidenceCandidates,
  numberSplits,
  phraseSplits,
  repeatedRuns,
  type Bigrams,
} from './term-detection';

const isHanChar = (c: string | undefined): boolean => !!c && HAN_RE.test(c);
const isDigit = (c: string | undefined): boolean => !!c && c >= '0' && c <= '9';

export interface TermRemoval {
  /** The paragraphs with terms removed and what they split re-joined. */
  texts: string[];
  title: string;
  /** Every removed string, in order of first removal. */
  removed: string[];
  /** Terms found by generic detection (not from a list): candidates for the host's recurring set. */
  discovered: string[];
}

/** Built on first use: most pages have no term to judge, and a 10 MB page has millions of pairs. */
function bigramCounts(texts: string[]): Bigrams {
  let counts: Map<number, number> | null = null;
  const build = () => {
    const map = new Map<number, number>();
    for (const t of texts) {
      for (let i = 1; i < t.length; i++) {
        const a = t.charCodeAt(i - 1);
        const b = t.charCodeAt(i);
        if (!isHan(a) || !isHan(b)) continue;
        const key = pairKey(a, b);
        map.set(key, (map.get(key) ?? 0) + 1);
      }
    }
    return map;
  };
  const count = (a: number, b: number): number => {
    // Only Han pairs are counted: any other pair is absent.
    if (!isHan(a) || !isHan(b)) return 0;
    counts ??= build();
    return counts.get(pairKey(a, b)) ?? 0;
  };
  return {
    get: (pair) => count(pair.charCodeAt(0), pair.charCodeAt(1)) || undefined,
    count,
  };
}

function junctionAnomalous(text: string, s: number, e: number, bigrams: Bigrams, termCount = 1): boolean {
  const a = text[s - 1];
  const b = text[e];
  if (isDigit(a) && isDigit(b)) return true;
  if (isHanChar(a) && isHanChar(b)) {
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
  if (!isHanChar(a0) || !isHanChar(b0)) return [s, e];
  if ((bigrams.get(`${a0}${b0}`) ?? 0) > 0) return [s, e];
  let best: [number, number] | null = null;
  let bestCost = Infinity;
  for (let l = 0; l <= 2; l++) {
    for (let r = 0; r <= 2; r++) {
      if (l + r === 0 || l + r >= bestCost) continue;
      const ls = s - l;
      const re = e + r;
      let ok = true;
      for (let i = ls; i < s; i++) if (!isHanChar(text[i])) ok = false;
      for (let i = e; i < re; i++) if (!isHanChar(text[i])) ok = false;
      if (!ok) continue;
      const a = text[ls - 1];
      const b = text[re];
      if (isHanChar(a) && isHanChar(b) && (bigrams.get(`${a}${b}`) ?? 0) >= 1) {
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

/**
 * The terms to remove everywhere that occur in the page, longest first (so `台灣包養網` goes before
 * `包養`): the shipped list found by its index in one pass, the operator's and the host's terms (a
 * short list that changes per page) by a search each.
 */
function presentTerms(listed: SpamTermList, extra: readonly string[], texts: string[]): string[] {
  const occurring = new Set([...listed.index.occurring(texts)].map((t) => t.text));
  const found = listed.terms.filter((t) => occurring.has(t));
  for (const t of extra)
    if (t.length >= 2 && !occurring.has(t) && texts.some((x) => x.includes(t))) found.push(t);
  return [...new Set(found)].sort((a, b) => b.length - a.length);
}

/** The texts being cleaned of terms, and what has been cut so far. */
interface TermState {
  texts: string[];
  title: string;
  bigrams: Bigrams;
  removed: string[];
}

/** Removes a term from every text and the title (`onlyAnomalous`: only where it breaks something). */
function removeEverywhere(st: TermState, term: string, onlyAnomalous = false, count = 1): void {
  st.texts = st.texts.map((t) => removeTerm(t, term, st.bigrams, onlyAnomalous, st.removed, count));
  st.title = removeTerm(st.title, term, st.bigrams, onlyAnomalous, st.removed, count);
}

/**
 * Of the candidate terms, those that break something at most of their occurrences: a word the page
 * uses in its own sentences is topical, not injected (every occurrence of an injected term breaks
 * something).
 */
function mostlyAnomalous(st: TermState, candidates: string[], joined: string): string[] {
  return candidates.filter((w) => {
    let total = 0;
    for (let i = joined.indexOf(w); i >= 0; i = joined.indexOf(w, i + w.length)) total++;
    const probe: string[] = [];
    for (const t of st.texts) removeTerm(t, w, st.bigrams, true, probe, total);
    return probe.length > 0 && probe.length / total >= 0.5;
  });
}

const longestFirst = (terms: Iterable<string>): string[] => [...terms].sort((a, b) => b.length - a.length);

/**
 * Removes injected spam terms and re-joins what they split (`63九宮格830元` → `63830元`): listed
 * terms everywhere; then terms found by general rules, whatever list they are missing from: Han
 * runs splitting a number, runs splitting a dictionary phrase (an indicator or a region name), a
 * stray run glued after a paragraph's last sentence (each removed wherever it stands); the page's
 * own tags, keyword lines and spam lists, and short runs repeated in unrelated places, where they
 * break a word the page uses.
 */
export function removeSpamTerms(input: {
  texts: string[];
  title: string;
  listed: SpamTermList;
  extra: readonly string[];
  evidence: string[];
  settings: ParserSettings['spamTerms'];
  /** Per code unit, its simplified form (the script converter's table): phrases are matched so. */
  simplifiedUnit: Uint16Array;
}): TermRemoval {
  const s = input.settings;
  const st: TermState = {
    texts: input.texts.slice(),
    title: input.title,
    bigrams: bigramCounts([...input.texts, input.title]),
    removed: [],
  };
  const listed = presentTerms(input.listed, input.extra, [st.title, ...st.texts]);
  for (const term of listed) removeEverywhere(st, term);
  const evidence = new Set(input.evidence);
  const joined = st.texts.join('\n');
  const strong = numberSplits(joined, evidence, s);
  for (const t of phraseSplits(st.texts, input.simplifiedUnit, input.listed.phraseSplits, s)) strong.add(t);
  // Runs repeated in unrelated places are judged only on a page where terms were already injected
  // (a listed term, a split number or phrase): spam lists alone are common on honest copies, and
  // the judgement (every bigram of the page counted) costs a fifth of a parse.
  const touched = listed.length > 0 || strong.size > 0;
  const candidates = [
    ...evidenceCandidates(evidence, joined, s),
    ...(touched ? repeatedRuns(st.texts, st.bigrams, s) : []),
  ];
  const discovered = new Set(
    mostlyAnomalous(
      st,
      [...new Set(candidates)].filter((c) => !strong.has(c)),
      joined,
    ),
  );
  st.texts = cutStrayTails(st.texts, s, strong, st.removed);
  for (const term of longestFirst(strong)) removeEverywhere(st, term);
  for (const term of longestFirst(discovered)) {
    const n = [...st.texts, st.title].reduce((k, t) => k + t.split(term).length - 1, 0);
    removeEverywhere(st, term, true, n);
  }
  return {
    texts: st.texts,
    title: st.title,
    removed: st.removed,
    discovered: [...new Set([...strong, ...discovered])],
  };
}
