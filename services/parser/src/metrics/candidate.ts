import type { Language, Metric, Qualifier, Unit } from '@govwire/shared/article';
import type { MetricsData, Region } from './data';
import type { ReportDates } from './periods';

/** What a number token's unit says it measures. */
export type TokenKind = 'CNY' | '%' | 'pp' | 'points' | 'persons' | 'count' | 'ratio' | 'plain' | 'other';

/** Whether a number of this kind can be the value of an indicator measured in `unit`. */
export function compatible(unit: Unit, kind: TokenKind): boolean {
  switch (unit) {
    case 'CNY':
      return kind === 'CNY';
    case '%':
      return kind === '%';
    case 'ratio':
      return kind === 'ratio' || kind === 'plain';
    case 'points':
      return kind === 'points';
    case 'persons':
      return kind === 'persons';
    case 'count':
      return kind === 'count';
  }
}

/**
 * A stated change: in percent (annual or a multi-year average), in percentage points of a `%`
 * figure (stored as changePp), or absolute in the figure's own unit (收入比缩小0.02: changeAbs).
 */
export interface Change {
  pct: number;
  kind: 'annual' | 'multi_year_average' | 'percentage_points' | 'absolute';
}

export interface Rank {
  rank: number;
  scope: 'province' | 'city' | 'nation' | null;
  topN: boolean;
  /** How many were ranked, when stated (among Zhejiang's 90 counties). */
  total?: number | null;
}

/** Shared state of one extraction run. */
export interface Context {
  data: MetricsData;
  subject: Region | null;
  publishedAt: string | null;
  /** The document's dates: what 1-9月 or 当月 without a year resolve against (tables too). */
  dates: ReportDates;
  text: string;
  /** Records why a stated figure was left out (bounded per run). */
  warn: (message: string) => void;
}

export function makeMetric(args: {
  indicator: string;
  unit: Unit;
  region: string;
  period: string;
  value: number | null;
  qualifier: Qualifier | null;
  change: Change | null;
  rank: Rank | null;
  evidence: { text: string; start: number; end: number; lang: Language };
}): Metric {
  let qualifier = args.qualifier;
  let rank = args.rank;
  // 前10 is a rank only with the top_n qualifier; when the value already carries a qualifier
  // (超, 突破) the two cannot both be stated, and the value's qualifier wins.
  if (rank?.topN) {
    if (qualifier === null) qualifier = 'top_n';
    else rank = null;
  }
  const change = changeFields(args.change);
  return {
    region: args.region,
    indicator: args.indicator,
    period: args.period,
    value: args.value,
    unit: args.unit,
    changePct: change.changePct,
    changePp: change.changePp,
    changeKind: change.changeKind,
    changeAbs: change.changeAbs,
    rank: rank?.rank ?? null,
    rankTotal: rank?.total ?? null,
    rankScope: rank?.scope ?? null,
    qualifier,
    evidence: [args.evidence],
    lang: args.evidence.lang,
  };
}

/** Where a change goes: percent, points (changePp) or absolute (changeAbs). One shape for all. */
function changeFields(
  change: Change | null,
): Pick<Metric, 'changePct' | 'changeKind' | 'changePp' | 'changeAbs'> {
  const kind = change?.kind ?? null;
  const pct = change?.pct ?? null;
  return {
    changePct: kind === 'annual' || kind === 'multi_year_average' ? pct : null,
    changeKind: kind === 'absolute' ? null : kind,
    changePp: kind === 'percentage_points' ? pct : null,
    changeAbs: kind === 'absolute' ? pct : null,
  };
}
