/**
 * Writes the corpus: `pnpm tsx services/parser/test/corpus/build.ts` (re)renders every page into
 * pages/ and the manifest corpus.json. Expectations come from hand-written data only (the articles'
 * `keep`/`drop`, the templates' `chrome`, seeds/documents/README.md through seed-expectations), never
 * from the parser: run it, then `pnpm vitest run services/parser/test/corpus.test.ts`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import {
  TEMPLATE_CHROME,
  TEMPLATE_KINDS,
  loadSeed,
  renderSeedAsHtml,
} from '../../../../packages/ops/src/demo/templates';
import { SEED_EXPECTATIONS } from '../support/seed-expectations';
import { ARTICLES, type Article } from './articles';
import type { CorpusEntry } from './manifest';
import { TEMPLATES, esc } from './templates';

const HERE = new URL('./', import.meta.url);
const PAGES = new URL('pages/', HERE);
const SEEDS = new URL('../../../../seeds/documents/', import.meta.url);
const entries: CorpusEntry[] = [];

function write(file: string, bytes: Uint8Array | string): void {
  writeFileSync(new URL(file, PAGES), bytes);
}

const article = (id: string): Article => {
  const a = ARTICLES.find((x) => x.id === id);
  if (!a) throw new Error(`no article ${id}`);
  return a;
};

/** Unlisted terms injected into the traditional copy on the spam blog (issue 17, generic detection). */
const INJECTED: Array<[string, string]> = [
  ['同比增長12.4%', '同比增長1會議室2.4%'],
  ['全區81個行政村', '全區8會議室1個行政村'],
  ['村級集體經濟總收入', '村級集體瑜珈館經濟總收入'],
  ['南湖區持續深化', '南湖共享書房區持續深化'],
  ['村集體增收渠道', '村集共享書房體增收渠道'],
];

function renderArticle(a: Article, template: string, opts: { gbk?: boolean; inject?: boolean } = {}): void {
  const t = TEMPLATES[template]!;
  const paragraphs = opts.inject
    ? a.paragraphs.map((p) => INJECTED.reduce((s, [from, to]) => s.replace(from, to), p))
    : a.paragraphs;
  const html = t.render({ ...a, paragraphs });
  const id = `${a.id}.${template}`;
  const file = `${id}.html`;
  write(file, opts.gbk ? iconv.encode(html, 'gb18030') : html);
  entries.push({
    id,
    file,
    kind: template,
    contentType: opts.gbk ? 'text/html' : 'text/html; charset=utf-8',
    charset: opts.gbk ? 'gb18030' : 'utf-8',
    expect: {
      title: a.title,
      publishedAt: a.date,
      ...(t.source ? { source: t.source(a) } : {}),
      language: a.language,
      must: opts.inject
        ? a.keep
            .filter((k) => !INJECTED.some(([from]) => k.includes(from)))
            .concat([
              '同比增長12.4%',
              '全區81個行政村',
              '村級集體經濟總收入',
              '南湖區持續深化',
              '村集體增收渠道',
            ])
        : a.keep,
      mustNot: [...(a.drop ?? []), ...t.chrome, ...(opts.inject ? ['會議室', '瑜珈館', '共享書房'] : [])],
    },
  });
}

function seeds(): void {
  for (const exp of SEED_EXPECTATIONS) {
    const txt = readFileSync(new URL(exp.file, SEEDS));
    const base = `seed-${exp.file.slice(0, 3)}`;
    write(`${base}.txt`, txt);
    entries.push({
      id: `${base}.txt`,
      file: `${base}.txt`,
      kind: 'seed-text',
      contentType: 'text/plain',
      charset: 'utf-8',
      expect: {
        title: exp.title || undefined,
        publishedAt: exp.publishedAt,
        language: exp.language,
        must: exp.must,
        mustNot: exp.mustNot,
        mustNotParagraph: exp.mustNotParagraph,
      },
    });
    const doc = loadSeed(new URL(exp.file, SEEDS).pathname);
    for (const kind of TEMPLATE_KINDS) {
      const page = renderSeedAsHtml(doc, kind);
      const english = kind === 'english-district';
      const latin = (s: string) => (s.match(/[A-Za-z]/g)?.length ?? 0) > s.length / 3;
      write(`${base}.${kind}.html`, page.bytes);
      entries.push({
        id: `${base}.${kind}`,
        file: `${base}.${kind}.html`,
        kind: `seed-${kind}`,
        contentType: page.contentType,
        charset: page.charset,
        expect: {
          title: exp.title ? (english ? exp.title.split('|')[0]!.trim() : exp.title) : undefined,
          // The English site template shows the English paragraphs only.
          must: english ? exp.must.filter(latin) : exp.must,
          mustNot: [...exp.mustNot, ...TEMPLATE_CHROME[kind]],
          mustNotParagraph: exp.mustNotParagraph,
        },
      });
    }
  }
}

function articles(): void {
  const pairs: Array<[string, string, { gbk?: boolean; inject?: boolean }?]> = [
    ['keqiao-economy', 'hanweb', { gbk: true }],
    ['keqiao-economy', 'portal-utf8'],
    ['nanhu-villages', 'trs'],
    ['nanhu-villages', 'wechat-served'],
    ['lishui-gep', 'trs'],
    ['lishui-gep', 'news-spam'],
    ['deqing-digital', 'wechat-served'],
    ['deqing-digital', 'wechat-mirror'],
    ['quzhou-prosperity', 'portal-utf8'],
    ['quzhou-prosperity', 'hacked-gov'],
    ['tongxiang-table', 'hanweb', { gbk: true }],
    ['anji-bamboo', 'hacked-gov'],
    ['anji-bamboo', 'wechat-served'],
    ['haining-notice', 'portal-utf8'],
    ['haining-notice', 'trs'],
    ['nanhu-hant', 'wordpress-spam', { inject: true }],
    ['nanhu-hant', 'wechat-mirror'],
    ['en-zhejiang-gdp', 'en-daily'],
    ['en-zhejiang-gdp', 'en-wp-news'],
    ['en-keqiao-textiles', 'en-zjol'],
    ['en-keqiao-textiles', 'en-shanghai'],
    ['en-anji-tourism', 'en-daily'],
    ['en-anji-tourism', 'en-shanghai'],
    ['en-anji-tourism', 'en-wp-news'],
  ];
  for (const [id, template, opts] of pairs) renderArticle(article(id), template, opts);
}

/** A bad input: bytes, how they are served, and what the parser must do with them. */
function bad(
  id: string,
  file: string,
  bytes: Uint8Array | string,
  contentType: string,
  expect: CorpusEntry['expect'],
  charset = 'utf-8',
): void {
  write(file, bytes);
  entries.push({ id, file, kind: 'bad-input', contentType, charset, expect });
}

function badInputs(): void {
  const keqiao = article('keqiao-economy');
  const ok = {
    title: keqiao.title,
    publishedAt: keqiao.date,
    must: keqiao.keep,
    mustNot: TEMPLATES['portal-utf8']!.chrome,
  };
  const portal = TEMPLATES['portal-utf8']!.render(keqiao);
  const hanweb = TEMPLATES.hanweb!.render(keqiao);
  bad(
    'png',
    'logo.png',
    new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0,
    ]),
    'image/png',
    { error: 'not_text', must: [], mustNot: [] },
  );
  bad(
    'pdf-as-html',
    'report.pdf.html',
    '%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n',
    'text/html',
    { error: 'not_text', must: [], mustNot: [] },
  );
  bad('empty', 'empty.html', '', 'text/html', { error: 'no_article', must: [], mustNot: [] });
  bad('whitespace', 'whitespace.txt', ' \n\t\n   \r\n', 'text/plain', {
    error: 'no_article',
    must: [],
    mustNot: [],
  });
  bad(
    'nav-only',
    'nav-only.html',
    `<!doctype html><html><head><meta charset="utf-8"><title>网站地图</title></head><body><nav><a href="/">首页</a> <a href="/a">政务公开</a> <a href="/b">办事服务</a></nav><ul class="menu"><li><a href="/c">机构设置</a></li><li><a href="/d">领导信息</a></li></ul><footer>版权所有 浙ICP备05012345号</footer></body></html>`,
    'text/html; charset=utf-8',
    { error: 'no_article', must: [], mustNot: [] },
  );
  bad(
    'utf16le-bom',
    'utf16le-bom.html',
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(portal, 'utf16le')]),
    'text/html',
    ok,
    'utf-16le',
  );
  bad(
    'utf16be-header',
    'utf16be-header.html',
    Buffer.from(portal, 'utf16le').swap16(),
    'text/html; charset=UTF-16BE',
    ok,
    'utf-16be',
  );
  bad(
    'utf16le-unlabelled',
    'utf16le-unlabelled.html',
    Buffer.from(portal.replace('<meta charset="utf-8">', '<meta charset="utf-16">'), 'utf16le'),
    'text/html',
    ok,
    'utf-16le',
  );
  const hanwebOk = { ...ok, source: keqiao.source, mustNot: TEMPLATES.hanweb!.chrome };
  bad('utf8-behind-gb2312-meta', 'utf8-behind-gb2312-meta.html', hanweb, 'text/html', hanwebOk);
  bad('utf8-behind-gbk-header', 'utf8-behind-gbk-header.html', hanweb, 'text/html; charset=GBK', hanwebOk);
  bad(
    'gbk-behind-utf8-label',
    'gbk-behind-utf8-label.html',
    iconv.encode(portal, 'gb18030'),
    'text/html; charset=utf-8',
    ok,
    'gb18030',
  );
  const plain = [keqiao.title, `${keqiao.date} 来源：${keqiao.source}`, ...keqiao.paragraphs].join('\n\n');
  bad(
    'gb18030-text',
    'gb18030-unlabelled.txt',
    iconv.encode(plain, 'gb18030'),
    'text/plain',
    { title: keqiao.title, publishedAt: keqiao.date, must: keqiao.keep, mustNot: [] },
    'gb18030',
  );
  // Issue 11: a page of nested <div>s far beyond any real page's depth fails at once, permanently.
  const deep = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(keqiao.title)}</title></head><body>${'<div>'.repeat(30_000)}<p>${esc(keqiao.paragraphs[0]!)}</p>${'</div>'.repeat(30_000)}</body></html>`;
  bad('deep-nesting', 'deep-nesting.html', deep, 'text/html; charset=utf-8', {
    error: 'too_deep',
    must: [],
    mustNot: [],
  });
}

rmSync(PAGES, { recursive: true, force: true });
mkdirSync(PAGES, { recursive: true });
seeds();
articles();
badInputs();
writeFileSync(new URL('corpus.json', HERE), `${JSON.stringify(entries, null, 1)}\n`);
console.log(`${entries.length} pages written to ${PAGES.pathname}`);
