import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SeedDoc } from './seed-doc';
import { renderSeedAsHtml } from './templates';
import type { MirrorPage } from './mirror';

/**
 * The demo mirror's two government columns, served as the portals in seeds/sources.yaml serve
 * theirs: a Hanweb JCMS column (the first record in the page's XML datastore, the others from
 * POSTs to the dataproxy) and a TRS WCM column (one story per page, pages written by
 * `createPageHTML`). Each lists the Chinese seed stories under its own article URLs.
 */
export const JCMS_COLUMN = '/col/col1229135412/index.html';
export const JCMS_PROXY = '/module/web/jpage/dataproxy.jsp';
export const TRS_COLUMN = '/xwzx/gzdt/index.html';
const COLUMN_ID = '1229135412';

interface Story {
  doc: SeedDoc;
  date: string;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const jcmsPath = (i: number, s: Story) =>
  `/art/${s.date.replace(/-0?/g, '/').replace(/^\//, '')}/art_${COLUMN_ID}_${59012345 - i}.html`;

function record(path: string, s: Story): string {
  return `<record><![CDATA[\n<li><a href="${path}" title="${esc(s.doc.title)}" target="_blank">${esc(s.doc.title)}</a><span>${s.date}</span></li>\n]]></record>`;
}

function jcmsPage(stories: Story[]): string {
  return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>柯桥要闻_演示镜像</title></head><body>
<div class="nav"><a href="/">首页</a> | <a href="${TRS_COLUMN}">工作动态</a></div>
<div class="lm_name">柯桥要闻</div>
<div id="4892"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="${JCMS_PROXY}?page=1&webid=2881&path=/&columnid=${COLUMN_ID}&unitid=4892&permissiontype=0"></a>]]></nextgroup>
<recordset>
${record(jcmsPath(0, stories[0]!), stories[0]!)}
</recordset>
</datastore>
</script></div><script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>$(document).ready(function(){ $('#4892').jpage({ themeName: 'default', openCookies: false,
  totalRecord: ${stories.length}, perPage: 1, groupSize: 1, showMode: 'full', proxyUrl: '${JCMS_PROXY}',
  ajaxParam: { col: 1, appid: 1, webid: 2881, path: '/', columnid: ${COLUMN_ID}, sourceContentType: 1, unitid: '4892', webname: '演示镜像', permissiontype: 0 } }); });</script>
<div class="footer">govwire demo mirror — 本站为本地演示镜像</div></body></html>`;
}

/** The dataproxy: record range in the query, the column in the urlencoded form body. */
function jcmsProxy(stories: Story[]) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const q = new URL(req.url ?? '/', 'http://mirror').searchParams;
    const start = Number(q.get('startrecord'));
    const end = Math.min(Number(q.get('endrecord')), stories.length);
    const mine = req.method === 'POST' && form.get('columnid') === COLUMN_ID;
    const records = [];
    for (let i = start; mine && i >= 1 && i <= end; i++)
      records.push(record(jcmsPath(i - 1, stories[i - 1]!), stories[i - 1]!));
    res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>${mine ? stories.length : 0}</totalrecord>\n<totalpage>${mine ? stories.length : 0}</totalpage>\n<recordset>\n${records.join('\n')}\n</recordset>\n</datastore>`,
    );
  };
}

function trsPage(story: Story, path: string, count: number, current: number): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>工作动态_演示镜像</title></head><body>
<div class="crumb"><a href="/">首页</a> &gt; 工作动态</div>
<ul class="u-list"><li><span>${story.date}</span><a href="${path}" target="_blank" title="${esc(story.doc.title)}">${esc(story.doc.title)}</a></li></ul>
<div class="page"><script language="JavaScript">
var currentPage = ${current};//所在页从0开始
var countPage = ${count}//共多少页
createPageHTML(countPage, currentPage, "index", "html");
</script></div></body></html>`;
}

/** The two columns' pages, their article pages, and the dataproxy route. */
export function buildColumns(stories: Story[]): {
  pages: MirrorPage[];
  routes: Record<string, ReturnType<typeof jcmsProxy>>;
} {
  const html = (body: string) => ({
    body: Buffer.from(body, 'utf8'),
    contentType: 'text/html; charset=utf-8',
  });
  const pages: MirrorPage[] = [{ path: JCMS_COLUMN, ...html(jcmsPage(stories)) }];
  stories.forEach((s, i) => {
    const page = renderSeedAsHtml(s.doc, 'district-portal');
    pages.push({ path: jcmsPath(i, s), body: Buffer.from(page.bytes), contentType: page.contentType });
    const trsArticle = `./2023${String(3 + i).padStart(2, '0')}/t2023${String(3 + i).padStart(2, '0')}28_${4512300 + i}.html`;
    const trs = renderSeedAsHtml(s.doc, 'news-portal');
    pages.push({
      path: new URL(trsArticle, `http://m${TRS_COLUMN}`).pathname,
      body: Buffer.from(trs.bytes),
      contentType: trs.contentType,
    });
    const listPath = i === 0 ? TRS_COLUMN : TRS_COLUMN.replace('index.html', `index_${i}.html`);
    pages.push({ path: listPath, ...html(trsPage(s, trsArticle, stories.length, i)) });
  });
  return { pages, routes: { [JCMS_PROXY]: jcmsProxy(stories) } };
}
