import type { Language, Metric, Qualifier } from '@govwire/shared/article';
import { compatible, makeMetric } from './candidate';
import type { Change, Context, Rank, TokenKind } from './candidate';
import { numberWithMultiplier, parseRankNumber } from './numbers';
import type { PeriodMention } from './periods';
import type { MetricsData, PhraseMatch } from './data';
import { clauseRegion } from './regions';
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
const ABOVE_BEFORE = /(超过|超出|超|突破|首破|破|逾|高于|多于)["“'‘]?$/;
const ABOUT_BEFORE = /(接近|将近|近|大约|约)["“'‘]?$/;
const BELOW_BEFORE = /(不到|不足|低于|少于)["“'‘]?$/;
const EARLIER_BEFORE = /由(上年|去年|前年|(\d{4})年)的?$/;
const RANK_ZH =
  /(?:(全省|全市|全国|省内|市内)(?:排名|排位|位居|位列|居)?|(?:排名|排位|位居|位列|名列|跃居|居|列)(全省|全市|全国)?)(第|前)(\d{1,3}|[一二两三四五六七八九十]{1,3})(?:位|名)?(?![批要次届阶个季轮期步大档梯方阵层线等类集序])/;
const GROWTH_RANK = /增速|增幅|增长率|速度|增长/;

export interface ClauseReading {
  values: NumberToken[];
  changes: Change[];
  rank: Rank | null;
  /** 由上年的1.72缩小至1.69: the earlier figure and the word naming its year. */
  earlier: { token: NumberToken; base: string } | null;
  /** An absolute change (增加3000元): it belongs to the indicator but is not stored. */
  absoluteChange: boolean;
}

export function readClauseZh(clause: string): ClauseReading {
  const tokens = scanNumbersZh(clause);
  const values: NumberToken[] = [];
  const changes: Change[] = [];
  let earlier: ClauseReading['earlier'] = null;
  let absoluteChange = false;
  let prevEnd = 0;
  let prevChange: { sign: number; kind: Change['kind'] } | null = null;
  let prevToken: NumberToken | null = null;
  for (const t of tokens) {
    const gap = clause.slice(prevEnd, t.start);
    prevEnd = t.end;
    if (t.kind === 'other') {
      prevToken = t;
      prevChange = null;
      continue;
    }
    // 63九宫格830元: a bare number, a few characters, then a number is a figure split by injected
    // spam that cleaning missed. Neither part is the figure.
    if (
      prevToken?.kind === 'plain' &&
      prevToken.end === t.start - gap.length &&
      /^[\u3400-\u9fff]{1,8}$/.test(gap) &&
      !/[至到为和与及达是的比增降缩扩提升减占]/.test(gap)
    ) {
      const last = values[values.length - 1];
      if (last && last.start === prevToken.start) values.pop();
      prevToken = t;
      prevChange = null;
      continue;
    }
    // 2000-2500亿元 is a range: neither end is the figure.
    if (prevToken && RANGE_GAP.test(gap)) {
      const last = values[values.length - 1];
      if (last && last.start === prevToken.start) values.pop();
      // 增长5%-6%: the change was the range's lower end.
      if (prevChange) changes.pop();
      prevToken = t;
      prevChange = null;
      continue;
    }
    prevToken = t;
    // 增长-3.2%: a written minus sign.
    const minus = /[-−]\s*$/.test(gap);
    const ch = CHANGE_BEFORE.exec(minus ? gap.replace(/[-−]\s*$/, '') : gap);
    // 下降-3.2% is ambiguous (a typo as often as a double negative): not read.
    if (minus && (!ch || DECLINE.test(ch[2] ?? ''))) {
      // A negative figure outside a change is not an indicator value we store.
      prevToken = t;
      prevChange = null;
      continue;
    }
    if (ch && (t.kind === '%' || t.kind === 'pp') && !NARROW.test(ch[2] ?? '')) {
      const sign = (DECLINE.test(ch[2] ?? '') ? -1 : 1) * (minus ? -1 : 1);
      const kind: Change['kind'] =
        t.kind === 'pp' ? 'percentage_points' : ch[1] ? 'multi_year_average' : 'annual';
      changes.push({ pct: sign * t.value, kind });
      prevChange = { sign, kind };
      continue;
    }
    if (ch) {
      // 增加3000元 is an absolute change, never the value.
      absoluteChange = true;
      prevChange = null;
      continue;
    }
    if (prevChange && /^\s*(?:和|、|与|及|,)\s*$/.test(gap) && (t.kind === '%' || t.kind === 'pp')) {
      changes.push({ pct: prevChange.sign * t.value, kind: prevChange.kind });
      continue;
    }
    prevChange = null;
    const early = EARLIER_BEFORE.exec(gap);
    if (early) {
      earlier = { token: t, base: early[1] ?? '' };
      continue;
    }
    const after = clause.slice(t.end, t.end + 3);
    let qualifier = t.qualifier;
    if (ABOVE_BEFORE.test(gap) || /^["”'’]?(以上|多|余)/.test(after)) qualifier = 'above';
    else if (ABOUT_BEFORE.test(gap) || /^["”'’]?左右/.test(after)) qualifier = 'about';
    else if (BELOW_BEFORE.test(gap) || /^["”'’]?(以下|以内)/.test(after)) qualifier = 'below';
    values.push({ ...t, qualifier });
  }
  let rank: Rank | null = null;
  const r = RANK_ZH.exec(clause);
  if (r && !GROWTH_RANK.test(clause.slice(0, r.index + r[0].length))) {
    const n = parseRankNumber(r[4] ?? '');
    const scopeWord = r[1] ?? r[2];
    if (n !== null && n > 0) {
      rank = {
        rank: n,
        scope: scopeWord?.includes('省')
          ? 'province'
          : scopeWord?.includes('市')
            ? 'city'
            : scopeWord === '全国'
              ? 'nation'
              : null,
        topN: r[3] === '前',
      };
    }
  }
  return { values, changes, rank, earlier, absoluteChange };
}

/** A target, a plan or a forecast: its figures are never actual values. */
export const TARGET_ZH =
  /力争|目标|争取|预计|预期|计划到|确保|有望|力求|将达到|将突破|将实现|要达到|冲刺|奋力实现/;
const PARENTHETICAL = /^(?:按可比价格?计算|按现价计算|扣除价格因素(?:后)?|按常住人口计算|同比|比上年)$/;
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
  /** Period mentions of this sentence (findPeriodsZh or findPeriodsEn on `match`). */
  periods: PeriodMention[];
}

interface Group {
  start: number;
  end: number;
  indicators: string[];
}

function splitClauses(s: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = s[i];
    if (i === s.length || c === ',' || c === '、' || c === ':' || c === ';') {
      out.push({ text: s.slice(start, i), start });
      start = i + 1;
    }
  }
  return out;
}

function resolveBase(base: string, current: string): string | null {
  const m = /^(\d{4})年$/.exec(base);
  if (m) return m[1] ?? null;
  const y = Number(current.slice(0, 4));
  if (!/^\d{4}$/.test(current) || !Number.isFinite(y)) return null;
  return base === '前年' ? String(y - 2) : String(y - 1);
}

/** Indicator phrases of a simplified sentence that stand for the indicator itself, in order. */
export function indicatorPhrasesZh(data: MetricsData, s: string): PhraseMatch[] {
  return data.zhPhrases.findAll(s).filter((f) => !data.embedded(s, f.start, f.end, 'zh'));
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

/** `found`: indicatorPhrasesZh of `sent.match`. */
export function extractSentenceZh(ctx: Context, sent: SentenceInput, found: PhraseMatch[]): Metric[] {
  const s = sent.match;
  if (found.length === 0) return [];
  const periods = sent.periods;
  const target = TARGET_ZH.test(s);

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

  const out: Metric[] = [];
  // Groups come in order, so the clause start, the next semicolon and the periods before each group
  // are found by pointers that only move forward: linear in the sentence.
  let sepScan = 0;
  let clauseStartAt = 0;
  let semiAt = -1;
  let periodPtr = 0;
  const isCurrent = CURRENT_ZH.test(s);
  groups.forEach((g, gi) => {
    let scopeEnd = groups[gi + 1]?.start ?? s.length;
    if (semiAt < g.end) {
      semiAt = s.indexOf(';', g.end);
      if (semiAt < 0) semiAt = s.length;
    }
    if (semiAt < scopeEnd) scopeEnd = semiAt;

    for (; sepScan < g.start; sepScan++) {
      const c = s.charCodeAt(sepScan);
      // , ; : 、 。
      if (c === 44 || c === 59 || c === 58 || c === 0x3001 || c === 0x3002) clauseStartAt = sepScan + 1;
    }
    // A region or group word sits right before the indicator; a longer look-back only costs time.
    const clauseStart = Math.max(clauseStartAt, g.start - MAX_PREFIX);
    const region = clauseRegion(ctx.data, s.slice(clauseStart, g.start), ctx.subject);
    if (region === undefined) return;

    while (periodPtr < periods.length && (periods[periodPtr]?.end ?? Infinity) <= g.start) periodPtr++;
    const lastBefore = periodPtr > 0 ? periods[periodPtr - 1] : undefined;
    let period: string | null | undefined;
    if (lastBefore) period = lastBefore.period;
    else {
      const inScope = periods.find((p) => p.start >= g.end && p.end <= scopeEnd);
      // 目前累计… states a stock as of today: the paragraph's year is not its period.
      period = inScope ? inScope.period : isCurrent ? undefined : sent.contextPeriod;
    }
    if (period === null || period === undefined) return;

    const n = g.indicators.length;
    const scope = s.slice(g.end, scopeEnd);
    const clauses = splitClauses(scope);
    const respectively = /分别/.test(clauses[0]?.text ?? '') || (n > 1 && /分别/.test(scope));
    // One indicator with 分别 lists several subjects (两区…分别): whose figure is whose is unclear.
    if (respectively !== n > 1) return;

    let values: NumberToken[] = [];
    let changes: Change[] = [];
    let rank: Rank | null = null;
    let earlier: ClauseReading['earlier'] = null;
    for (let k = 0; k < clauses.length && k < 4; k++) {
      const c = clauses[k];
      if (!c) break;
      if (k > 0 && SCOPE_STOP.test(c.text)) break;
      // 按可比价格计算 and the like qualify the figure around them: read on.
      if (k > 0 && PARENTHETICAL.test(c.text.trim())) continue;
      if (c.text.trim() === '') {
        if (k === 0) continue;
        break;
      }
      const r = readClauseZh(c.text);
      let gained = false;
      const vals = r.values.filter((v) =>
        g.indicators.every((code) => compatible(ctx.data.indicators.get(code)?.unit ?? 'CNY', v.kind)),
      );
      if (values.length === 0 && vals.length > 0) {
        values = n > 1 ? vals : vals.slice(0, 1);
        earlier = r.earlier;
        gained = true;
      }
      if (changes.length === 0 && r.changes.length > 0) {
        changes = n > 1 ? r.changes : r.changes.slice(0, 1);
        gained = true;
      }
      if (rank === null && r.rank !== null && n === 1) {
        rank = r.rank;
        gained = true;
      }
      if (!gained && !r.absoluteChange) break;
    }
    if (n > 1) {
      if (values.length !== n) values = [];
      if (changes.length !== n) changes = [];
    }
    if (values.length === 0 && changes.length === 0 && rank === null) return;

    const evidence = {
      text: sent.original,
      start: sent.start,
      end: sent.start + sent.original.length,
      lang: sent.lang,
    };
    g.indicators.forEach((code, i) => {
      const def = ctx.data.indicators.get(code);
      if (!def) return;
      const v = values[i] ?? null;
      const change = changes[i] ?? null;
      // A percentage indicator's change in percentage points is fine; a % change of a % value too.
      out.push(
        makeMetric({
          indicator: code,
          unit: def.unit,
          region,
          period,
          value: v?.value ?? null,
          qualifier: target ? 'target' : (v?.qualifier ?? null),
          change,
          rank: n === 1 ? rank : null,
          evidence,
        }),
      );
      if (earlier && n === 1 && compatible(def.unit, earlier.token.kind)) {
        const earlierPeriod = resolveBase(earlier.base, period);
        if (earlierPeriod !== null) {
          out.push(
            makeMetric({
              indicator: code,
              unit: def.unit,
              region,
              period: earlierPeriod,
              value: earlier.token.value,
              qualifier: target ? 'target' : null,
              change: null,
              rank: null,
              evidence,
            }),
          );
        }
      }
    });
  });
  return out;
}
