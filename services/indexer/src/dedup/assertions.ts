import { canonicalUnit, chineseNumeral, quantityOf, type Quantity } from '@govwire/shared';
import { ENGLISH_MONTHS } from '@govwire/shared/months';
import { Converter } from 'opencc-js/t2cn';
import { murmur3 } from './hash32';

/**
 * What a text asserts, as the merge guard compares it: the regions it names, the periods and dates
 * it speaks of, the issue numbers it carries and every figure (a number with its unit) it states.
 * Wording is the shingles' business; these are the things a template changes from one report to
 * the next (平湖市 → 海宁市, 第12期 → 第13期, 1-9月 → 1-10月, 786万元 → 812万元).
 */
export type AssertionKind = 'region' | 'period' | 'issue' | 'figure';

export interface Assertion {
  kind: AssertionKind;
  /** Canonical value: a region's official name, `y2024`, `m1-9`, `d11-28`, `q1-3`, an issue number. */
  value: string;
  /** The script of the words around it; figures in different scripts are compared without context. */
  lang: 'zh' | 'en';
  /** Figures only: the words just before the number in its clause (新建项目, "gdp reached"). */
  context: string;
  quantity: Quantity | null;
  /** The text as written, for the veto's reason. */
  text: string;
}

/** A region of the gazetteer and the names that identify it in text (simplified Chinese; English). */
export interface GazetteerRegion {
  name: string;
  zh: string[];
  en: string[];
}

/** The guard's data: the gazetteer and the settings of `data/dedup.yaml` (`merge_guard`). */
export interface MergeGuardData {
  regions: GazetteerRegion[];
  /** A short line (or bracketed aside) holding one of these is publication metadata, not content. */
  metadataMarkers: string[];
  metadataLineMaxChars: number;
  /** Figures: Chinese characters (and English words) of context kept before the number. */
  contextChars: number;
  contextWords: number;
}

/** The guard's data compiled once (regular expressions, name look-up); immutable. */
export interface MergeGuard {
  readonly data: MergeGuardData;
  readonly zhRegions: RegExp | null;
  readonly enRegions: RegExp | null;
  readonly regionOfName: ReadonlyMap<string, string>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function buildMergeGuard(data: MergeGuardData): MergeGuard {
  const regionOfName = new Map<string, string>();
  const zh: string[] = [];
  const en: string[] = [];
  for (const r of data.regions) {
    for (const n of [r.name, ...r.zh]) {
      regionOfName.set(n, r.name);
      zh.push(n);
    }
    for (const n of r.en) {
      regionOfName.set(n.toLowerCase(), r.name);
      en.push(n.toLowerCase());
    }
  }
  // Longest first: 嘉兴平湖 before 嘉兴, so a position names the most specific region.
  const alternation = (names: string[]) =>
    [...new Set(names)]
      .sort((a, b) => b.length - a.length)
      .map(escape)
      .join('|');
  return {
    data,
    zhRegions: zh.length ? new RegExp(alternation(zh), 'g') : null,
    enRegions: en.length ? new RegExp(`\\b(?:${alternation(en)})\\b`, 'gi') : null,
    regionOfName,
  };
}

/**
 * Publication metadata is not what a text asserts: each mirror shows its own date line, view count,
 * editor or reprint note (`发布时间:2022-05-06 10:00`, `(2022年5月7日 转载)`). Short lines and
 * bracketed asides holding a marker go, as do URLs, bare date/time lines and times of day. A long
 * paragraph that happens to hold a marker word (资金来源…) stays: it is content.
 */
export function contentOf(guard: MergeGuard, text: string): string {
  const markers = guard.data.metadataMarkers.map((m) => m.toLowerCase());
  const isMeta = (s: string) => markers.some((m) => s.toLowerCase().includes(m));
  return text
    .normalize('NFKC')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => !(line.length <= guard.data.metadataLineMaxChars && isMeta(line)))
    .filter((line) => !/^[\d\s\-/.:年月日号]+$/.test(line))
    .map((line) =>
      line
        .replace(/[([【][^()[\]【】]{0,60}[)\]】]/g, (m) => (isMeta(m) ? ' ' : m))
        .replace(/https?:\/\/\S+/g, ' ')
        .replace(/\b\d{1,2}:\d{2}(?::\d{2})?\b/g, ' '),
    )
    .join('\n');
}

/** Every assertion of a text (simplified Chinese and English): regions, periods, issues, figures. */
export function assertionsOf(guard: MergeGuard, textSimplified: string): Assertion[] {
  const out: Assertion[] = [];
  const content = contentOf(guard, textSimplified);
  regionsOf(guard, content, out);
  // Periods and issue numbers are masked once read, so their digits are not read again as figures.
  const masked = maskedPeriodsAndIssues(content, out);
  figuresOf(guard, masked, out);
  return out;
}

/**
 * What a text asserts that its copies assert too, as 32-bit keys (signed, for a Postgres
 * integer[]), sorted and distinct: the regions, periods and issue numbers of its title and body
 * (canonical values, alike in both scripts and in English). Stored with each version, they rank
 * LSH candidates: the keys of a copy and of its original are one within the other (the copy may
 * drop a paragraph), while each template sibling has a county, period or issue of its own.
 * Figures are left out: siblings alike in all three differ only in figures (a corrected
 * re-issue), too few to crowd the candidate limit; and reading every text's figures as well cost
 * 0.3 to 0.7 ms more indexer CPU per article in bench:index, against none measurable without.
 */
export function assertionKeys(
  guard: MergeGuard,
  t: { title?: string | null; textSimplified: string },
): number[] {
  const found: Assertion[] = [];
  const content = contentOf(guard, guardedText(t));
  regionsOf(guard, content, found);
  maskedPeriodsAndIssues(content, found);
  const keys = found.map((a) => murmur3(`${a.kind}:${a.value}`) | 0);
  return [...new Set(keys)].sort((x, y) => x - y);
}

/** What the guard reads of a text: its title (simplified, see simplifiedTitle) and its body. */
export function guardedText(t: { title?: string | null; textSimplified: string }): string {
  return `${t.title ? simplifiedTitle(t.title) : ''}\n${t.textSimplified}`;
}

/** OpenCC t→cn, the parser's conversion of a text to simplified script. */
const toSimplified = Converter({ from: 't', to: 'cn' });

/**
 * A title in simplified script. The parser simplifies the body but keeps the title as the page
 * wrote it; the guard reads both alike, or a traditional copy whose title says 增長7.2% would
 * assert a figure its original (增长7.2%) does not, and a county named 麗水 would go unseen.
 */
export function simplifiedTitle(title: string): string {
  return toSimplified(title);
}

/**
 * What a title states that the exact content hash must hold (`issue:12`, `period:m1-9`,
 * `region:建德市`), sorted. A bulletin's issue or a release's months often stand in its title
 * alone, over a body the next issue repeats word for word; a notice that counties copy from the
 * province's template names its county in the title alone (the issuing office under it is left
 * out as boilerplate). A region joins only when the body does not name it: a mirror's site name
 * (…_嘉善县人民政府) over a body about 嘉善县 leaves the hash alone. Script-neutral: read simplified.
 */
export function titleMarks(
  guard: MergeGuard,
  title: string | null | undefined,
  textSimplified: string,
): string[] {
  if (!title) return [];
  const simplified = simplifiedTitle(title).normalize('NFKC');
  const out: Assertion[] = [];
  maskedPeriodsAndIssues(simplified, out);
  const inTitle: Assertion[] = [];
  regionsOf(guard, simplified, inTitle);
  if (inTitle.length > 0) {
    const inBody: Assertion[] = [];
    regionsOf(guard, contentOf(guard, textSimplified), inBody);
    const named = new Set(inBody.map((r) => r.value));
    out.push(...inTitle.filter((r) => !named.has(r.value)));
  }
  return [...new Set(out.map((a) => `${a.kind}:${a.value}`))].sort();
}

function regionsOf(guard: MergeGuard, text: string, out: Assertion[]): void {
  for (const re of [guard.zhRegions, guard.enRegions]) {
    if (!re) continue;
    for (const m of text.matchAll(re)) {
      const name = guard.regionOfName.get(re.flags.includes('i') ? m[0].toLowerCase() : m[0]);
      if (!name) continue;
      const lang = re === guard.zhRegions ? 'zh' : 'en';
      out.push({ kind: 'region', value: name, lang, context: '', quantity: null, text: m[0] });
    }
  }
}

/** Marks a masked span: a clause boundary for figure contexts, no digits left in it. */
export const MASK = '\u0001';

type Reader = [RegExp, (m: RegExpMatchArray) => { kind: 'period' | 'issue'; value: string }[]];

const n = (s: string | undefined) => String(Number(s ?? '') || chineseNumeral(s ?? '') || s);
const y = (s: string | undefined) => ({ kind: 'period' as const, value: `y${s}` });
const p = (value: string) => ({ kind: 'period' as const, value });
const month = (s: string | undefined) =>
  String(ENGLISH_MONTHS.findIndex((x) => s?.toLowerCase().startsWith(x.slice(0, 3))) + 1);
/** Capitalised: "may" and "march" are also verbs. */
const MONTH_RE =
  '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const ZH_NUM = '[0-9一二三四五六七八九十百〇零两]+';
const QUARTER: Record<string, string> = {
  一: '1',
  二: '2',
  三: '3',
  四: '4',
  first: '1',
  second: '2',
  third: '3',
  fourth: '4',
};

/**
 * Periods, dates and issue numbers, most specific first (a date before its month, a month range
 * before a month). Values are canonical across scripts: 2024年1-9月 and "January-September 2024"
 * both give y2024 and m1-9.
 */
const READERS: Reader[] = [
  [
    new RegExp(`(?:总)?第\\s*(${ZH_NUM})\\s*期`, 'g'),
    (m) => [{ kind: 'issue', value: `${m[0].startsWith('总') ? 't' : ''}${n(m[1])}` }],
  ],
  [/\bissue\s*(?:no\.?\s*)?(\d+)/gi, (m) => [{ kind: 'issue', value: n(m[1]) }]],
  [
    /(?<![\d.])((?:19|20)\d{2})([-/.])(\d{1,2})\2(\d{1,2})(?![\d.])/g,
    (m) => [y(m[1]), p(`d${n(m[3])}-${n(m[4])}`)],
  ],
  [
    /(?<![\d.])(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*[-—~至到]\s*(\d{1,2})\s*月/g,
    (m) => [...(m[1] ? [y(m[1])] : []), p(`m${n(m[2])}-${n(m[3])}`)],
  ],
  [
    /(?<![\d.])(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/g,
    (m) => [...(m[1] ? [y(m[1])] : []), p(`d${n(m[2])}-${n(m[3])}`)],
  ],
  [
    /(?<![\d.])(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月份?/g,
    (m) => [...(m[1] ? [y(m[1])] : []), p(`m${n(m[2])}`)],
  ],
  [/前([一二三])季度/g, (m) => [p(`q1-${QUARTER[m[1]!]}`)]],
  [/(?:第)?([一二三四1-4])\s*季度/g, (m) => [p(`q${QUARTER[m[1]!] ?? m[1]}`)]],
  [/([上下])半年/g, (m) => [p(m[1] === '上' ? 'h1' : 'h2')]],
  [/第\s*(\d+)\s*周/g, (m) => [p(`w${m[1]}`)]],
  [/(?<![\d.])((?:19|20)\d{2})\s*年度?/g, (m) => [y(m[1])]],
  [
    new RegExp(`\\b${MONTH_RE}\\s*(?:-|–|—|to|through)\\s*${MONTH_RE}(?:,?\\s+((?:19|20)\\d{2}))?`, 'g'),
    (m) => [...(m[3] ? [y(m[3])] : []), p(`m${month(m[1])}-${month(m[2])}`)],
  ],
  [
    new RegExp(`\\b${MONTH_RE}\\s+(\\d{1,2})\\b(?:,?\\s+((?:19|20)\\d{2}))?`, 'g'),
    (m) => [...(m[3] ? [y(m[3])] : []), p(`d${month(m[1])}-${n(m[2])}`)],
  ],
  [
    new RegExp(`\\b${MONTH_RE}(?:,?\\s+((?:19|20)\\d{2}))?\\b`, 'g'),
    (m) => [...(m[2] ? [y(m[2])] : []), p(`m${month(m[1])}`)],
  ],
  [/\bfirst three quarters\b/gi, () => [p('q1-3')]],
  [
    /\b(first|second|third|fourth) quarter\b|\bQ([1-4])\b/gi,
    (m) => [p(`q${QUARTER[(m[1] ?? '').toLowerCase()] ?? m[2]}`)],
  ],
  [/\b(first|second) half\b/gi, (m) => [p(m[1]!.toLowerCase() === 'first' ? 'h1' : 'h2')]],
  // A year, not a figure that starts like one (1901.08亿元, 2024 million yuan).
  [
    /(?<![\d.,])\b((?:19|20)\d{2})\b(?![.,]\d|\s*(?:[%万亿千百]|thousand|million|billion|trillion|yuan|percent))/g,
    (m) => [y(m[1])],
  ],
];

function maskedPeriodsAndIssues(text: string, out: Assertion[]): string {
  let masked = text;
  for (const [re, read] of READERS) {
    masked = masked.replace(re, (...args) => {
      const m = args.slice(0, -2) as unknown as RegExpMatchArray;
      const lang = /\p{Script=Han}/u.test(m[0]) ? 'zh' : 'en';
      for (const a of read(m)) out.push({ ...a, lang, context: '', quantity: null, text: m[0] });
      return MASK;
    });
  }
  return masked;
}

/** Multi-word units first (个百分点 is not 个), then any one Chinese measure character or a word. */
const FIGURE =
  /(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万亿|亿|万|千|百|thousand|million|billion|trillion)?\s*(个百分点|元人民币|percentage points?|per cent|percent|[%‰]|\p{Script=Han}|[a-z]+)?/giu;

const BOUNDARY = /[,.;:!?()[\]、。，；：！？“”"'《》\n\u0001]/u;

function figuresOf(guard: MergeGuard, text: string, out: Assertion[]): void {
  for (const m of text.matchAll(FIGURE)) {
    const before = text.slice(Math.max(0, m.index - 80), m.index);
    // A number glued to letters (G60, 5G) is a name, not a figure.
    if (/[a-z]$/i.test(before)) continue;
    const clause = before.split(BOUNDARY).pop() ?? '';
    const zh =
      /\p{Script=Han}/u.test(clause) || (!/[a-z]/i.test(clause) && /\p{Script=Han}/u.test(m[3] ?? ''));
    const context = zh
      ? [...clause.replace(/\s+/g, '')].slice(-guard.data.contextChars).join('')
      : clause.toLowerCase().trim().split(/\s+/).slice(-guard.data.contextWords).join(' ');
    const digits = m[1]!;
    const scale = m[2]?.toLowerCase() ?? null;
    const quantity = quantityOf(digits, scale, m[3] ?? null) ?? {
      value: Number(digits.replace(/,/g, '')),
      unit: canonicalUnit(m[3]),
    };
    out.push({ kind: 'figure', value: digits, lang: zh ? 'zh' : 'en', context, quantity, text: m[0].trim() });
  }
}
