import type { MetricsData } from './data';
import { findPeriodsEn, findPeriodsZh, type ReportDates } from './periods';
import { CJK, matchingText } from './text';

/**
 * The document model's dates: what a report is about, read from its title, its lead and its
 * publication date, for the periods its sentences leave out. Region flows separately (the subject
 * region, regions.ts); a sentence's own period always wins over these.
 *
 * - `articlePeriod`: the one period the title states (2024年1-9月柯桥区经济运行情况), else the one
 *   the lead states; a paragraph that names none starts from it.
 * - `reportYear`, `reportMonth`: what 1-9月, 上半年, 全年 and 当月 without a year resolve against.
 * - A work report's title year (2024年政府工作报告) is the report's year, not its results' period:
 *   it gives no article period.
 */
export interface DocumentDates extends ReportDates {
  articlePeriod: string | undefined;
}

export interface DocumentHead {
  title: string;
  publishedAt: string | null;
  /** The first paragraphs of prose (up to two). */
  lead: string[];
}

function distinctPeriods(data: MetricsData, s: string, dates: ReportDates): string[] {
  // Chinese text is read as Chinese only (its Latin letters are GDP, R&D), English text as English.
  const { publishedAt, reportYear = null, reportMonth = null } = dates;
  const found = CJK.test(s)
    ? findPeriodsZh(matchingText(s, data.simplifiedUnit), publishedAt, reportYear, reportMonth)
    : findPeriodsEn(s, publishedAt, reportYear, reportMonth);
  return [...new Set(found.map((p) => p.period).filter((p): p is string => p !== null))];
}

function yearAndMonth(period: string): { reportYear: number; reportMonth: number | null } {
  const end = period.includes('/') ? period.slice(period.indexOf('/') + 1) : period;
  return {
    reportYear: Number(period.slice(0, 4)),
    reportMonth: end.length === 7 ? Number(end.slice(5, 7)) : null,
  };
}

export function documentDates(data: MetricsData, head: DocumentHead): DocumentDates {
  const base: ReportDates = { publishedAt: head.publishedAt };
  const title = distinctPeriods(data, head.title, base);
  if (title.length === 1 && title[0] !== undefined) {
    const only = title[0];
    if (data.yearOnlyTitle(matchingText(head.title, data.simplifiedUnit)))
      return { ...base, reportYear: Number(only.slice(0, 4)), articlePeriod: undefined };
    return { ...base, ...yearAndMonth(only), articlePeriod: only };
  }
  if (title.length > 1) return { ...base, articlePeriod: undefined };
  // A news lead may take two paragraphs (a scene, then the dated figures): the first that dates
  // anything decides, and only when it names one period.
  for (const paragraph of head.lead) {
    const lead = distinctPeriods(data, paragraph.slice(0, 400), base);
    if (lead.length === 0) continue;
    if (lead.length > 1 || lead[0] === undefined) break;
    return { ...base, ...yearAndMonth(lead[0]), articlePeriod: lead[0] };
  }
  return { ...base, articlePeriod: undefined };
}
