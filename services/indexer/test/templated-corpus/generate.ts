import { parseDocument, type ParserContext } from '@govwire/parser';
import { parsedArticleSchema } from '@govwire/shared';
import * as OpenCC from 'opencc-js';
import { splitmix32 } from '../../src/dedup';
import { loadGazetteer } from '../../src/settings/dedup-settings';
import type { IndexItem } from '../../src/index-article';
import { countyPortalPage } from './corpus';

/**
 * Generated template reports at any scale (bench:templated-scale and the candidate-ranking test):
 * weekly bulletins, monthly statistics releases and yearly work notices across counties, each
 * its own article, and copies of them made the ways reprints are made. The hand-written corpus
 * beside this file holds the cases one by one; this one holds the numbers: thousands of siblings
 * that share nearly every shingle, the case where LSH candidates crowd a copy's original out.
 */

/** Random figures of one generator. */
interface Draws {
  between(lo: number, hi: number): number;
  decimal(lo: number, hi: number): string;
}

export type Template = 'bulletin' | 'release' | 'notice';
export const TEMPLATES: readonly Template[] = ['bulletin', 'release', 'notice'];

/** A weekly bulletin: the county, the issue and six figures change; the rest is the template. */
function bulletin(
  { between, decimal }: Draws,
  county: string,
  issue: number,
): { title: string; paragraphs: string[] } {
  return {
    title: `${county}共同富裕工作简报(第${issue}期)`,
    paragraphs: [
      `近日,${county}召开共同富裕示范区建设推进会,通报近期工作进展,部署下阶段重点任务。`,
      `会议指出,今年以来,${county}聚焦缩小地区差距、城乡差距、收入差距,累计投入资金${between(200, 9000)}万元,新建项目${between(5, 60)}个,续建项目${between(3, 40)}个,带动农民增收${decimal(0.5, 9.9)}亿元。`,
      `在强村富民方面,全${county.slice(-1)}村级集体经济总收入同比增长${decimal(3, 18)}%,经营性收入50万元以上的行政村占比达${decimal(40, 99)}%。`,
      `会议要求,各乡镇(街道)、各部门要进一步压实责任,细化任务清单,确保各项目标任务按期完成,以更大力度推动共同富裕示范区建设取得新成效。`,
    ],
  };
}

/** A monthly statistics release: the months and eight figures change. */
function release(
  { decimal, between }: Draws,
  county: string,
  year: number,
  month: number,
): { title: string; paragraphs: string[] } {
  const months = `${year}年1-${month}月`;
  return {
    title: `${months}${county}经济运行情况`,
    paragraphs: [
      `${months},${county}实现规模以上工业增加值${decimal(50, 400)}亿元,同比增长${decimal(1, 12)}%;规模以上工业企业实现营业收入${decimal(200, 1500)}亿元,增长${decimal(1, 12)}%。`,
      `固定资产投资同比增长${decimal(1, 15)}%,其中制造业投资增长${decimal(1, 20)}%。社会消费品零售总额${decimal(50, 400)}亿元,同比增长${decimal(1, 9)}%。`,
      `全体居民人均可支配收入${between(40000, 80000)}元,同比增长${decimal(3, 8)}%。`,
      `${county}统计局`,
    ],
  };
}

/**
 * A yearly work notice: long and nearly all template, one county, one year, two figures. The
 * hardest case for the look-up: siblings share almost every shingle with a copy.
 */
function notice({ between }: Draws, county: string, year: number): { title: string; paragraphs: string[] } {
  return {
    title: `${county}关于开展${year}年度共同富裕示范区建设工作考核的通知`,
    paragraphs: [
      `各乡镇人民政府、街道办事处,县级各部门:`,
      `为深入贯彻落实省委、省政府关于高质量发展建设共同富裕示范区的决策部署,进一步压实工作责任,推动各项目标任务落地见效,经研究,决定开展${year}年度共同富裕示范区建设工作考核。现将有关事项通知如下。`,
      `一、考核对象。各乡镇(街道)和承担共同富裕示范区建设任务的县级部门,共${between(20, 60)}个单位。`,
      `二、考核内容。主要包括缩小地区差距、城乡差距、收入差距,公共服务优质共享,精神文明建设,全域美丽建设,社会治理现代化等方面的目标任务完成情况和工作成效。`,
      `三、考核方式。考核采取日常考核与年终考核相结合、定量评价与定性评价相结合的方式进行,年终考核结果占总分的${between(40, 80)}%。`,
      `四、工作要求。各单位要高度重视,明确分管领导和具体联系人,认真对照考核细则做好自评工作,如实提供相关佐证材料,确保考核工作客观公正、规范有序。`,
      `${county}共同富裕示范区建设领导小组办公室`,
    ],
  };
}

export interface Report {
  name: string;
  title: string;
  paragraphs: string[];
}

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
export const COPY_KINDS = ['credit', 'dropped-paragraph', 'traditional', 'mirror'] as const;
export type CopyKind = (typeof COPY_KINDS)[number];

/** The gazetteer's county-level names (市/县/区), as the portals that publish these templates. */
export function countyNames(): string[] {
  return loadGazetteer()
    .map((r) => r.name)
    .filter((n) => /^[\p{Script=Han}]{2,4}[县区]$|^[\p{Script=Han}]{2,3}市$/u.test(n));
}

export interface TemplatedGenerator {
  /**
   * `n` distinct reports over `counties`, rotating `templates`; a round is one issue (month,
   * year) of every county, so no two reports share a county and an issue.
   */
  reports(n: number, counties: readonly string[], templates?: readonly Template[]): Report[];
  /** A copy of a report, in the ways reprints are made; every figure it keeps is the original's. */
  copyOf(r: Report, kind: CopyKind): { title: string; paragraphs: string[] };
}

/** A generator whose figures come from `seed`: the same seed, the same reports. */
export function templatedGenerator(seed: number): TemplatedGenerator {
  const rand = splitmix32(seed);
  const between = (lo: number, hi: number) => lo + (rand() % (hi - lo + 1));
  const draws: Draws = { between, decimal: (lo, hi) => (between(lo * 10, hi * 10) / 10).toFixed(1) };
  const report = (template: Template, county: string, round: number): Report => {
    if (template === 'bulletin')
      return { name: `bulletin-${county}-${round + 1}`, ...bulletin(draws, county, round + 1) };
    if (template === 'notice')
      return { name: `notice-${county}-${1950 + round}`, ...notice(draws, county, 1950 + round) };
    const month = 2 + (round % 11);
    const year = 2000 + Math.floor(round / 11);
    return { name: `release-${county}-${year}-${month}`, ...release(draws, county, year, month) };
  };
  return {
    reports(n, counties, templates = TEMPLATES) {
      return Array.from({ length: n }, (_, k) => {
        const round = Math.floor(k / (counties.length * templates.length));
        const slot = k % (counties.length * templates.length);
        return report(
          templates[slot % templates.length]!,
          counties[Math.floor(slot / templates.length)]!,
          round,
        );
      });
    },
    copyOf: (r, kind) => copyOf(r, kind, between),
  };
}

/** A copy of a report, in the ways reprints are made; every figure it keeps is the original's. */
function copyOf(
  r: Report,
  kind: CopyKind,
  between: Draws['between'],
): { title: string; paragraphs: string[] } {
  switch (kind) {
    case 'credit':
      return { title: r.title, paragraphs: [...r.paragraphs, '(责任编辑:王小明 审核:李华)'] };
    case 'dropped-paragraph':
      return { title: r.title, paragraphs: r.paragraphs.filter((_, i) => i !== 2) };
    case 'traditional':
      return { title: toTraditional(r.title), paragraphs: r.paragraphs.map((p) => toTraditional(p)) };
    case 'mirror':
      return {
        title: `${r.title}_共富资讯网`,
        paragraphs: [
          `发布时间:2024-10-${between(10, 28)} 来源:${r.title.slice(0, 3)}融媒体中心 浏览次数:${between(10, 900)}`,
          ...r.paragraphs,
        ],
      };
  }
}

/** A report or copy as the indexer gets it: parsed by the real parser, from a page of its own. */
export function reportItem(
  parser: ParserContext,
  name: string,
  text: { title: string; paragraphs: string[] },
): IndexItem {
  const bytes = Buffer.from([text.title, ...text.paragraphs].join('\n\n'));
  return {
    article: parsedArticleSchema.parse(parseDocument(parser, { bytes, mode: 'text' })),
    page: countyPortalPage(`${encodeURIComponent(name)}.html`, bytes, 'templated-scale'),
  };
}
