import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';

/**
 * The local site the fault suite crawls: per scenario a list page linking its articles, each
 * article a district news item with its own text (so none is a near-duplicate of another and each
 * must end as one article), plus the hostile pages: a slow one (to catch a job mid-fetch), 200,000
 * nested divs, and a gzip bomb.
 */

/** A small deterministic generator: the site is the same on every run. */
function rng(seed: string): () => number {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return (h >>> 0) / 4294967296;
  };
}

const REGIONS = [
  '柯桥区',
  '越城区',
  '上虞区',
  '诸暨市',
  '嵊州市',
  '新昌县',
  '南湖区',
  '秀洲区',
  '海宁市',
  '平湖市',
  '桐乡市',
  '嘉善县',
  '海盐县',
  '吴兴区',
  '南浔区',
  '德清县',
  '长兴县',
  '安吉县',
];
const TOPICS = [
  '乡村振兴',
  '数字经济',
  '共同富裕',
  '营商环境',
  '城乡融合',
  '生态保护',
  '文化惠民',
  '民生实事',
  '产业升级',
  '科技创新',
  '教育均衡',
  '医疗改革',
  '养老服务',
  '交通建设',
  '水利工程',
  '人才引进',
];
const ACTIONS = [
  '召开推进会',
  '发布实施方案',
  '举行签约仪式',
  '开展专项督查',
  '启动试点工作',
  '组织现场观摩',
  '出台扶持政策',
  '召开座谈会',
];
const SUBJECTS = [
  '村集体经济',
  '农村居民人均可支配收入',
  '规上工业增加值',
  '固定资产投资',
  '社会消费品零售总额',
  '外贸进出口总额',
  '新增市场主体',
  '研发经费投入',
  '城镇新增就业',
  '财政总收入',
];
const PEOPLE = ['区委书记', '区长', '副区长', '县委书记', '市委常委', '镇党委书记', '村党支部书记', '局长'];
const VERBS = ['强调', '指出', '要求', '表示', '介绍'];
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const CLAUSE_A = [
  '坚持问题导向',
  '压紧压实责任',
  '加强统筹协调',
  '创新体制机制',
  '守牢安全底线',
  '深化改革开放',
  '坚持以人民为中心',
  '强化数字赋能',
  '聚焦重点领域',
  '补齐短板弱项',
];
const CLAUSE_B = [
  '聚焦群众急难愁盼',
  '细化任务清单',
  '形成工作合力',
  '激发基层活力',
  '防范化解风险',
  '优化资源配置',
  '推进整体智治',
  '健全考核机制',
  '完善要素保障',
  '拓宽增收渠道',
];
const CLAUSE_C = [
  '推动各项政策落地见效',
  '确保按期完成年度目标',
  '营造比学赶超的浓厚氛围',
  '打造可复制可推广的经验',
  '保持经济社会大局稳定',
  '增强高质量发展内生动力',
  '让发展成果更多惠及全体人民',
  '提升治理能力现代化水平',
  '跑出建设加速度',
  '交出高分报表',
];
const clause = (r: () => number) => `要${pick(r, CLAUSE_A)}，${pick(r, CLAUSE_B)}，${pick(r, CLAUSE_C)}`;

export interface Article {
  title: string;
  html: string;
}

/** One article: a title, a dateline, and six to nine paragraphs drawn afresh for each page. */
export function article(scenario: string, i: number): Article {
  const r = rng(`${scenario}/${i}`);
  const region = pick(r, REGIONS);
  const topic = pick(r, TOPICS);
  const title = `${region}${pick(r, ACTIONS)}推动${topic}工作（第${i}期）`;
  const paragraphs: string[] = [];
  const n = 6 + Math.floor(r() * 4);
  for (let p = 0; p < n; p++) {
    const year = 2019 + Math.floor(r() * 5);
    const value = (10 + r() * 990).toFixed(Math.floor(r() * 3));
    const change = (r() * 15).toFixed(1);
    paragraphs.push(
      `${year}年，${pick(r, REGIONS)}${pick(r, SUBJECTS)}达到${value}亿元，同比增长${change}%，` +
        `${pick(r, TOPICS)}与${pick(r, TOPICS)}协同推进。${pick(r, PEOPLE)}${pick(r, VERBS)}，` +
        `${clause(r)}；${clause(r)}。第${i}-${p}号会议纪要编号${Math.floor(r() * 1e6)}。`,
    );
  }
  const day = 1 + (i % 28);
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>
<div class="top"><a href="/">首页</a> &gt; <a href="/s/${scenario}/index.html">工作动态</a></div>
<div class="article"><h1>${title}</h1><div class="info">发布时间：2023-03-${String(day).padStart(2, '0')} 来源：${region}人民政府</div>
${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
</div><div class="footer">主办：${region}人民政府办公室</div></body></html>`;
  return { title, html };
}

/** The deep-nesting page: 200,000 nested divs around a short article (2.2 MB). */
export function deepNestingPage(depth = 200_000): Buffer {
  const open = '<div>'.repeat(depth);
  const close = '</div>'.repeat(depth);
  return Buffer.from(
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>嵌套页面</title></head><body>${open}<p>柯桥区地区生产总值1901亿元，增长4.5%。</p>${close}</body></html>`,
  );
}

/** 1 GiB of zeros, gzipped to about 1 MB: streamed, never held inflated. */
export async function gzipBomb(inflatedBytes = 1024 ** 3): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gz.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    gz.on('end', resolve);
    gz.on('error', reject);
  });
  const block = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < inflatedBytes; written += block.length) {
    if (!gz.write(block)) await new Promise((r) => gz.once('drain', r));
  }
  gz.end();
  await done;
  return Buffer.concat(chunks);
}

export interface SiteScenario {
  id: string;
  articles: number;
  /** Extra pages: path under /s/<id>/a/ → how to answer. */
  extra?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
}

export interface FaultSite {
  origin: string;
  /** The article URLs a scenario's crawl must account for. */
  articleUrls(s: SiteScenario): string[];
  listUrl(s: SiteScenario): string;
  close(): Promise<void>;
}

const HTML = { 'content-type': 'text/html; charset=utf-8' };

export async function startFaultSite(scenarios: SiteScenario[]): Promise<FaultSite> {
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const links = (s: SiteScenario) => [
    ...Array.from({ length: s.articles }, (_, i) => `/s/${s.id}/a/${i + 1}.html`),
    ...Object.keys(s.extra ?? {}).map((name) => `/s/${s.id}/a/${name}`),
  ];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/robots.txt')
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
    const m = /^\/s\/([\w-]+)\/(index\.html|a\/(.+))$/.exec(path);
    const s = m ? byId.get(m[1]!) : undefined;
    if (!m || !s) return void res.writeHead(404, HTML).end('<p>not found</p>');
    if (m[2] === 'index.html') {
      const items = links(s).map(
        (l, i) => `<li><a href="${l}">工作动态 ${i + 1}</a><span>2023-03-28</span></li>`,
      );
      return void res
        .writeHead(200, HTML)
        .end(
          `<!DOCTYPE html><html><head><meta charset="utf-8"><title>工作动态</title></head><body><ul class="news-list">${items.join('\n')}</ul></body></html>`,
        );
    }
    const name = m[3]!;
    const extra = s.extra?.[name];
    if (extra) return extra(req, res);
    const n = /^(\d+)\.html$/.exec(name)?.[1];
    if (!n || Number(n) < 1 || Number(n) > s.articles)
      return void res.writeHead(404, HTML).end('<p>not found</p>');
    res.writeHead(200, HTML).end(article(s.id, Number(n)).html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    articleUrls: (s) => links(s).map((l) => `${origin}${l}`),
    listUrl: (s) => `${origin}/s/${s.id}/index.html`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
