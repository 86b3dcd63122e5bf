import type { Language, Metric, Qualifier, Unit } from '@govwire/shared/article';
import { compatible, makeMetric } from './candidate';
import type { Change, Context, Rank, TokenKind } from './candidate';
import { numberWithMultiplier, parseRankNumber } from './numbers';
import type { PeriodMention } from './periods';
import type { MetricsData, PhraseMatch } from './data';
import { withElliptical } from './elliptical';
import { clauseRegion, regionMentions } from './regions';
import { matchesOf } from './text';

/**
 * Chinese sentences: an indicator phrase, then the clauses after it up to the next indicator give
 * its value, change and rank. A clause that adds nothing ends the search, so a number about
 * something else in a later clause is never taken.
 */

export interface NumberToken {
  start: number;
  end: number;
  value: number;
  kind: TokenKind;
  /** Qualifier stated with the number itself (30多家, 7.5%以上). */
  qualifier: Qualifier | null;
}

const NUM_ZH =
  /(?<![A-Za-z0-9.〇零一二两三四五六七八九十百千万亿第前])(\d+(?:,\d{3})*(?:\.\d+)?|[一二两三四五六七八九十百千][〇零一二两三四五六七八九十百千万亿]*(?:点[〇零一二三四五六七八九]+)?)(多|余)?(万亿|千万|百万|亿|万|千)?(多|余)?(美元|港元|欧元|元|%|个百分点|个|分(?![钟别之析布类享])|人次|人|家|户|倍|:1|项|座|所|件|条|名|位|年|月|日|天|岁|亩|吨|场次|场|平方米|米|公里|微克|辆|套|批)?/g;

function kindOf(unit: string | undefined, core: string, multiplier: string | undefined): TokenKind {
  switch (unit) {
    case '元':
      return 'CNY';
    case '%':
      return '%';
    case '个百分点':
      return 'pp';
    case '分':
      return 'points';
    case '人':
      return 'persons';
    case '家':
    case '户':
    case '个':
    case '项':
    case '座':
    case '所':
    case '件':
    case '条':
      return 'count';
    case ':1':
      return 'ratio';
    case undefined:
      // A bare Chinese numeral (十七连冠, 一往无前) or a bare year is not a figure.
      if (!/^\d/.test(core) || multiplier) return 'other';
      if (/^(?:19|20)\d\d$/.test(core)) return 'other';
      return 'plain';
    default:
      return 'other';
  }
}

/** Number tokens in simplified, half-width text. */
export function scanNumbersZh(s: string): NumberToken[] {
  const out: NumberToken[] = [];
  for (const m of matchesOf(NUM_ZH, s)) {
    const core = m[1] ?? '';
    const multiplier = m[3];
    const value = numberWithMultiplier(core, multiplier);
    if (value === null) continue;
    const more = m[2] ?? m[4];
    const kind = kindOf(m[5], core, multiplier);
    out.push({
      start: m.index,
      end: m.index + m[0].length,
      value,
      kind,
      qualifier: more ? 'above' : null,
    });
  }
  return out;
}

const CHANGE_BEFORE =
  /(年均|平均|两年平均|三年平均|五年平均|年平均)?(增长|增加|提高|提升|上升|上涨|增速为?|增幅为?|增长率为?|增|下降|减少|降低|回落|下滑|降幅为?|降|缩小|扩大|收窄|拉大)了?(?:达到|达|为)?(?:约|近)?$/;
/** Verbs whose figure is a distance, not a rate of change: 收入比缩小0.03 is never a value. */
const NARROW = /^(缩小|扩大|收窄|拉大)/;
const RANGE_GAP = /^\s*(?:-|—|–|~|～|至|到)\s*$/;
const DECLINE = /^(下降|减少|降低|回落|下滑|降幅|降)/;
/** Verbs of an absolute fall: 收入比缩小0.02 is −0.02. */
const ABS_DECLINE = /^(下降|减少|降低|回落|下滑|降幅|降|缩小|收窄)/;
const ABOVE_BEFORE = /(超过|超出|超|突破|首破|破|逾|高于|多于)["“'‘]?$/;
const ABOUT_BEFORE = /(接近|将近|近|大约|约)["“'‘]?$/;
const BELOW_BEFORE = /(不到|不足|低于|少于)["“'‘]?$/;
/**
 * 由上年的1.72, 由2017年的675.8亿元, 由61.3亿元(增加到…), 从1.85(缩小到1.81): the figure a change
 * starts from, never the current one.
 */
const EARLIER_BEFORE = /[由从](上年|去年|前年|(\d{4})年)?的?$/;
/**
 * A rank: a rank verb (居, 位居, 稳居…), the ranked set (全省县(市、区), 绍兴各区、县(市), 全国各省区),
 * then 第N, 前N or 首位; or 全省第N without a verb.
 */
const RANK_ZH =
  /(?:(?:排名|排位|位居|位列|名列|跃居|稳居|居|列)([^,;。第前首]{0,16}?)|(全省|全市|全国|省内|市内)(?:排名|排位)?)(?:(第|前)(\d{1,3}|[一二两三四五六七八九十]{1,3})(?:位|名)?|(首位))(?![批要次届阶个季轮期步大档梯方阵层线等类集序])/;
const GROWTH_RANK = /增速|增幅|增长率|速度|增长/;

export interface ClauseReading {
  values: NumberToken[];
  changes: Change[];
  rank: Rank | null;
  /** 由上年的1.72缩小至1.69: the earlier figure and the word naming its year. */
  earlier: { token: NumberToken; base: string } | null;
  /** An absolute change (增加3000元, 缩小0.02): it belongs to the indicator. */
  absoluteChange: boolean;
  /** The absolute changes, signed (缩小0.02 → −0.02), with the kind of number they are. */
  absolutes: { value: number; kind: TokenKind }[];
}

/** A clause read token by token: what it states so far and what the previous token was. */
interface ClauseState {
  out: ClauseReading;
  prevToken: NumberToken | null;
  /** The change just read (增长5.1%和…): a figure joined to it by 和/、 is a change too. */
  prevChange: { sign: number; kind: Change['kind'] } | null;
  milestone: MetricsData['milestonesZh'] | null;
}

/** Drops the previous value (and change) when `t` shows it was not a figure of its own. */
function dropPrevious(st: ClauseState, dropChange: boolean): void {
  const last = st.out.values[st.out.values.length - 1];
  if (last && st.prevToken && last.start === st.prevToken.start) st.out.values.pop();
  if (dropChange && st.prevChange) st.out.changes.pop();
}

/**
 * Whether `t` and the token before it are not figures: 63九宫格830元 (a number split by injected
 * spam that cleaning missed) or 2000-2500亿元 (a range, neither end of which is the figure).
 */
function brokenFigure(st: ClauseState, t: NumberToken, gap: string): boolean {
  const prev = st.prevToken;
  if (!prev) return false;
  const split =
    prev.kind === 'plain' &&
    prev.end === t.start - gap.length &&
    /^[\u3400-\u9fff]{1,8}$/.test(gap) &&
    !/[至到为和与及达是的比增降缩扩提升减占]/.test(gap);
  if (split) dropPrevious(st, false);
  // 增长5%-6%: the change was the range's lower end.
  else if (RANGE_GAP.test(gap)) dropPrevious(st, true);
  return split || RANGE_GAP.test(gap);
}

/** Reads `t` as a change when the words before it make it one; false when they do not. */
function readChange(st: ClauseState, t: NumberToken, gap: string): boolean {
  // 增长-3.2%: a written minus sign.
  const minus = /[-−]\s*$/.test(gap);
  const ch = CHANGE_BEFORE.exec(minus ? gap.replace(/[-−]\s*$/, '') : gap);
  const verb = ch?.[2] ?? '';
  // 下降-3.2% is ambiguous (a typo as often as a double negative), and a negative figure outside
  // a change is not a value we store: neither is read.
  if (minus && (!ch || DECLINE.test(verb))) {
    st.prevChange = null;
    return true;
  }
  if (!ch) return false;
  if ((t.kind === '%' || t.kind === 'pp') && !NARROW.test(verb)) {
    const sign = (DECLINE.test(verb) ? -1 : 1) * (minus ? -1 : 1);
    const kind: Change['kind'] =
      t.kind === 'pp' ? 'percentage_points' : ch[1] ? 'multi_year_average' : 'annual';
    st.out.changes.push({ pct: sign * t.value, kind });
    st.prevChange = { sign, kind };
    return true;
  }
  // 增加3000元, 缩小0.02: an absolute change, never the value.
  st.out.absoluteChange = true;
  st.out.absolutes.push({ value: (ABS_DECLINE.test(verb) ? -1 : 1) * t.value, kind: t.kind });
  st.prevChange = null;
  return true;
}

/** The qualifier the words around a value give it (超, 约, 以上, 左右, 不到). */
function qualifierZh(
  t: NumberToken,
  gap: string,
  after: string,
  milestone: MetricsData['milestonesZh'] | null,
): Qualifier | null {
  if (ABOVE_BEFORE.test(gap) || /^["”'’]?(以上|多|余)/.test(after)) return 'above';
  // 迈上300亿元台阶: a threshold passed, as 突破 is.
  if (milestone && (milestone.before.test(gap) || milestone.after.test(after))) return 'above';
  if (ABOUT_BEFORE.test(gap) || /^["”'’]?左右/.test(after)) return 'about';
  if (BELOW_BEFORE.test(gap) || /^["”'’]?(以下|以内)/.test(after)) return 'below';
  return t.qualifier;
}

function readToken(st: ClauseState, clause: string, t: NumberToken, gap: string): void {
  if (t.kind === 'other' || brokenFigure(st, t, gap)) {
    st.prevToken = t;
    st.prevChange = null;
    return;
  }
  st.prevToken = t;
  if (readChange(st, t, gap)) return;
  const prevChange = st.prevChange;
  if (prevChange && /^\s*(?:和|、|与|及|,)\s*$/.test(gap) && (t.kind === '%' || t.kind === 'pp')) {
    st.out.changes.push({ pct: prevChange.sign * t.value, kind: prevChange.kind });
    return;
  }
  st.prevChange = null;
  // The words before the figure, not only since the last number: 由2017年的 holds a year.
  const early = EARLIER_BEFORE.exec(clause.slice(Math.max(0, t.start - 8), t.start));
  if (early) st.out.earlier = { token: t, base: early[1] ?? '' };
  else {
    const qualifier = qualifierZh(t, gap, clause.slice(t.end, t.end + 4), st.milestone);
    st.out.values.push({ ...t, qualifier });
  }
}

export function readClauseZh(clause: string, data: MetricsData | null = null): ClauseReading {
  const st: ClauseState = {
    out: { values: [], changes: [], rank: null, earlier: null, absoluteChange: false, absolutes: [] },
    prevToken: null,
    prevChange: null,
    milestone: data?.milestonesZh ?? null,
  };
  let prevEnd = 0;
  for (const t of scanNumbersZh(clause)) {
    const gap = clause.slice(prevEnd, t.start);
    prevEnd = t.end;
    readToken(st, clause, t, gap);
  }
  st.out.rank = readRankZh(clause, data);
  return st.out;
}

/** The scope of a ranked set: 全国/各省区 the nation, 全省 the province, 全市 or a city's name the city. */
function rankScopeZh(data: MetricsData | null, set: string): Rank['scope'] {
  if (/全国|各省|省区/.test(set)) return 'nation';
  if (/全省|省内|浙江/.test(set)) return 'province';
  if (/全市|市内/.test(set)) return 'city';
  const region = data === null ? undefined : regionMentions(data, set)[0]?.region;
  const level = region === undefined ? undefined : data?.regions.get(region)?.level;
  return level === 'province' ? 'province' : level === 'city' ? 'city' : null;
}

/** The rank a clause gives its figure; a rank of the growth rate (增速居全市第二) is none. */
export function readRankZh(clause: string, data: MetricsData | null = null): Rank | null {
  const r = RANK_ZH.exec(clause);
  if (!r || GROWTH_RANK.test(clause.slice(0, r.index + r[0].length))) return null;
  const n = r[5] ? 1 : parseRankNumber(r[4] ?? '');
  if (n === null || n <= 0) return null;
  return { rank: n, scope: rankScopeZh(data, r[1] ?? r[2] ?? ''), topN: r[3] === '前' };
}

/** A target, a plan or a forecast: its figures are never actual values. */
export const TARGET_ZH =
  /力争|目标|争取|预计|预期|计划到|确保|有望|力求|将达到|将突破|将实现|要达到|冲刺|奋力实现/;
const PROGRESS_ZH = /完成[^,;。]{0,4}目标(?:任务)?的?/g;
const MAX_PREFIX = 40;
const CURRENT_ZH = /目前|当前|现已|眼下|截至目前|至今/;
/** A clause that starts talking about several indicators or a subset ends an indicator's scope. */
const SCOPE_STOP = /其中|两项|三项|各项|分项|均为|都/;

export interface SentenceInput {
  /** Sentence text as it stands in the article. */
  original: string;
  /** The same, simplified and half-width (same length). */
  match: string;
  /** Offset of the sentence in the article text. */
  start: number;
  lang: Language;
  /** Period of the paragraph so far (undefined: none; null: one that cannot be resolved). */
  contextPeriod: string | null | undefined;
  /** Whether contextPeriod is the document's (title or lead), not one this paragraph stated. */
  contextFromDocument?: boolean;
  /** Period mentions of this sentence (findPeriodsZh or findPeriodsEn on `match`). */
  periods: PeriodMention[];
}

interface Group {
  start: number;
  end: number;
  indicators: string[];
}

/**
 * Clause marks of matching text: , : ; (not 、, which lists within a clause: 居绍兴各区、县(市)首位),
 * nor the colon of a ratio between digits (收入倍差为1.71:1，比上年缩小0.04 is one figure and its change).
 */
const CLAUSE_MARK = /[,;]|(?<!\d):|:(?!\d)/g;

function splitClauses(s: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (const m of s.matchAll(CLAUSE_MARK)) {
    out.push({ text: s.slice(start, m.index), start });
    start = m.index + 1;
  }
  out.push({ text: s.slice(start), start });
  return out;
}

function resolveBase(base: string, current: string): string | null {
  // 由61.3亿元增加到96.5亿元 names no year for its starting point.
  if (base === '') return null;
  const m = /^(\d{4})年$/.exec(base);
  if (m) return m[1] ?? null;
  const y = Number(current.slice(0, 4));
  if (!/^\d{4}$/.test(current) || !Number.isFinite(y)) return null;
  return base === '前年' ? String(y - 2) : String(y - 1);
}

/** Indicator phrases of a simplified sentence that stand for the indicator itself, in order. */
export function indicatorPhrasesZh(data: MetricsData, s: string): PhraseMatch[] {
  const found = data.zhPhrases.findAll(s).filter((f) => !data.embedded(s, f.start, f.end, 'zh'));
  return found.length === 0 ? found : withElliptical(data, 'zh', s, found);
}

/** A figure needs an Arabic digit or a Chinese numeral (NUM_ZH, RANK_ZH): without one, no metric. */
const FIGURE_ZH = /[0-9一二两三四五六七八九十百千]/;

/**
 * Whether a sentence with these indicator phrases can state a metric at all: extractSentenceZh
 * returns nothing for one that cannot, whatever its paragraph.
 */
export function mayStateMetricZh(s: string, found: PhraseMatch[]): boolean {
  return found.length > 0 && FIGURE_ZH.test(s);
}

/** Consecutive indicator phrases joined by 和/与/及/、 share one statement (分别…). */
function groupsOf(s: string, found: PhraseMatch[]): Group[] {
  const groups: Group[] = [];
  for (const f of found) {
    const last = groups[groups.length - 1];
    if (last && /^(?:和|与|及|、)$/.test(s.slice(last.end, f.start))) {
      last.end = f.end;
      last.indicators.push(...f.phrase.indicators);
    } else {
      groups.push({ start: f.start, end: f.end, indicators: [...f.phrase.indicators] });
    }
  }
  return groups;
}

/** What the clauses after a group state about it. */
interface ScopeReading {
  values: NumberToken[];
  changes: Change[];
  rank: Rank | null;
  earlier: ClauseReading['earlier'];
  /** 分别增长4.8%和6.5% after several single figures: changes shared out in order by the caller. */
  respectiveChanges: Change[];
}

/** Whether a clause of a group's scope ends the scope before it is read. */
function endsScope(data: MetricsData, k: number, text: string): 'stop' | 'skip' | 'read' {
  if (k > 0 && SCOPE_STOP.test(text)) return 'stop';
  // 按不变价格计算 and the like qualify the figure around them: read on.
  if (k > 0 && data.comparisonBasisZh.has(text.trim())) return 'skip';
  if (text.trim() === '') return k === 0 ? 'skip' : 'stop';
  return 'read';
}

/** The value, change and rank of a group from the clauses of its scope, up to one that adds nothing. */
function readScope(ctx: Context, g: Group, clauses: { text: string; start: number }[]): ScopeReading {
  const n = g.indicators.length;
  const units = g.indicators.map((code) => ctx.data.indicators.get(code)?.unit ?? 'CNY');
  const out: ScopeReading = { values: [], changes: [], rank: null, earlier: null, respectiveChanges: [] };
  for (let k = 0; k < clauses.length && k < 4; k++) {
    const text = clauses[k]?.text ?? '';
    const verdict = endsScope(ctx.data, k, text);
    if (verdict === 'stop') break;
    if (verdict === 'skip') continue;
    const r = readClauseZh(text, ctx.data);
    if (n === 1 && k > 0 && /分别/.test(text)) {
      // 城镇…79126元，农村…48730元，分别增长4.8%和6.5%: the changes are several figures', not this one's.
      out.respectiveChanges = r.changes;
      break;
    }
    if (takeClause(out, r, n, units, /分别/.test(text)) || r.absoluteChange) continue;
    // 跨越千亿大关 (a threshold in words, no figure of the unit): the precise figure may follow.
    if (!ctx.data.milestonesZh.clause.test(text)) break;
  }
  if (n === 1) takeImpliedChange(out, units[0] ?? 'CNY');
  return out;
}

/**
 * 从1.85缩小到1.81 with no stated change: a ratio moved by the distance between its two figures
 * (−0.04). Rounded to the figures' own precision so that float noise is not stated.
 */
function takeImpliedChange(out: ScopeReading, unit: Unit): void {
  const current = out.values[0];
  const earlier = out.earlier?.token;
  if (unit !== 'ratio' || out.changes.length > 0 || !current || !earlier) return;
  if (!compatible(unit, earlier.kind) || current.qualifier !== null) return;
  const diff = Math.round((current.value - earlier.value) * 1e6) / 1e6;
  if (diff !== 0) out.changes = [{ pct: diff, kind: 'absolute' }];
}

/** Takes a clause's values; true when it adds or restates one. */
function takeValues(out: ScopeReading, r: ClauseReading, n: number, units: Unit[]): boolean {
  const vals = r.values.filter((v) => units.every((u) => compatible(u, v.kind)));
  const first = vals[0];
  if (first === undefined) return false;
  if (out.values.length === 0) {
    out.values = n > 1 ? vals : [first];
    out.earlier = r.earlier;
    return true;
  }
  if (n > 1) return false;
  // 突破300亿元，达到308.6亿元: the precise figure beats its rounded restatement, before or after.
  const held = out.values[0];
  if (held?.qualifier != null && first.qualifier === null) out.values = [first];
  return held?.qualifier != null || first.qualifier !== null;
}

/** Takes a clause's change; true when it adds one. */
function takeChanges(out: ScopeReading, r: ClauseReading, n: number, units: Unit[]): boolean {
  if (out.changes.length > 0) return false;
  // A ratio changes by a distance (缩小0.02), a share by points (提高1.2个百分点), never by a percentage.
  const usable = units.every((u) => u !== 'ratio')
    ? r.changes.filter((c) => units.every((u) => u === '%' || c.kind !== 'percentage_points'))
    : [];
  if (usable.length > 0) {
    out.changes = n > 1 ? usable : usable.slice(0, 1);
    return true;
  }
  // An absolute change is stored for a ratio or a head count, not for money (增加3000元).
  const unit = units[0] ?? 'CNY';
  const abs = n === 1 && unit !== 'CNY' ? r.absolutes.find((a) => compatible(unit, a.kind)) : undefined;
  if (abs === undefined) return false;
  out.changes = [{ pct: abs.value, kind: 'absolute' }];
  return true;
}

/** Takes what a clause adds to the reading; false when it adds nothing. */
function takeClause(
  out: ScopeReading,
  r: ClauseReading,
  n: number,
  units: Unit[],
  respectively: boolean,
): boolean {
  const values = takeValues(out, r, n, units);
  const changes = takeChanges(out, r, n, units);
  // 分别连续22年和38年居全国各省区第一位: one rank for each of the figures.
  const rank = out.rank === null && r.rank !== null && (n === 1 || respectively);
  if (rank) out.rank = r.rank;
  return values || changes || rank;
}

/**
 * The period of a group: the sentence's last period before it, else one in its scope, else the
 * one it inherits; `fromDocument` when that is the title's or lead's.
 */
function groupPeriod(
  sent: SentenceInput,
  before: PeriodMention | undefined,
  g: Group,
  scopeEnd: number,
): { period: string | null | undefined; fromDocument: boolean } {
  if (before) return { period: before.period, fromDocument: false };
  const inScope = sent.periods.find((p) => p.start >= g.end && p.end <= scopeEnd);
  if (inScope) return { period: inScope.period, fromDocument: false };
  // 目前累计… states a stock as of today: the paragraph's year is not its period.
  if (CURRENT_ZH.test(sent.match)) return { period: undefined, fromDocument: false };
  return { period: sent.contextPeriod, fromDocument: sent.contextFromDocument === true };
}

interface GroupFrame {
  region: string;
  period: string;
  /** The period is the document's, not stated near the figure. */
  periodFromDocument: boolean;
  target: boolean;
  evidence: Metric['evidence'][number];
}

/** 由上年的1.72缩小至1.69: the earlier figure, for the year the words name. */
function earlierMetric(code: string, unit: Unit, read: ScopeReading, frame: GroupFrame): Metric | null {
  const earlier = read.earlier;
  if (!earlier || !compatible(unit, earlier.token.kind)) return null;
  const period = resolveBase(earlier.base, frame.period);
  if (period === null) return null;
  const qualifier = frame.target ? 'target' : null;
  const value = earlier.token.value;
  return makeMetric({
    indicator: code,
    unit,
    region: frame.region,
    evidence: frame.evidence,
    period,
    value,
    qualifier,
    change: null,
    rank: null,
  });
}

function figureMetric(
  code: string,
  unit: Unit,
  v: NumberToken | null,
  change: Change | null,
  rank: Rank | null,
  frame: GroupFrame,
): Metric {
  const qualifier = frame.target ? 'target' : (v?.qualifier ?? null);
  const value = v?.value ?? null;
  const { region, period, evidence } = frame;
  return makeMetric({ indicator: code, unit, region, evidence, period, value, qualifier, change, rank });
}

/** The metrics of one group, given what its scope states. */
function groupMetrics(ctx: Context, g: Group, read: ScopeReading, frame: GroupFrame): Metric[] {
  const n = g.indicators.length;
  const values = n > 1 && read.values.length !== n ? [] : read.values;
  const changes = n > 1 && read.changes.length !== n ? [] : read.changes;
  if (values.length === 0 && changes.length === 0 && read.rank === null) return [];
  // A rank alone (位列全省第三) is dated only by its own paragraph: the document's year is too weak.
  if (values.length === 0 && changes.length === 0 && frame.periodFromDocument) return [];
  const out: Metric[] = [];
  for (let i = 0; i < n; i++) {
    const code = g.indicators[i] ?? '';
    const def = ctx.data.indicators.get(code);
    if (!def) continue;
    out.push(figureMetric(code, def.unit, values[i] ?? null, changes[i] ?? null, read.rank, frame));
    const earlier = n === 1 ? earlierMetric(code, def.unit, read, frame) : null;
    if (earlier) out.push(earlier);
  }
  return out;
}

/**
 * 分别增长4.8%和6.5% after single figures: the changes go, in order, to the last figures of the
 * sentence that have none, when there are exactly as many of them as changes.
 */
function shareRespectiveChanges(out: Metric[], waiting: number[], changes: Change[]): void {
  const takers = waiting.slice(-changes.length);
  if (changes.length === 0 || takers.length !== changes.length) return;
  if (!changes.every((c) => c.kind === 'annual' || c.kind === 'multi_year_average')) return;
  takers.forEach((at, i) => {
    const m = out[at];
    const c = changes[i];
    if (m && c)
      out[at] = { ...m, changePct: c.pct, changeKind: c.kind === 'multi_year_average' ? c.kind : 'annual' };
  });
}

/**
 * A figure dropped because no level of the document gives it a trustworthy period (今年以来 with no
 * date, 20233年, none at all), or a region when the page has no subject: a warning, never a guess.
 * A region deliberately not named (全国, a group of counties) is no warning.
 */
function warnUndated(
  ctx: Context,
  g: Group,
  period: string | null | undefined,
  region: string | undefined,
  scope: string,
  sentence: string,
): void {
  // Only a figure right after the indicator is worth a warning; reading the scope would cost a
  // dropped group as much as a kept one.
  if (!/\d/.test(scope.slice(0, 24))) return;
  const why = period === null ? 'an untrustworthy period' : period === undefined ? 'no period' : 'no region';
  if (why === 'no region' && (region !== undefined || ctx.subject !== null)) return;
  ctx.warn(`metric dropped (${why}): ${g.indicators.join('+')} in "${sentence.slice(0, 40)}"`);
}

/** 过去五年 (two years or more) in a review. */
const REVIEW_SPAN_ZH = /^过去(?:[二两三四五六七八九十]|\d{1,2})年$/;
/** 由675.8亿元增加到1021.6亿元，年均增长7.2%: a level reached at the end of the span. */
const REACHED_OVER_SPAN_ZH = /^[^;]*?由[^;]*?(?:增加|提高|增长|上升|扩大)到[^;]*?年均(?:增长|提高)/;

/**
 * 过去五年，全市地区生产总值由2017年的675.8亿元增加到1021.6亿元，年均增长7.2%: a figure a review
 * reached by the end of its span is the level of the span's last year, the year before the
 * report's publication. Only this shape: other figures of a span (累计…) have no single year.
 */
function reviewEndYear(
  ctx: Context,
  s: string,
  before: PeriodMention | undefined,
  scope: string,
): string | null | undefined {
  if (!before || before.period !== null || !REVIEW_SPAN_ZH.test(s.slice(before.start, before.end)))
    return undefined;
  const published = Number(ctx.dates.publishedAt?.slice(0, 4));
  if (!Number.isFinite(published) || !REACHED_OVER_SPAN_ZH.test(scope)) return undefined;
  return String(published - 1);
}

/** `found`: indicatorPhrasesZh of `sent.match`. */
export function extractSentenceZh(ctx: Context, sent: SentenceInput, found: PhraseMatch[]): Metric[] {
  const s = sent.match;
  if (found.length === 0) return [];
  const groups = groupsOf(s, found);
  // 完成年度目标的68% reports progress: the figure is a result, not a goal.
  const target = TARGET_ZH.test(s) && TARGET_ZH.test(s.replace(PROGRESS_ZH, ''));
  const evidence = {
    text: sent.original,
    start: sent.start,
    end: sent.start + sent.original.length,
    lang: sent.lang,
  };
  const out: Metric[] = [];
  /** Indexes in `out` of single figures stated without a change, for 分别 after them. */
  const waiting: number[] = [];
  const cursor = { sep: 0, clauseStart: 0, semi: -1, period: 0 };
  groups.forEach((g, gi) => {
    const scopeEnd = groupScopeEnd(s, g, groups[gi + 1]?.start ?? s.length, cursor);
    const region = clauseRegion(ctx.data, s.slice(groupClauseStart(s, g, cursor), g.start), ctx.subject);
    const before = lastPeriodBefore(sent.periods, g.start, cursor);
    const dated = groupPeriod(sent, before, g, scopeEnd);
    const scope = s.slice(g.end, scopeEnd);
    const period = dated.period === null ? (reviewEndYear(ctx, s, before, scope) ?? null) : dated.period;
    if (region === undefined || period === null || period === undefined) {
      warnUndated(ctx, g, period, region, scope, sent.original);
      return;
    }
    const n = g.indicators.length;
    // One indicator with 分别 right after it lists several subjects (两区…分别): whose figure is whose is unclear.
    const clauses = splitClauses(scope);
    const respectively = /分别/.test(clauses[0]?.text ?? '') || (n > 1 && /分别/.test(scope));
    if (respectively !== n > 1) return;
    const read = readScope(ctx, g, clauses);
    const frame = { region, period, periodFromDocument: dated.fromDocument, target, evidence };
    const metrics = groupMetrics(ctx, g, read, frame);
    if (n === 1 && metrics[0] !== undefined && read.changes.length === 0) waiting.push(out.length);
    out.push(...metrics);
    if (read.respectiveChanges.length > 0) shareRespectiveChanges(out, waiting, read.respectiveChanges);
    if (read.respectiveChanges.length > 0 || read.changes.length > 0) waiting.length = 0;
  });
  return out;
}

interface Cursor {
  sep: number;
  clauseStart: number;
  semi: number;
  period: number;
}

/** Where a group's scope ends: the next group or the next semicolon. Cursors only move forward. */
function groupScopeEnd(s: string, g: Group, nextStart: number, cursor: Cursor): number {
  if (cursor.semi < g.end) {
    cursor.semi = s.indexOf(';', g.end);
    if (cursor.semi < 0) cursor.semi = s.length;
  }
  return Math.min(nextStart, cursor.semi);
}

/** The start of the clause a group stands in (a region word sits right before the indicator). */
function groupClauseStart(s: string, g: Group, cursor: Cursor): number {
  for (; cursor.sep < g.start; cursor.sep++) {
    const c = s.charCodeAt(cursor.sep);
    // , ; : 、 。
    if (c === 44 || c === 59 || c === 58 || c === 0x3001 || c === 0x3002) cursor.clauseStart = cursor.sep + 1;
  }
  return Math.max(cursor.clauseStart, g.start - MAX_PREFIX);
}

function lastPeriodBefore(periods: PeriodMention[], at: number, cursor: Cursor): PeriodMention | undefined {
  while (cursor.period < periods.length && (periods[cursor.period]?.end ?? Infinity) <= at) cursor.period++;
  return cursor.period > 0 ? periods[cursor.period - 1] : undefined;
}
