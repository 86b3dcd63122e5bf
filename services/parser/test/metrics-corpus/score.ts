/**
 * The hand-checked metrics corpus and its scorer. Pure TypeScript: it reads the passages in
 * `passages/*.yaml`, validates them, and scores the facts an extractor emitted for each passage
 * (recall, precision, wrong values, forbidden hits, targets stored as actual values). It imports
 * nothing from the parser, so that the extractor can be redesigned and measured against it.
 * Conventions (periods, base units, what counts as found or wrong): README.md beside this file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const CORPUS_DIR = fileURLToPath(new URL('./passages/', import.meta.url));

export const PASSAGE_KINDS = [
  'communique',
  'monthly',
  'quarterly',
  'work_report',
  'english',
  'bilingual',
  'traditional',
  'table',
  'news',
  'bad_input',
] as const;
export type PassageKind = (typeof PASSAGE_KINDS)[number];

/**
 * Two values are the same when they differ by at most one part in a million: float noise
 * (729.91 × 1e8 = 72990999999.99999) and rounding of the base-unit product pass; a different
 * figure (1.599 vs 1.6, 69842 vs 69843, 1901 vs 1901.2 亿) does not.
 */
export const VALUE_RELATIVE_TOLERANCE = 1e-6;
/** Changes (percent, points, absolute ratio changes) are written with at most 3 decimals. */
export const CHANGE_ABSOLUTE_TOLERANCE = 1e-6;

/** `2023` (a year), `2023-09` (one month), `2023-01/2023-09` (a range of months in one year). */
export function isValidPeriod(period: string): boolean {
  const m = /^(\d{4})(?:-(\d{2}))?(?:\/(\d{4})-(\d{2}))?$/.exec(period);
  if (!m) return false;
  const [, y1, m1, y2, m2] = m;
  const month = (s: string | undefined): boolean => s === undefined || (Number(s) >= 1 && Number(s) <= 12);
  if (!month(m1) || !month(m2)) return false;
  if (y2 === undefined) return true;
  // A range needs both ends as months, starts before it ends, and stays in one year.
  return m1 !== undefined && y1 === y2 && Number(m1) < Number(m2);
}

/** The last month a period covers, as `YYYY-MM` (a year ends in December). */
export function periodEnd(period: string): string {
  const end = period.split('/').at(-1) ?? period;
  return end.length === 4 ? `${end}-12` : end;
}

const periodSchema = z.coerce
  .string()
  .refine(isValidPeriod, 'period: 2023, 2023-09 or 2023-01/2023-09 (quote it in YAML)');
const unitSchema = z.enum(['CNY', '%', 'ratio', 'points', 'persons', 'count']);
const rankScopeSchema = z.enum(['province', 'city', 'nation']);
const qualifierSchema = z.enum(['above', 'about', 'below', 'top_n']);
const changeKindSchema = z.enum(['annual', 'multi_year_average']);
const indicatorSchema = z.string().regex(/^[a-z][a-z0-9_]*$/);

/** Fields an expected fact may list in `mayOmit`: an extractor may leave them null. */
export const OMITTABLE_FIELDS = [
  'changePct',
  'changePp',
  'changeAbs',
  'rank',
  'rankScope',
  'rankTotal',
  'qualifier',
] as const;
type OmittableField = (typeof OMITTABLE_FIELDS)[number];

export const expectedFactSchema = z
  .object({
    region: z.string().min(2),
    indicator: indicatorSchema,
    period: periodSchema,
    /** Base units (1901亿元 → 190100000000); null when only a change is stated. */
    value: z.number().nullable(),
    unit: unitSchema,
    changePct: z.number().optional(),
    changePp: z.number().optional(),
    changeAbs: z.number().optional(),
    changeKind: changeKindSchema.optional(),
    rank: z.number().int().positive().optional(),
    rankScope: rankScopeSchema.optional(),
    rankTotal: z.number().int().positive().optional(),
    qualifier: qualifierSchema.optional(),
    target: z.boolean().default(false),
    proposedIndicator: z.boolean().default(false),
    mayOmit: z.array(z.enum(OMITTABLE_FIELDS)).default([]),
    /** The words of the passage (text or html) that state the fact, quoted exactly. */
    from: z.string().min(2),
    /** The value is written in words ("twenty-six"): the corpus test skips its digit check. */
    numberInWords: z.boolean().default(false),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const problem = (message: string): void => void ctx.addIssue({ code: 'custom', message });
    const noChange = f.changePct === undefined && f.changePp === undefined && f.changeAbs === undefined;
    if (f.value === null && noChange) problem('a fact states a value or a change');
    if (f.changeKind !== undefined && f.changePct === undefined) problem('changeKind needs changePct');
    if ((f.rank === undefined) !== (f.rankScope === undefined)) problem('rank and rankScope go together');
    if (f.rankTotal !== undefined && (f.rank === undefined || f.rank > f.rankTotal)) {
      problem('rankTotal needs a rank no larger than it');
    }
    if (f.qualifier === 'top_n' && f.rank === undefined) problem('top_n needs the rank (前10 → rank 10)');
    for (const field of f.mayOmit) if (f[field] === undefined) problem(`mayOmit lists ${field}, not given`);
  });
export type ExpectedFact = z.infer<typeof expectedFactSchema>;

/** A fact that must not be emitted: every field given must match; fields left out match anything. */
export const forbiddenSchema = z
  .object({
    region: z.string().min(2).optional(),
    indicator: indicatorSchema.optional(),
    period: periodSchema.optional(),
    value: z.number().nullable().optional(),
    unit: unitSchema.optional(),
    changePct: z.number().optional(),
    changePp: z.number().optional(),
    changeAbs: z.number().optional(),
    changeKind: changeKindSchema.optional(),
    rank: z.number().int().positive().optional(),
    qualifier: qualifierSchema.optional(),
    /** true: only when emitted as a target; false: only when emitted as an actual value. */
    target: z.boolean().optional(),
    reason: z.string().min(3),
  })
  .strict()
  .refine(
    (p) => Object.keys(p).some((k) => k !== 'reason' && k !== 'target'),
    'a forbidden pattern names at least one field besides target',
  );
export type ForbiddenPattern = z.infer<typeof forbiddenSchema>;

export const passageSchema = z
  .object({
    kind: z.enum(PASSAGE_KINDS),
    title: z.string(),
    publishedAt: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    source: z.string().optional(),
    /** Clean text, paragraphs separated by blank lines. Exactly one of text and html. */
    text: z.string().min(1).optional(),
    /** The whole page, for tables and pages whose heading structure matters. */
    html: z.string().min(1).optional(),
    notes: z.string().optional(),
    expected: z.array(expectedFactSchema).default([]),
    alsoAcceptable: z.array(expectedFactSchema).default([]),
    forbidden: z.array(forbiddenSchema).default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    if ((p.text === undefined) === (p.html === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of text and html' });
    }
    const seen = new Set<string>();
    for (const f of [...p.expected, ...p.alsoAcceptable]) {
      const key = factKey(f.region, f.indicator, f.period, f.target);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `two facts with the key ${key}` });
      seen.add(key);
    }
  });
export type Passage = z.infer<typeof passageSchema> & { id: string };

/** Reads and validates every passage; a bad file fails with its name and the problems. */
export function loadCorpus(dir: string = CORPUS_DIR): Passage[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return files.map((file) => {
    const parsed = passageSchema.safeParse(parseYaml(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
    return { ...parsed.data, id: basename(file, '.yaml') };
  });
}

/** The paragraphs of a text passage (blank-line separated), trimmed. */
export function passageParagraphs(p: Passage): string[] {
  return (p.text ?? '')
    .split(/\n\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The passage as a web page: its own html, or a plain article page built from the text (title in
 * `<title>` and `<h1>`, the date in `<meta name="PubDate">`, one `<p>` per paragraph).
 */
export function passageHtml(p: Passage): string {
  if (p.html !== undefined) return p.html;
  const date = p.publishedAt ? `<meta name="PubDate" content="${p.publishedAt} 09:00">` : '';
  const paragraphs = passageParagraphs(p)
    .map((s) => `<p>${escapeHtml(s)}</p>`)
    .join('\n');
  return (
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(p.title)}</title>${date}</head>\n` +
    `<body><article><h1>${escapeHtml(p.title)}</h1>\n${paragraphs}\n</article></body></html>\n`
  );
}

/**
 * A fact as an extractor emits it: the shared Metric shape (evidence and lang are ignored) plus the
 * optional fields the redesign adds. A goal is marked by `isTarget: true` or `qualifier: 'target'`.
 * `changeKind: 'percentage_points'` with the points in `changePct` (today's Metric) is read as
 * `changePp`.
 */
export interface EmittedFact {
  region: string;
  indicator: string;
  period: string;
  value: number | null;
  unit: string;
  changePct?: number | null;
  changePp?: number | null;
  changeAbs?: number | null;
  changeKind?: string | null;
  rank?: number | null;
  rankScope?: string | null;
  rankTotal?: number | null;
  qualifier?: string | null;
  isTarget?: boolean;
}

/** Both sides of a comparison, with absent fields as null. */
interface NormalFact {
  region: string;
  indicator: string;
  period: string;
  value: number | null;
  unit: string;
  changePct: number | null;
  changePp: number | null;
  changeAbs: number | null;
  /** Only when changePct is given: 'annual' unless stated otherwise. */
  changeKind: string | null;
  rank: number | null;
  rankScope: string | null;
  rankTotal: number | null;
  /** undefined: not known (a target emitted as qualifier 'target' hides its own qualifier). */
  qualifier: string | null | undefined;
  target: boolean;
}

export function factKey(region: string, indicator: string, period: string, target: boolean): string {
  return `${region}|${indicator}|${period}|${target ? 'target' : 'actual'}`;
}

const keyOf = (f: NormalFact): string => factKey(f.region, f.indicator, f.period, f.target);

export function normalizeEmitted(m: EmittedFact): NormalFact {
  let changePct = m.changePct ?? null;
  let changePp = m.changePp ?? null;
  let kind = m.changeKind ?? null;
  if (kind === 'percentage_points') {
    if (changePp === null) changePp = changePct;
    changePct = null;
    kind = null;
  }
  return {
    region: m.region,
    indicator: m.indicator,
    period: m.period,
    value: m.value,
    unit: m.unit,
    changePct,
    changePp,
    changeAbs: m.changeAbs ?? null,
    changeKind: changePct === null ? null : (kind ?? 'annual'),
    rank: m.rank ?? null,
    rankScope: m.rankScope ?? null,
    rankTotal: m.rankTotal ?? null,
    qualifier: m.qualifier === 'target' ? undefined : (m.qualifier ?? null),
    target: m.isTarget === true || m.qualifier === 'target',
  };
}

function normalizeExpected(e: ExpectedFact): NormalFact {
  return {
    region: e.region,
    indicator: e.indicator,
    period: e.period,
    value: e.value,
    unit: e.unit,
    changePct: e.changePct ?? null,
    changePp: e.changePp ?? null,
    changeAbs: e.changeAbs ?? null,
    changeKind: e.changePct === undefined ? null : (e.changeKind ?? 'annual'),
    rank: e.rank ?? null,
    rankScope: e.rankScope ?? null,
    rankTotal: e.rankTotal ?? null,
    qualifier: e.qualifier ?? null,
    target: e.target,
  };
}

export function sameValue(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= VALUE_RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

const sameChange = (a: number | null, b: number | null): boolean =>
  a === null || b === null ? a === b : Math.abs(a - b) <= CHANGE_ABSOLUTE_TOLERANCE;

const COMPARED_FIELDS = [
  'changePct',
  'changePp',
  'changeAbs',
  'changeKind',
  'rank',
  'rankScope',
  'rankTotal',
  'qualifier',
] as const;

/**
 * How an emitted fact differs from the expected one with its key: one `field: expected X, got Y`
 * per field. A field the text does not give must be null (nothing may be invented), unless the
 * expected fact lists it in `mayOmit`, which allows null in place of the stated value.
 */
export function differences(expected: ExpectedFact, emitted: NormalFact): string[] {
  const e = normalizeExpected(expected);
  const out: string[] = [];
  const show = (v: unknown): string => (v === null || v === undefined ? 'none' : String(v));
  if (!sameValue(e.value, emitted.value))
    out.push(`value: expected ${show(e.value)}, got ${show(emitted.value)}`);
  if (e.unit !== emitted.unit) out.push(`unit: expected ${e.unit}, got ${emitted.unit}`);
  for (const field of COMPARED_FIELDS) {
    const want = e[field];
    const got = emitted[field];
    if (field === 'qualifier' && got === undefined) continue;
    // The kind of a change is compared only when both sides state the change itself.
    if (field === 'changeKind' && (e.changePct === null || emitted.changePct === null)) continue;
    const equal =
      typeof want === 'number' || typeof got === 'number'
        ? sameChange(want as number | null, (got ?? null) as number | null)
        : want === got;
    if (equal) continue;
    if (got === null && expected.mayOmit.includes(field as OmittableField)) continue;
    out.push(`${field}: expected ${show(want)}, got ${show(got)}`);
  }
  return out;
}

/** Whether an emitted fact matches a forbidden pattern (every field the pattern gives). */
export function matchesForbidden(pattern: ForbiddenPattern, m: NormalFact): boolean {
  const eq = <T>(want: T | undefined, got: T): boolean => want === undefined || want === got;
  const num = (want: number | undefined, got: number | null): boolean =>
    want === undefined || (got !== null && sameChange(want, got));
  return (
    eq(pattern.region, m.region) &&
    eq(pattern.indicator, m.indicator) &&
    eq(pattern.period, m.period) &&
    eq(pattern.unit, m.unit) &&
    eq(pattern.target, m.target) &&
    (pattern.value === undefined || sameValue(pattern.value, m.value)) &&
    num(pattern.changePct, m.changePct) &&
    num(pattern.changePp, m.changePp) &&
    num(pattern.changeAbs, m.changeAbs) &&
    eq(pattern.changeKind, m.changeKind ?? undefined) &&
    num(pattern.rank, m.rank) &&
    eq(pattern.qualifier, m.qualifier ?? undefined)
  );
}

/** An actual fact that states what an expected goal states (same region, indicator, period, figure). */
function restatesTarget(m: NormalFact, goal: ExpectedFact): boolean {
  if (m.region !== goal.region || m.indicator !== goal.indicator || m.period !== goal.period) return false;
  const g = normalizeExpected(goal);
  return (
    (g.value !== null && sameValue(g.value, m.value)) ||
    (g.changePct !== null && sameChange(g.changePct, m.changePct)) ||
    (g.changePp !== null && sameChange(g.changePp, m.changePp))
  );
}

export interface WrongFact {
  emitted: EmittedFact;
  expected: ExpectedFact;
  differences: string[];
}

export interface PassageScore {
  id: string;
  kind: PassageKind;
  /** Required actual facts (expected, not targets), and how many were found. */
  expected: number;
  found: number;
  /** The same, leaving out facts of proposed indicators (not yet in indicators.yaml). */
  expectedCore: number;
  foundCore: number;
  missed: ExpectedFact[];
  targetsExpected: number;
  targetsFound: number;
  /** Emitted actual (non-target) facts, and how many were expected or acceptable (first match only). */
  emitted: number;
  correct: number;
  wrong: WrongFact[];
  duplicates: EmittedFact[];
  unexpected: EmittedFact[];
  forbiddenHits: { emitted: EmittedFact; reason: string }[];
  targetsAsActuals: { emitted: EmittedFact; target: ExpectedFact }[];
  /** Emitted goals that match no expected goal (not counted in precision). */
  unexpectedTargets: EmittedFact[];
  recall: number;
  precision: number;
}

const ratio = (n: number, d: number): number => (d === 0 ? 1 : n / d);

interface Tally {
  matched: Set<ExpectedFact>;
  correct: number;
  wrong: WrongFact[];
  duplicates: EmittedFact[];
  unexpected: EmittedFact[];
  targetsAsActuals: { emitted: EmittedFact; target: ExpectedFact }[];
  unexpectedTargets: EmittedFact[];
}

/** Sorts one emitted fact into correct, duplicate, wrong, target-as-actual or unexpected. */
function classify(p: Passage, raw: EmittedFact, byKey: Map<string, ExpectedFact>, into: Tally): void {
  const m = normalizeEmitted(raw);
  const ref = byKey.get(keyOf(m));
  if (ref) {
    const diffs = differences(ref, m);
    if (diffs.length > 0) into.wrong.push({ emitted: raw, expected: ref, differences: diffs });
    else if (into.matched.has(ref)) into.duplicates.push(raw);
    else {
      into.matched.add(ref);
      if (!m.target) into.correct++;
    }
    return;
  }
  if (m.target) {
    into.unexpectedTargets.push(raw);
    return;
  }
  const goal = p.expected.find((e) => e.target && restatesTarget(m, e));
  if (goal) into.targetsAsActuals.push({ emitted: raw, target: goal });
  else into.unexpected.push(raw);
}

export function scorePassage(p: Passage, emitted: readonly EmittedFact[]): PassageScore {
  const byKey = new Map<string, ExpectedFact>();
  for (const f of [...p.expected, ...p.alsoAcceptable]) byKey.set(keyOf(normalizeExpected(f)), f);
  const tally: Tally = {
    matched: new Set(),
    correct: 0,
    wrong: [],
    duplicates: [],
    unexpected: [],
    targetsAsActuals: [],
    unexpectedTargets: [],
  };
  for (const raw of emitted) classify(p, raw, byKey, tally);
  const forbiddenHits = emitted.flatMap((raw) => {
    const m = normalizeEmitted(raw);
    const hit = p.forbidden.find((pattern) => matchesForbidden(pattern, m));
    return hit ? [{ emitted: raw, reason: hit.reason }] : [];
  });
  const actuals = p.expected.filter((e) => !e.target);
  const core = actuals.filter((e) => !e.proposedIndicator);
  const targets = p.expected.filter((e) => e.target);
  const found = actuals.filter((e) => tally.matched.has(e)).length;
  const emittedActual = emitted.filter((m) => !normalizeEmitted(m).target).length;
  return {
    id: p.id,
    kind: p.kind,
    expected: actuals.length,
    found,
    expectedCore: core.length,
    foundCore: core.filter((e) => tally.matched.has(e)).length,
    missed: actuals.filter((e) => !tally.matched.has(e)),
    targetsExpected: targets.length,
    targetsFound: targets.filter((e) => tally.matched.has(e)).length,
    emitted: emittedActual,
    correct: tally.correct,
    wrong: tally.wrong,
    duplicates: tally.duplicates,
    unexpected: tally.unexpected,
    forbiddenHits,
    targetsAsActuals: tally.targetsAsActuals,
    unexpectedTargets: tally.unexpectedTargets,
    recall: ratio(found, actuals.length),
    precision: ratio(tally.correct, emittedActual),
  };
}

export interface KindTotals {
  passages: number;
  expected: number;
  found: number;
  emitted: number;
  correct: number;
  wrong: number;
}

export interface CorpusScore {
  passages: PassageScore[];
  expected: number;
  found: number;
  expectedCore: number;
  foundCore: number;
  targetsExpected: number;
  targetsFound: number;
  emitted: number;
  correct: number;
  wrong: number;
  forbiddenHits: number;
  targetsAsActuals: number;
  duplicates: number;
  unexpected: number;
  recall: number;
  coreRecall: number;
  precision: number;
  byKind: Partial<Record<PassageKind, KindTotals>>;
}

/** Scores every passage; a passage missing from `emitted` counts as one where nothing was emitted. */
export function scoreCorpus(
  corpus: readonly Passage[],
  emitted: Readonly<Record<string, readonly EmittedFact[]>>,
): CorpusScore {
  const passages = corpus.map((p) => scorePassage(p, emitted[p.id] ?? []));
  const sum = (f: (s: PassageScore) => number): number => passages.reduce((n, s) => n + f(s), 0);
  const byKind: Partial<Record<PassageKind, KindTotals>> = {};
  for (const s of passages) {
    const k = (byKind[s.kind] ??= { passages: 0, expected: 0, found: 0, emitted: 0, correct: 0, wrong: 0 });
    k.passages++;
    k.expected += s.expected;
    k.found += s.found;
    k.emitted += s.emitted;
    k.correct += s.correct;
    k.wrong += s.wrong.length;
  }
  const total = {
    expected: sum((s) => s.expected),
    found: sum((s) => s.found),
    expectedCore: sum((s) => s.expectedCore),
    foundCore: sum((s) => s.foundCore),
    emitted: sum((s) => s.emitted),
    correct: sum((s) => s.correct),
  };
  return {
    passages,
    ...total,
    targetsExpected: sum((s) => s.targetsExpected),
    targetsFound: sum((s) => s.targetsFound),
    wrong: sum((s) => s.wrong.length),
    forbiddenHits: sum((s) => s.forbiddenHits.length),
    targetsAsActuals: sum((s) => s.targetsAsActuals.length),
    duplicates: sum((s) => s.duplicates.length),
    unexpected: sum((s) => s.unexpected.length),
    recall: ratio(total.found, total.expected),
    coreRecall: ratio(total.foundCore, total.expectedCore),
    precision: ratio(total.correct, total.emitted),
    byKind,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function describeFact(m: EmittedFact | ExpectedFact): string {
  const parts = [m.region, m.indicator, m.period, `value=${m.value ?? 'none'}`, m.unit];
  const extra = m as Record<string, unknown>;
  for (const k of [
    'changePct',
    'changePp',
    'changeAbs',
    'changeKind',
    'rank',
    'rankScope',
    'rankTotal',
    'qualifier',
  ]) {
    if (extra[k] !== undefined && extra[k] !== null) parts.push(`${k}=${String(extra[k])}`);
  }
  if (extra.target === true || extra.isTarget === true) parts.push('target');
  return parts.join(' ');
}

/** A printable report: totals, per kind, then every wrong value, forbidden hit and target as actual. */
export function formatScore(score: CorpusScore, options: { missed?: boolean } = {}): string {
  const lines = [
    `metrics corpus: ${score.passages.length} passages`,
    `recall ${score.found}/${score.expected} (${pct(score.recall)}), without proposed indicators ` +
      `${score.foundCore}/${score.expectedCore} (${pct(score.coreRecall)})`,
    `precision ${score.correct}/${score.emitted} (${pct(score.precision)}); wrong ${score.wrong}, ` +
      `forbidden ${score.forbiddenHits}, targets as actuals ${score.targetsAsActuals}, ` +
      `duplicates ${score.duplicates}, unexpected ${score.unexpected}`,
    `targets ${score.targetsFound}/${score.targetsExpected} (optional)`,
  ];
  for (const kind of PASSAGE_KINDS) {
    const k = score.byKind[kind];
    if (!k) continue;
    lines.push(
      `  ${kind.padEnd(12)} ${String(k.passages).padStart(3)} passages  recall ${k.found}/${k.expected}` +
        `  precision ${k.correct}/${k.emitted}  wrong ${k.wrong}`,
    );
  }
  for (const s of score.passages) {
    for (const w of s.wrong)
      lines.push(`  wrong ${s.id}: ${describeFact(w.emitted)} (${w.differences.join('; ')})`);
    for (const f of s.forbiddenHits)
      lines.push(`  forbidden ${s.id}: ${describeFact(f.emitted)} (${f.reason})`);
    for (const t of s.targetsAsActuals) lines.push(`  target as actual ${s.id}: ${describeFact(t.emitted)}`);
    if (options.missed) for (const m of s.missed) lines.push(`  missed ${s.id}: ${describeFact(m)}`);
  }
  return lines.join('\n');
}
