import type { IncomingMessage, ServerResponse } from 'node:http';
import { articlePage, type Route } from './site';

/**
 * Local column sites built the way Hanweb JCMS and TRS WCM portals serve theirs, for the
 * crawler's integration tests. Articles answer conditional GETs (ETag), as those servers do.
 */
export interface ColumnArticle {
  path: string;
  title: string;
  date: string;
}

/** An article that answers 304 to a matching If-None-Match. */
export function article(a: ColumnArticle): Route {
  const etag = `"${Buffer.from(a.path).toString('base64url').slice(-16)}"`;
  return (req, res) => {
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag })
      .end(articlePage(a.title, [`${a.title}。发布日期${a.date}。全区地区生产总值增长5.2%。`]));
  };
}

export function jcmsArticles(n: number, columnId = 1229135412): ColumnArticle[] {
  return Array.from({ length: n }, (_, i) => {
    const day = 28 - (i % 28);
    return {
      path: `/art/2024/5/${day}/art_${columnId}_${59012345 - i}.html`,
      title: `柯桥要闻第${n - i}条`,
      date: `2024-05-${String(day).padStart(2, '0')}`,
    };
  });
}

function record(a: ColumnArticle, i: number): string {
  // Attribute order, quoting and layout vary record to record, as they do on the portals.
  const li =
    i % 3 === 0
      ? `<li><a href="${a.path}" title="${a.title}" target="_blank">${a.title}</a><span>${a.date}</span></li>`
      : i % 3 === 1
        ? `<li class="clearfix"><a target="_blank" title='${a.title}' href='${a.path}'><span>${a.title}</span><i>${a.date}</i></a></li>`
        : `<li>\n <a href=${a.path} target=_blank>${a.title}</a>\n <span>${a.date}</span>\n</li>`;
  return `<record><![CDATA[\n${li}\n]]></record>`;
}

export interface JcmsColumnOptions {
  columnId: number;
  unitId: number;
  /** Newest first, as the column lists them. */
  articles: () => ColumnArticle[];
  perPage: number;
  groupSize: number;
  /** What the pager script claims; the real count by default. */
  totalRecord?: () => number;
  /** Answers a dataproxy request differently (bad-input tests); undefined → the normal answer. */
  proxyOverride?: (start: number, end: number, res: ServerResponse) => boolean;
  /** Records of [start, end] (1-based) as the proxy would answer them. */
  recordsFor?: (start: number, end: number) => ColumnArticle[];
}

export function jcmsColumnPage(o: JcmsColumnOptions): string {
  const list = o.articles();
  const embedded = list.slice(0, o.perPage * o.groupSize);
  const total = o.totalRecord ? o.totalRecord() : list.length;
  return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>柯桥要闻_绍兴市柯桥区人民政府</title><script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script></head>
<body><div class="nav"><a href="/">首页</a> <a href="/col/col1229135411/index.html">政务公开</a></div>
<div class="lm">柯桥要闻</div>
<div id="${o.unitId}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=2881&path=/&columnid=${o.columnId}&unitid=${o.unitId}&webname=%E7%BB%8D%E5%85%B4&permissiontype=0"></a>]]></nextgroup>
<recordset>
${embedded.map(record).join('\n')}
</recordset>
</datastore>
</script></div><script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>$(document).ready(function(){ $('#${o.unitId}').jpage({ themeName: 'default', openCookies: false,
  totalRecord: ${total}, perPage: ${o.perPage}, groupSize: ${o.groupSize}, showMode: 'full',
  proxyUrl: '/module/web/jpage/dataproxy.jsp',
  ajaxParam: { col: 1, appid: 1, webid: 2881, path: '/', columnid: ${o.columnId}, sourceContentType: 1, unitid: '${o.unitId}', webname: '绍兴市柯桥区人民政府', permissiontype: 0 } }); });</script>
<div class="footer">主办：绍兴市柯桥区人民政府办公室</div></body></html>`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The dataproxy: POST with the range in the query and the column in the form body. */
export function jcmsDataproxy(
  columns: JcmsColumnOptions[],
  log: Array<{ start: number; end: number; columnid: string | null }>,
): Route {
  return async (req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    const form = new URLSearchParams(await readBody(req));
    const start = Number(q.get('startrecord'));
    const end = Number(q.get('endrecord'));
    log.push({ start, end, columnid: form.get('columnid') });
    const col = columns.find((c) => String(c.columnId) === form.get('columnid'));
    if (req.method !== 'POST' || !col) {
      return void res
        .writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' })
        .end('<datastore><totalrecord>0</totalrecord></datastore>');
    }
    if (col.proxyOverride?.(start, end, res)) return;
    const list = col.recordsFor ? col.recordsFor(start, end) : col.articles().slice(start - 1, end);
    const total = col.totalRecord ? col.totalRecord() : col.articles().length;
    res
      .writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' })
      .end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>${total}</totalrecord>\n<totalpage>${Math.ceil(total / col.perPage)}</totalpage>\n<recordset>\n${list.map(record).join('\n')}\n</recordset>\n</datastore>`,
      );
  };
}

export function trsArticles(n: number): ColumnArticle[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `./2024${String(5 - Math.floor(i / 25)).padStart(2, '0')}/t202405${String(28 - (i % 28)).padStart(2, '0')}_${4512300 + n - i}.html`,
    title: `工作动态第${n - i}条`,
    date: `2024-05-${String(28 - (i % 28)).padStart(2, '0')}`,
  }));
}

/** One TRS list page: the classic `createPageHTML(countPage, currentPage, "index", "html")`. */
export function trsListPage(items: ColumnArticle[], count: number, current: number): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>工作动态</title></head><body>
<div class="crumb"><a href="../../">首页</a> &gt; <a href="../">新闻中心</a> &gt; 工作动态</div>
<ul class="u-list">
${items.map((a) => `<li><span>${a.date}</span><a href="${a.path}" target="_blank" title="${a.title}">${a.title}</a></li>`).join('\n')}
</ul>
<div class="page"><script language="JavaScript">
var currentPage = ${current};//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = ${count}//共多少页
createPageHTML(countPage, currentPage, "index", "html");
</script></div></body></html>`;
}
