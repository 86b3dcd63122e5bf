/**
 * Checks the corpus itself: every passage validates, every fact quotes its passage, the quoted words
 * contain the fact's figures (a guard against typing 4502100000 for 450.21亿), regions and
 * indicators exist, nothing expected is also forbidden, and the corpus scores perfectly against
 * itself and at zero against nothing.
 */
import { readFileSync } from 'node:fs';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  loadCorpus,
  matchesForbidden,
  normalizeEmitted,
  PASSAGE_KINDS,
  periodEnd,
  scoreCorpus,
  type EmittedFact,
  type ExpectedFact,
  type Passage,
} from './score';

const DATA = new URL('../../data/metrics/', import.meta.url);

interface RegionEntry {
  name: string;
  traditional: string;
  english: string;
  aliases?: string[];
  englishAliases?: string[];
}
const regions = (parseYaml(readFileSync(new URL('regions.yaml', DATA), 'utf8')) as { regions: RegionEntry[] })
  .regions;
const indicatorUnits = new Map(
  (
    parseYaml(readFileSync(new URL('indicators.yaml', DATA), 'utf8')) as {
      indicators: { code: string; unit: string }[];
    }
  ).indicators.map((i) => [i.code, i.unit]),
);
/** Rows of the PROPOSED-INDICATORS.md table: | `code` | `unit` | … */
const proposedUnits = new Map(
  [
    ...readFileSync(new URL('./PROPOSED-INDICATORS.md', import.meta.url), 'utf8').matchAll(
      /^\|\s*`([a-z0-9_]+)`\s*\|\s*`([^`]+)`/gm,
    ),
  ].map((m) => [m[1]!, m[2]!]),
);

const corpus = loadCorpus();
const source = (p: Passage): string => `${p.title}\n${p.text ?? p.html ?? ''}`;
const facts = (p: Passage): ExpectedFact[] => [...p.expected, ...p.alsoAcceptable];
const asEmitted = (f: ExpectedFact): EmittedFact => ({ ...f, isTarget: f.target });

const MULTIPLIERS: [RegExp, number][] = [
  [/万亿|萬億|trillion/i, 1e12],
  [/亿|億|100 million/i, 1e8],
  [/万|萬/, 1e4],
  [/billion/i, 1e9],
  [/million/i, 1e6],
  [/thousand/i, 1e3],
];

function numbersIn(s: string): number[] {
  return [...s.matchAll(/\d+(?:,\d{3})*(?:\.\d+)?/g)].map((m) => Number(m[0].replace(/,/g, '')));
}

/**
 * Whether `value` is a number of the quoted words times a unit word they contain. A table row often
 * leaves the unit to the header or a line above the table: there the whole page's units count.
 */
function stated(value: number, quote: string, page: string | null): boolean {
  const scales = [
    1,
    ...MULTIPLIERS.filter(([re]) => re.test(quote) || (page && re.test(page))).map(([, m]) => m),
  ];
  const target = Math.abs(value);
  return numbersIn(quote).some((n) =>
    scales.some((k) => Math.abs(n * k - target) <= 1e-6 * Math.max(target, 1)),
  );
}

const RISE = /增长|增長|提高|加快|增加|上升|up |rose|grew|increase|higher/i;
const FALL = /下降|回落|缩小|縮小|减少|減少|down |fell|narrowed|declin|lower/i;

/**
 * Whether the sign of a change agrees with the quoted words: a fall needs a fall word or a minus
 * sign before the figure (增长-3.4%); a rise needs a figure with no minus sign, and a rise word
 * unless the quote is a table row.
 */
function signAgrees(change: number, quote: string): boolean {
  const digits = String(Math.abs(change));
  const minus = new RegExp(`[-−－]${digits.replace('.', '\\.')}`).test(quote);
  if (change < 0) return minus || FALL.test(quote);
  return !minus && (RISE.test(quote) || /^<tr\b/i.test(quote));
}

describe('metrics corpus', () => {
  it('has at least 60 passages, every kind represented', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    for (const kind of PASSAGE_KINDS)
      expect(corpus.filter((p) => p.kind === kind).length).toBeGreaterThanOrEqual(4);
  });

  it('quotes every fact from its own passage', () => {
    const missing = corpus.flatMap((p) =>
      facts(p)
        .filter((f) => !source(p).includes(f.from))
        .map((f) => `${p.id}: ${f.from}`),
    );
    expect(missing).toEqual([]);
  });

  it('states each value and change in the quoted words (base-unit arithmetic)', () => {
    const bad: string[] = [];
    for (const p of corpus) {
      const page = p.kind === 'table' ? source(p) : null;
      for (const f of facts(p)) {
        if (f.value !== null && !f.numberInWords && !stated(f.value, f.from, page))
          bad.push(`${p.id}: value ${f.value}`);
        for (const field of ['changePct', 'changePp', 'changeAbs'] as const) {
          const v = f[field];
          if (v === undefined || f.mayOmit.includes(field)) continue;
          if (!stated(v, f.from, page)) bad.push(`${p.id}: ${field} ${v}`);
          if (!signAgrees(v, f.from)) bad.push(`${p.id}: ${field} ${v} (sign)`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('names regions from the gazetteer, each stated somewhere in its passage', () => {
    // Stated: by a gazetteer name or alias, or by the name without its 市/县/区 or City/County/District
    // (the gazetteer leaves some bare stems out on purpose; the text may still use them). 全省 on
    // these Zhejiang pages is the province.
    const namesOf = (r: RegionEntry): string[] => {
      const names = [r.name, r.traditional, r.english, ...(r.aliases ?? []), ...(r.englishAliases ?? [])];
      const stems = [
        r.name.replace(/[市县区]$/, ''),
        r.english.replace(/ (City|County|District|Province)$/, ''),
      ];
      return [...names, ...stems.filter((s) => s.length >= 2)];
    };
    const bad: string[] = [];
    for (const p of corpus) {
      const text = source(p).toLowerCase();
      for (const f of facts(p)) {
        const r = regions.find((x) => x.name === f.region);
        const named = r !== undefined && namesOf(r).some((n) => text.includes(n.toLowerCase()));
        const province = f.region === '浙江省' && /全省/.test(text);
        if (!named && !province) bad.push(`${p.id}: ${f.region}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('uses dictionary indicators with their units, or listed proposals marked as such', () => {
    const bad: string[] = [];
    for (const p of corpus) {
      for (const f of facts(p)) {
        const unit = f.proposedIndicator ? proposedUnits.get(f.indicator) : indicatorUnits.get(f.indicator);
        if (unit !== f.unit) bad.push(`${p.id}: ${f.indicator} ${f.unit} (listed: ${unit ?? 'nowhere'})`);
        if (f.proposedIndicator && indicatorUnits.has(f.indicator))
          bad.push(`${p.id}: ${f.indicator} is not new`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('states no actual figure for a period after the publication month', () => {
    const bad = corpus.flatMap((p) =>
      facts(p)
        .filter(
          (f) => !f.target && p.publishedAt !== undefined && periodEnd(f.period) >= p.publishedAt.slice(0, 7),
        )
        .map((f) => `${p.id}: ${f.indicator} ${f.period}`),
    );
    expect(bad).toEqual([]);
  });

  it('forbids nothing it expects, and expects nothing from bad input', () => {
    const clashes = corpus.flatMap((p) =>
      facts(p)
        .filter((f) =>
          p.forbidden.some((pattern) => matchesForbidden(pattern, normalizeEmitted(asEmitted(f)))),
        )
        .map((f) => `${p.id}: ${f.indicator} ${f.period}`),
    );
    expect(clashes).toEqual([]);
    for (const p of corpus.filter((x) => x.kind === 'bad_input')) expect(p.expected).toEqual([]);
  });

  it('scores perfectly against itself and at zero against nothing', () => {
    const self = Object.fromEntries(corpus.map((p) => [p.id, facts(p).map(asEmitted)]));
    const perfect = scoreCorpus(corpus, self);
    expect([perfect.recall, perfect.precision, perfect.wrong, perfect.forbiddenHits]).toEqual([1, 1, 0, 0]);
    expect(perfect.targetsFound).toBe(perfect.targetsExpected);
    const empty = scoreCorpus(corpus, {});
    expect(empty.found).toBe(0);
    expect(empty.expected).toBeGreaterThanOrEqual(300);
  });
});
