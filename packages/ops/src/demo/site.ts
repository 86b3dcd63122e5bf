import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { renderSeedAsHtml, seedFromText, type TemplateKind } from './templates';
import { buildColumns } from './columns';
import type { MirrorPage, MirrorRoute } from './mirror';

export const DEMO_SOURCE_ID = 'demo-mirror';
/** The demo's sources, crawled in this order: the plain list, then the JCMS and TRS columns. */
export const DEMO_SOURCE_IDS = [DEMO_SOURCE_ID, 'demo-jcms', 'demo-trs'] as const;
/** The Chinese stories the two government columns list (by seed prefix), with their dates. */
const COLUMN_STORIES = [
  { prefix: '000_', date: '2023-03-28' },
  { prefix: '002_', date: '2022-05-20' },
  { prefix: '003_', date: '2022-03-01' },
];

/**
 * Where each seed document appears on the mirror, and in which template. Seed 002 is served under
 * two URLs (a portal's article path and an archive path), as portals often do: the crawler fetches
 * both and the indexer must store one article with both URLs.
 */
const PLACEMENT: Array<{ prefix: string; kind: TemplateKind; paths: string[]; tags?: string[] }> = [
  { prefix: '000_', kind: 'wechat-mirror', paths: ['/mp/2023-03-28/keqiao-tops-the-province.html'] },
  { prefix: '001_', kind: 'english-district', paths: ['/en/news/2023/keqiao-tops-the-province.html'] },
  {
    prefix: '002_',
    kind: 'district-portal',
    paths: ['/art/2022/5/20/art_1229_3716.html', '/archive/2022/keqiao-ten-strong-districts.html'],
  },
  { prefix: '003_', kind: 'news-portal', paths: ['/finance/2022/nanhu-common-prosperity.html'] },
  {
    prefix: '004_',
    kind: 'wordpress-copy',
    paths: ['/blog/2024/zhejiang-common-prosperity/'],
    // Spam blogs list their injected terms as tags: the parser learns them from there.
    tags: ['九宮格', '共享空間', '個人空間', '舞蹈教室', '講座'],
  },
];

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The mirror's pages: a list page linking every article URL, robots.txt, the articles, and two
 * government columns (JCMS and TRS) listing the Chinese stories under their own URLs; `routes`
 * answers the JCMS column's dataproxy.
 */
export async function buildDemoSite(root: string): Promise<MirrorPage[]> {
  return (await buildDemoMirror(root)).pages;
}

export async function buildDemoMirror(
  root: string,
): Promise<{ pages: MirrorPage[]; routes: Record<string, MirrorRoute> }> {
  const dir = path.join(root, 'seeds', 'documents');
  const files = readdirSync(dir).filter((f) => f.endsWith('.txt'));
  const pages: MirrorPage[] = [];
  const listItems: string[] = [];
  for (const place of PLACEMENT) {
    const file = files.find((f) => f.startsWith(place.prefix));
    if (!file) throw new Error(`seed document ${place.prefix}*.txt is missing from ${dir}`);
    const doc = seedFromText(readFileSync(path.join(dir, file), 'utf8'), file.replace(/\.txt$/, ''));
    const rendered = renderSeedAsHtml(doc, place.kind, place.tags ? { tags: place.tags } : {});
    for (const p of place.paths) {
      pages.push({ path: p, body: Buffer.from(rendered.bytes), contentType: rendered.contentType });
      listItems.push(
        `<li><a href="${p}">${esc(doc.title)}</a><span class="date">${doc.date ?? ''}</span></li>`,
      );
    }
  }
  const list = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>共同富裕示范区 新闻列表 - 演示镜像</title></head>
<body>
<div class="nav"><a href="/">首页</a> | <a href="/">新闻动态</a></div>
<h1>共同富裕示范区建设 新闻列表</h1>
<ul class="news-list">
${listItems.join('\n')}
</ul>
<div class="footer">govwire demo mirror — 本站为本地演示镜像</div>
</body></html>`;
  pages.push({ path: '/', body: Buffer.from(list, 'utf8'), contentType: 'text/html; charset=utf-8' });
  pages.push({
    path: '/robots.txt',
    body: Buffer.from('User-agent: *\nAllow: /\n'),
    contentType: 'text/plain',
  });
  const stories = COLUMN_STORIES.map(({ prefix, date }) => {
    const file = files.find((f) => f.startsWith(prefix))!;
    return {
      doc: seedFromText(readFileSync(path.join(dir, file), 'utf8'), file.replace(/\.txt$/, '')),
      date,
    };
  });
  const columns = buildColumns(stories);
  return { pages: [...pages, ...columns.pages], routes: columns.routes };
}
