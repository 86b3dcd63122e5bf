import iconv from 'iconv-lite';
import type { SeedDoc } from './seed-doc';

export { loadSeed, seedFromText, type SeedDoc } from './seed-doc';

export const TEMPLATE_KINDS = [
  'district-portal',
  'wechat-mirror',
  'news-portal',
  'wordpress-copy',
  'english-district',
] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export interface RenderedPage {
  html: string;
  bytes: Uint8Array;
  /** The charset the bytes are in (the page may declare another: district portals declare gb2312). */
  charset: string;
  /** What a server should send as Content-Type (district portals send no charset, as many do). */
  contentType: string;
}

export interface RenderOptions {
  /** Words for the WordPress tag list (spam blogs list their injected terms there). */
  tags?: string[];
  /** The site's name in headers and footers. */
  siteName?: string;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Lines of the document → body markup: consecutive lines starting with "- " become a list of links
 * (as the spam lists they were copied from), a line of up to 12 characters between two paragraphs is
 * rendered as a picture and its caption, the rest as paragraphs.
 */
function bodyHtml(doc: SeedDoc, p: (line: string) => string): string {
  const out: string[] = [];
  const lines = doc.paragraphs;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^- /.test(line)) {
      const items: string[] = [];
      while (i < lines.length && /^- /.test(lines[i]!)) {
        items.push(`<li><a href="/news/${items.length + 1000}.html">${esc(lines[i]!.slice(2))}</a></li>`);
        i++;
      }
      i--;
      out.push(`<ul class="list">${items.join('')}</ul>`);
      continue;
    }
    out.push(p(line));
  }
  return out.join('\n');
}

const UNRELATED_HEADLINES = [
  '手机回收产业需加强政策引导和监管 打通信息安全最后一公里',
  '五一假期全国演出票房收入约1.43亿元 同比下降79%',
  '业绩接连下滑门店一减再减 潘多拉缘何失守中国市场',
  '全聚德做预制菜寻找新流量入口 这次押对了吗',
  '境内债占据主导融资规模加速下滑 前4月房企融资仍未改观',
  '北汽瑞翔油补攻略已就位,多重福利惊喜连连',
  '良品铺子持续拓店背后的思考,休闲食品行业步入角逐关键阶段',
  '南京开展特种设备安全检查 保障人民群众假期休闲',
  '宁夏固原:筑牢节日市场安全防线',
  '青年强则国家强!快克新青年让年轻人行动起来',
];
const UNRELATED_HEADLINES_HANT = [
  '手機回收產業需加強政策引導和監管 打通信息安全最後一公里',
  '五一假期全國演出票房收入約1.43億元 同比下降79%',
  '業績接連下滑門店一減再減 潘多拉緣何失守中國市場',
  '全聚德做預製菜尋找新流量入口 這次押對了嗎',
  '境內債佔據主導融資規模加速下滑 前4月房企融資仍未改觀',
  '北汽瑞翔油補攻略已就位,多重福利驚喜連連',
  '良品鋪子持續拓店背後的思考,休閒食品行業步入角逐關鍵階段',
  '南京開展特種設備安全檢查 保障人民群眾假期休閒',
  '寧夏固原:築牢節日市場安全防線',
  '青年強則國家強!快克新青年讓年輕人行動起來',
];

/** Chrome strings each template adds: what must never reach `text` (tests and the benchmark use them). */
export const TEMPLATE_CHROME: Record<TemplateKind, string[]> = {
  'district-portal': [
    '当前位置',
    '政务公开',
    '浏览次数',
    '字号',
    '分享到',
    '打印本页',
    '关闭窗口',
    '相关链接',
    '浙江政务服务网',
    '主办单位',
    'ICP备',
    '公网安备',
    '网站标识码',
    '扫一扫在手机打开当前页',
    '网站访问统计',
  ],
  'wechat-mirror': [
    '查看原文',
    '阅读原文',
    '长按识别二维码',
    '点此查看未经处理的缓存',
    '您可能也对以下帖子感兴趣',
    '微信扫一扫',
  ],
  'news-portal': [
    ...UNRELATED_HEADLINES.slice(0, 6),
    ...UNRELATED_HEADLINES_HANT.slice(0, 6),
    '熱門排行',
    '热门排行',
    '关键词',
    '責任編輯',
  ],
  'wordpress-copy': [
    '已發佈',
    '分類:',
    '發佈留言',
    '電子郵件地址不會公開',
    '近期文章',
    '彙整',
    'Proudly powered by WordPress',
  ],
  'english-district': [
    'You are here',
    'All Rights Reserved',
    'Print this page',
    'Share on',
    'Contact Us',
    'Related Links',
  ],
};

function isHant(doc: SeedDoc): boolean {
  const s = doc.paragraphs.join('');
  return (
    (s.match(/[這個們說區發產與實經來過國會進對時為]/g)?.length ?? 0) >
    (s.match(/[这个们说区发产与实经来过国会进对时为]/g)?.length ?? 0)
  );
}

function districtPortal(doc: SeedDoc, o: RenderOptions): string {
  const site = o.siteName ?? '柯桥区人民政府';
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>${esc(doc.title)}_部门动态_${esc(site)}</title>
<meta name="SiteName" content="${esc(site)}">
<meta name="ArticleTitle" content="${esc(doc.title)}">
${doc.date ? `<meta name="PubDate" content="${doc.date} 09:30">` : ''}
${doc.source ? `<meta name="ContentSource" content="${esc(doc.source)}">` : ''}
<link href="/css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript">var _hmt = _hmt || []; document.write('统计代码');</script>
</head>
<body>
<form id="form1" action="/search" method="get">
<div class="top"><div class="top-l">欢迎访问${esc(site)}门户网站</div><div class="top-r"><a href="/">无障碍</a> | <a href="/">长者模式</a> | <a href="/">English</a></div></div>
<div class="head"><div class="logo"><a href="/"><img src="/images/logo.png" alt="${esc(site)}"/></a></div>
<div class="search"><input type="text" name="q" value="请输入关键字"/><input type="submit" value="搜索"/></div></div>
<div class="nav"><ul>
<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjkq/">走进柯桥</a></li>
</ul></div>
<div class="main">
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/bmdt/">部门动态</a></div>
<div class="article">
<h1 class="title">${esc(doc.title)}</h1>
<div class="info">发布时间：${doc.date ?? ''}&nbsp;&nbsp;来源：${esc(doc.source ?? site)}&nbsp;&nbsp;浏览次数：<span id="hits">1268</span>&nbsp;&nbsp;字号：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</div>
<div class="TRS_Editor" id="zoom">
${bodyHtml(doc, (l) => `<p style="text-indent:2em;">${esc(l)}</p>`)}
</div>
<div style="display:none" class="hidden-counter">网站访问统计隐藏文本</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="print"><a href="javascript:window.print()">[打印本页]</a> <a href="javascript:window.close()">[关闭窗口]</a></div>
<div class="qr"><img src="/qr.png"/><p>扫一扫在手机打开当前页</p></div>
</div>
<div class="related"><h3>相关链接</h3><ul>
<li><a href="https://www.zj.gov.cn/">浙江省人民政府</a></li><li><a href="https://www.zjzwfw.gov.cn/">浙江政务服务网</a></li><li><a href="https://www.sx.gov.cn/">绍兴市人民政府</a></li><li><a href="/zwgk/">区政府信息公开</a></li>
</ul></div>
</div>
<div class="footer">
<p><a href="/">网站地图</a> | <a href="/">联系我们</a> | <a href="/">使用帮助</a></p>
<p>主办单位：${esc(site)}办公室&nbsp;&nbsp;承办单位：区大数据发展管理局</p>
<p>浙ICP备05012345号-1&nbsp;&nbsp;<img src="/ga.png"/>浙公网安备 33062102000123号&nbsp;&nbsp;网站标识码：3306210001</p>
</div>
</form>
</body>
</html>`;
}

function wechatMirror(doc: SeedDoc): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.title)}</title>
<meta property="og:title" content="${esc(doc.title)}">
${doc.date ? `<meta property="article:published_time" content="${doc.date}T08:00:00+08:00">` : ''}
<style>.rich_media_content p{margin:0 0 1em}</style>
</head><body>
<div class="topbar"><a class="original" href="https://mp.weixin.qq.com/s/abc">查看原文</a> <span class="cat">其他</span></div>
<div id="js_article" class="rich_media">
<h2 class="rich_media_title" id="activity-name">${esc(doc.title)}</h2>
<div id="meta_content" class="rich_media_meta_list">
<span class="rich_media_meta rich_media_meta_text">${esc(doc.source ?? '')}</span>
<span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a id="js_name">${esc(doc.source ?? '')}</a></span>
<em id="publish_time" class="rich_media_meta rich_media_meta_text">${doc.date ?? ''}</em>
</div>
<div class="rich_media_content" id="js_content">
<section><img data-src="https://mmbiz.qpic.cn/cover.jpg"/></section>
${bodyHtml(doc, (l) => `<section><p><span style="font-size:15px;">${esc(l)}</span></p></section>`)}
<section class="qr"><img src="/qrcode.jpg"/><p>长按识别二维码关注我们</p></section>
</div>
<div class="rich_media_tool"><a href="https://mp.weixin.qq.com/s/abc" id="js_view_source">阅读原文</a> <span>微信扫一扫</span></div>
</div>
<div class="related"><h3>您可能也对以下帖子感兴趣</h3><ul>
<li><a href="/p/1.html">柯桥这个镇入选省级名单</a></li><li><a href="/p/2.html">周末去哪儿?这份攻略请收好</a></li><li><a href="/p/3.html">今年首场大型招聘会来了</a></li></ul></div>
<div class="footer"><a href="/cache/abc">文章有问题?点此查看未经处理的缓存</a></div>
</body></html>`;
}

function newsPortal(doc: SeedDoc, o: RenderOptions): string {
  const hant = isHant(doc);
  const heads = hant ? UNRELATED_HEADLINES_HANT : UNRELATED_HEADLINES;
  const site = o.siteName ?? (hant ? '財經新聞網' : '财经新闻网');
  const kw = hant ? '關鍵詞' : '关键词';
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(doc.title)}_${esc(site)}</title>
<meta name="keywords" content="${esc(doc.title)}">
<meta name="description" content="${esc((doc.paragraphs[0] ?? '').slice(0, 80))}">
</head><body>
<div class="header"><a href="/" class="logo">${esc(site)}</a>
<ul class="menu"><li><a href="/">${hant ? '首頁' : '首页'}</a></li><li><a href="/finance/">${hant ? '財經' : '财经'}</a></li><li><a href="/stock/">${hant ? '股票' : '股票'}</a></li><li><a href="/fund/">${hant ? '基金' : '基金'}</a></li><li><a href="/tech/">${hant ? '科技' : '科技'}</a></li></ul></div>
<div class="wrap">
<div class="main-col">
<h1>${esc(doc.title)}</h1>
<div class="article-info"><span class="time">${doc.date ?? '2022-05-06'} 10:20</span> <span class="source">${hant ? '來源' : '来源'}：${esc(doc.source ?? site)}</span></div>
<div class="article-content">
${bodyHtml(doc, (l) => `<p>${esc(l)}</p>`)}
<p class="editor">${hant ? '責任編輯' : '责任编辑'}：王小明</p>
</div>
<div class="keywords">${kw}: ${heads
    .slice(0, 5)
    .map((h) => esc(h.slice(0, 4)))
    .join(' ')} ${hant ? '銀票網最新消息 方正金鼎' : '银票网最新消息 方正金鼎'}</div>
<div class="bottom-list"><ul>${heads
    .slice(0, 8)
    .map((h, i) => `<li><a href="/a/${i}.html">${esc(h)}</a></li>`)
    .join('')}</ul></div>
</div>
<div class="side-col">
<div class="hot"><h3>${hant ? '熱門排行' : '热门排行'}</h3><ol>${heads
    .slice(0, 8)
    .map((h, i) => `<li><span>${i + 1}</span><a href="/h/${i}.html">${esc(h)}</a></li>`)
    .join('')}</ol></div>
</div>
</div>
<div class="foot">Copyright © 2022 ${esc(site)} All Rights Reserved</div>
</body></html>`;
}

function wordpressCopy(doc: SeedDoc, o: RenderOptions): string {
  const tags = o.tags ?? ['未分類'];
  const site = o.siteName ?? '共享空間資訊站';
  return `<!DOCTYPE html>
<html lang="zh-TW"><head><meta charset="UTF-8"><title>${esc(doc.title)} &#8211; ${esc(site)}</title>
<meta name="generator" content="WordPress 6.4.2">
<link rel="canonical" href="https://blog.example.tw/2024/06/${encodeURIComponent(doc.id)}/">
</head>
<body class="post-template-default single single-post">
<div id="page" class="site">
<header id="masthead" class="site-header"><p class="site-title"><a href="/">${esc(site)}</a></p>
<nav id="site-navigation" class="main-navigation"><ul><li><a href="/">首頁</a></li><li><a href="/about/">關於我們</a></li></ul></nav></header>
<main id="main" class="site-main">
<article id="post-123" class="post-123 post type-post status-publish">
<header class="entry-header"><h1 class="entry-title">${esc(doc.title)}</h1></header>
<div class="entry-content">
${bodyHtml(doc, (l) => `<p>${esc(l)}</p>`)}
</div>
<footer class="entry-footer">
<div class="posted-on">已發佈 <time class="entry-date published" datetime="${doc.date ?? '2024-06-12'}T10:00:00+08:00">${doc.date ?? '2024-06-12'}</time></div>
<div class="cat-links">分類: <a href="/category/uncategorized/" rel="category tag">未分類</a></div>
<div class="byline">作者: <a href="/author/admin/">admin</a></div>
<div class="tags-links">標籤: ${tags.map((t) => `<a href="/tag/${encodeURIComponent(t)}/" rel="tag">${esc(t)}</a>`).join(' ')}</div>
</footer>
</article>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">發佈留言</h3>
<form action="/wp-comments-post.php" method="post" id="commentform">
<p class="comment-notes">發佈留言必須填寫的電子郵件地址不會公開。 必填欄位標示為 *</p>
<p class="comment-form-comment"><label for="comment">留言</label><textarea id="comment" name="comment"></textarea></p>
<p class="comment-form-author"><label for="author">顯示名稱 *</label><input id="author" name="author" type="text"></p>
<p class="comment-form-cookies-consent"><input type="checkbox"><label>在這個瀏覽器中儲存顯示名稱、電子郵件地址及個人網站網址，以供下次發佈留言時使用。</label></p>
<p class="form-submit"><input type="submit" value="發佈留言"></p>
</form></div></div>
</main>
<aside id="secondary" class="widget-area">
<section class="widget widget_recent_entries"><h2 class="widget-title">近期文章</h2><ul><li><a href="/a/">台北共享空間推薦</a></li><li><a href="/b/">九宮格會議室租借</a></li></ul></section>
<section class="widget widget_archive"><h2 class="widget-title">彙整</h2><ul><li><a href="/2024/06/">2024 年 6 月</a></li></ul></section>
</aside>
<footer id="colophon" class="site-footer"><div class="site-info"><a href="https://wordpress.org/">Proudly powered by WordPress</a></div></footer>
</div></body></html>`;
}

function englishDistrict(doc: SeedDoc, o: RenderOptions): string {
  const site = o.siteName ?? 'Keqiao District, Shaoxing';
  const [y, m, d] = (doc.date ?? '2023-03-28').split('-');
  const months = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  const english = doc.paragraphs.filter((l) => (l.match(/[A-Za-z]/g)?.length ?? 0) > l.length / 3);
  const lines = english.length >= 2 ? english : doc.paragraphs;
  const title = /[A-Za-z]/.test(doc.title) ? doc.title.split('|')[0]!.trim() : doc.title;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)} - ${esc(site)}</title>
<meta name="description" content="${esc(title)}">
</head><body>
<div id="header"><div class="logo">${esc(site)}</div>
<ul id="nav"><li><a href="/">Home</a></li><li><a href="/about/">About Keqiao</a></li><li><a href="/news/">News</a></li><li><a href="/invest/">Invest</a></li><li><a href="/contact/">Contact Us</a></li></ul></div>
<div class="crumb">You are here: <a href="/">Home</a> &gt; <a href="/news/">News</a></div>
<div class="news-detail">
<h1>${esc(title)}</h1>
<div class="news-info">Source: ${esc(doc.source ?? site)} | Updated: ${months[Number(m) - 1]} ${Number(d)}, ${y}</div>
<div class="news-con">
${lines.map((l) => `<p>${esc(l)}</p>`).join('\n')}
</div>
<div class="tools"><a href="javascript:print()">Print this page</a> | <a href="javascript:close()">Close</a></div>
<div class="share">Share on: <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">LinkedIn</a></div>
</div>
<div class="links"><h3>Related Links</h3><ul><li><a href="http://www.ezhejiang.gov.cn/">Zhejiang, China</a></li><li><a href="http://en.sx.gov.cn/">Shaoxing</a></li></ul></div>
<div id="footer">Copyright © Keqiao District People's Government. All Rights Reserved. 浙ICP备05012345号</div>
</body></html>`;
}

/** Renders a seed into one realistic page of the given kind. District portals come out as GB18030 bytes declared gb2312. */
export function renderSeedAsHtml(doc: SeedDoc, kind: TemplateKind, opts: RenderOptions = {}): RenderedPage {
  switch (kind) {
    case 'district-portal': {
      const html = districtPortal(doc, opts);
      return {
        html,
        bytes: new Uint8Array(iconv.encode(html, 'gb18030')),
        charset: 'gb18030',
        contentType: 'text/html',
      };
    }
    case 'wechat-mirror':
      return utf8(wechatMirror(doc));
    case 'news-portal':
      return utf8(newsPortal(doc, opts));
    case 'wordpress-copy':
      return utf8(wordpressCopy(doc, opts));
    case 'english-district':
      return utf8(englishDistrict(doc, opts));
  }
}

function utf8(html: string): RenderedPage {
  return {
    html,
    bytes: new TextEncoder().encode(html),
    charset: 'utf-8',
    contentType: 'text/html; charset=utf-8',
  };
}
