/**
 * `pnpm bench:templated-scale [--reports 3000] [--copies 300] [--batch 50]`
 *
 * The templated corpus at the scale of a year of a province's bulletins: N weekly bulletins and
 * monthly releases and yearly notices from three templates, across the gazetteer's counties and many issues, each its
 * own article, then copies of a sample of them (a credit line added, a paragraph dropped, the
 * traditional script, a mirror's date line and view count), which must join their original.
 *
 * What it tests: siblings of one template share most of their wording, so every report is an LSH
 * candidate of every other, and only `max_candidates` of them (most shared buckets first) are
 * verified. A copy joins its original only if the original is among those; with thousands of
 * siblings, does it stay there? Every text goes through the real parser, as in production.
 * Prints the articles stored against the reports, the copies that did not join (by kind) and any
 * two reports merged. Exit code 1 when either is not 0.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as OpenCC from 'opencc-js';
import { createParserContext, parseDocument } from '../services/parser/src/index';
import { parsedArticleSchema } from '../packages/shared/src/index';
import { createTestDatabase } from '../packages/shared/src/testing';
import { fingerprint, splitmix32 } from '../services/indexer/src/dedup';
import { indexArticlesSettled, type IndexItem } from '../services/indexer/src/index';
import { findCandidates } from '../services/indexer/src/repositories/dedup.repository';
import { countArticles } from '../services/indexer/src/repositories/maintenance.repository';
import { loadDedupSettings, loadGazetteer } from '../services/indexer/src/settings/dedup-settings';

const { values: args } = parseArgs({
  options: {
    reports: { type: 'string', default: '3000' },
    copies: { type: 'string', default: '300' },
    batch: { type: 'string', default: '50' },
  },
});
const REPORTS = Number(args.reports);
const COPIES = Number(args.copies);
const BATCH = Number(args.batch);

const rand = splitmix32(20261201);
const between = (lo: number, hi: number) => lo + (rand() % (hi - lo + 1));
const decimal = (lo: number, hi: number) => (between(lo * 10, hi * 10) / 10).toFixed(1);

// County-level names of the gazetteer (市/县/区), as the portals that publish these templates.
const counties = loadGazetteer()
  .map((r) => r.name)
  .filter((n) => /^[\p{Script=Han}]{2,4}[县区]$|^[\p{Script=Han}]{2,3}市$/u.test(n));

/** A weekly bulletin: the county, the issue and six figures change; the rest is the template. */
function bulletin(county: string, issue: number): { title: string; paragraphs: string[] } {
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
function release(county: string, year: number, month: number): { title: string; paragraphs: string[] } {
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
function notice(county: string, year: number): { title: string; paragraphs: string[] } {
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

interface Report {
  name: string;
  title: string;
  paragraphs: string[];
}

/** N distinct reports: every (county, issue) and (county, months) at most once. */
function reports(n: number): Report[] {
  const out: Report[] = [];
  for (let k = 0; out.length < n; k++) {
    const county = counties[k % counties.length]!;
    const round = Math.floor(k / counties.length);
    // Rotate the templates; a round is one issue (month, year) of every county.
    if (k % 3 === 0) out.push({ name: `bulletin-${county}-${round + 1}`, ...bulletin(county, round + 1) });
    else if (k % 3 === 1) {
      const month = 2 + (round % 11);
      const year = 2000 + Math.floor(round / 11);
      out.push({ name: `release-${county}-${year}-${month}`, ...release(county, year, month) });
    } else out.push({ name: `notice-${county}-${1950 + round}`, ...notice(county, 1950 + round) });
  }
  return out;
}

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
const COPY_KINDS = ['credit', 'dropped-paragraph', 'traditional', 'mirror'] as const;
type CopyKind = (typeof COPY_KINDS)[number];

/** A copy of a report, in the ways reprints are made; every figure it keeps is the original's. */
function copyOf(r: Report, kind: CopyKind): { title: string; paragraphs: string[] } {
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

const parser = createParserContext();
function item(name: string, text: { title: string; paragraphs: string[] }): IndexItem {
  const bytes = Buffer.from([text.title, ...text.paragraphs].join('\n\n'));
  const url = `https://county-portal.example/${encodeURIComponent(name)}.html`;
  return {
    article: parsedArticleSchema.parse(parseDocument(parser, { bytes, mode: 'text' })),
    page: {
      url,
      finalUrl: url,
      sourceId: 'templated-scale',
      crawlId: null,
      pageId: null,
      fetchedAt: '2026-12-01T08:00:00.000Z',
      status: 200,
      contentHash: createHash('sha256').update(bytes).digest('hex'),
      charsetOverride: null,
    },
  };
}

const { thresholds, maxCandidates, guard } = loadDedupSettings();
const originals = reports(REPORTS);
const sample = Array.from({ length: COPIES }, (_, i) => ({
  original: originals[rand() % originals.length]!,
  kind: COPY_KINDS[i % COPY_KINDS.length]!,
}));
console.log(
  `templated at scale: ${REPORTS} reports of 3 templates over ${counties.length} counties, ` +
    `${COPIES} copies; max_candidates ${maxCandidates}, batches of ${BATCH}`,
);
const t0 = performance.now();
const reportItems = originals.map((r) => item(r.name, r));
const copyItems = sample.map((s, i) => item(`copy-${i}-${s.original.name}`, copyOf(s.original, s.kind)));
console.log(
  `parsed ${reportItems.length + copyItems.length} texts in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const tdb = await createTestDatabase();
try {
  const opts = { thresholds, maxCandidates, guard };
  /** Article id of every item, in batches, in order. */
  const indexAll = async (items: IndexItem[]) => {
    const ids: number[] = [];
    for (let i = 0; i < items.length; i += BATCH) {
      for (const s of await indexArticlesSettled(tdb.db, items.slice(i, i + BATCH), opts)) {
        if (s.status === 'rejected') throw s.reason;
        ids.push(s.value.articleId);
      }
    }
    return ids;
  };
  const t1 = performance.now();
  const reportIds = await indexAll(reportItems);
  const merged = reportIds.length - new Set(reportIds).size;
  const byArticle = new Map<number, string[]>();
  reportIds.forEach((id, i) => byArticle.set(id, [...(byArticle.get(id) ?? []), originals[i]!.name]));
  for (const names of [...byArticle.values()].filter((n) => n.length > 1).slice(0, 10))
    console.log(`  merged, must be apart: ${names.join(' + ')}`);
  console.log(
    `reports: ${await countArticles(tdb.db)} articles stored for ${REPORTS} reports ` +
      `(${merged} merged into another) in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
  );
  // Where each copy's original ranks among its LSH candidates (most shared buckets first): only
  // the first max_candidates are verified, so this is the margin the limit leaves.
  const ranks: number[] = [];
  for (const [i, s] of sample.entries()) {
    const article = copyItems[i]!.article;
    const found = await findCandidates(
      tdb.db,
      fingerprint(article.textSimplified, article.title, guard).bands,
      5000,
    );
    const originalId = reportIds[originals.indexOf(s.original)];
    const rank = found.findIndex((c) => c.articleId === originalId) + 1 || Infinity;
    ranks.push(rank);
    if (rank > maxCandidates)
      console.log(
        `  ${s.kind} copy of ${s.original.name}: original ranks ${rank} of ${found.length} candidates ` +
          `(its shared buckets ${found[rank - 1]?.hits}, the first's ${found[0]?.hits})`,
      );
  }
  ranks.sort((a, b) => a - b);
  const candidates = ranks.length;
  console.log(
    `original's rank among a copy's candidates: median ${ranks[Math.floor(candidates / 2)]}, ` +
      `worst ${ranks[candidates - 1]} (verified: the first ${maxCandidates})`,
  );
  const copyIds = await indexAll(copyItems);
  const missed = new Map<CopyKind, number>(COPY_KINDS.map((k) => [k, 0]));
  sample.forEach((s, i) => {
    if (copyIds[i] !== reportIds[originals.indexOf(s.original)]) missed.set(s.kind, missed.get(s.kind)! + 1);
  });
  const notJoined = [...missed.values()].reduce((a, b) => a + b, 0);
  console.log(
    `copies: ${COPIES - notJoined} of ${COPIES} joined their original; not joined by kind: ` +
      [...missed].map(([k, n]) => `${k} ${n}`).join(', '),
  );
  console.log(`articles stored at the end: ${await countArticles(tdb.db)} (expected ${REPORTS})`);
  process.exitCode = merged === 0 && notJoined === 0 ? 0 : 1;
} finally {
  await tdb.drop();
}
