import type { Article } from './articles';
import { TONGXIANG_ROWS } from './articles';

/**
 * Page templates for the corpus, each written after a kind of site the pipeline reads: Hanweb and
 * TRS government portals, a modern district portal, WeChat as it serves an article and a WeChat
 * mirror, a hacked government page with hidden link farms, a news portal copy with spam lists, a
 * WordPress spam blog, and four English news sites. `chrome` lists text each template adds that
 * must never reach the article's text; `source` what the page says published it.
 */
export interface CorpusTemplate {
  render(a: Article): string;
  chrome: string[];
  /** The publisher the parser should report, when the page states one. */
  source?: (a: Article) => string;
}

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The article's body: paragraphs, pictures (`IMAGE:caption`) and the statistics table (`TABLE`). */
function body(
  a: Article,
  p: (text: string) => string,
  caption = (c: string) => `<p class="pic-text">${esc(c)}</p>`,
): string {
  return a.paragraphs
    .map((para) => {
      if (para === 'TABLE')
        return `<table class="data" border="1">${TONGXIANG_ROWS.map((r, i) => `<tr>${r.map((c) => (i === 0 ? `<th>${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('')}</table>`;
      if (para.startsWith('IMAGE:'))
        return `<p style="text-align:center"><img src="/images/${para.length}.jpg" border="0"></p>${caption(para.slice(6))}`;
      return p(para);
    })
    .join('\n');
}

const hm = (d: string) => `${d} 09:30`;

export const TEMPLATES: Record<string, CorpusTemplate> = {
  /** Hanweb (大汉) JCMS: table layout, ArticleTitle/PubDate/ContentSource metas, the body in div#zoom. */
  hanweb: {
    render: (
      a,
    ) => `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>${esc(a.title)}</title>
<meta name="SiteName" content="桐乡市人民政府">
<meta name="SiteDomain" content="www.tx.gov.cn">
<meta name="ColumnName" content="统计信息">
<meta name="ArticleTitle" content="${esc(a.title)}">
<meta name="PubDate" content="${hm(a.date)}">
<meta name="ContentSource" content="${esc(a.source)}">
<meta name="Keywords" content="统计,经济">
<script language="javascript" src="/script/hanweb.js"></script>
</head><body>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td>
<table width="100%"><tr><td class="top-link"><a href="/">首页</a> | <a href="/col/col1/">政务公开</a> | <a href="/col/col2/">政务服务</a> | <a href="/col/col3/">互动交流</a></td></tr></table>
<table width="100%"><tr><td class="bt_link">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1229/">统计信息</a></td></tr></table>
<table width="100%" class="article"><tr><td align="center" class="title">${esc(a.title)}</td></tr>
<tr><td align="center" class="bt_content">发布日期：${a.date} 信息来源：${esc(a.source)} 浏览次数：<span id="hits">352</span> 【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</td></tr>
<tr><td><div id="zoom">
${body(a, (t) => `<p style="text-indent:2em">${esc(t)}</p>`)}
</div></td></tr>
<tr><td align="right"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></td></tr></table>
<table width="100%" class="footer"><tr><td align="center">主办单位：桐乡市人民政府办公室 承办单位：桐乡市大数据发展管理局<br>浙ICP备05031725号 浙公网安备 33048302000102号 网站标识码：3304830001</td></tr></table>
</td></tr></table>
</body></html>`,
    chrome: [
      '政务服务',
      '当前位置',
      '浏览次数',
      '字体',
      '打印本页',
      '关闭窗口',
      '主办单位',
      '浙ICP备',
      '网站标识码',
    ],
    source: (a) => a.source,
  },
  /** TRS WCM: div.TRS_Editor, an info bar, a related-reading list, a footer. */
  trs: {
    render: (a) => `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>${esc(a.title)}_市政府门户网站</title>
<meta name="keywords" content="${esc(a.title)}">
</head><body>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="市政府门户网站"></div>
<div class="menu"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/bsfw/">办事服务</a><a href="/hdjl/">互动交流</a><a href="/sjfb/">数据发布</a></div></div>
<div class="crumbs">您现在的位置：<a href="/">首页</a> &gt;&gt; <a href="/zwgk/">政务公开</a> &gt;&gt; 部门动态</div>
<div class="main"><div class="xl_title">${esc(a.title)}</div>
<div class="xl_info"><span>发布时间：${a.date}</span><span>来源：${esc(a.source)}</span><span>阅读次数：<script>document.write(1024)</script></span></div>
<div class="xl_content"><div class="TRS_Editor">
${body(a, (t) => `<p align="justify">${esc(t)}</p>`)}
</div></div>
<div class="xl_share">分享到：<a href="#">微信</a><a href="#">微博</a></div>
<div class="xgyd"><h3>相关阅读</h3><ul><li><a href="/a/1.html">市政府召开常务会议研究部署当前经济工作</a></li><li><a href="/a/2.html">全市安全生产工作会议召开</a></li><li><a href="/a/3.html">关于公布第二批市级非遗代表性项目名录的通知</a></li></ul></div>
</div>
<div class="footer">版权所有：市人民政府办公室 地址：市府路1号 电话：0578-2111111<br>ICP备案号：浙ICP备11010258号</div>
</body></html>`,
    chrome: [
      '办事服务',
      '您现在的位置',
      '阅读次数',
      '分享到',
      '相关阅读',
      '市政府召开常务会议',
      '版权所有',
      'ICP备案号',
    ],
    source: (a) => a.source,
  },
  /** A modern district portal in UTF-8: header nav, a sidebar, picture captions, a footer element. */
  'portal-utf8': {
    render: (a) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${esc(a.title)} - 区人民政府门户网站</title>
<meta name="ArticleTitle" content="${esc(a.title)}"><meta name="PubDate" content="${hm(a.date)}">
</head><body>
<header class="site-header"><div class="logo">区人民政府门户网站</div><nav class="main-nav"><a href="/">首页</a><a href="/zwgk/">信息公开</a><a href="/fw/">政务服务</a><a href="/hd/">政民互动</a></nav>
<form class="search"><input name="q" placeholder="请输入关键词"><button>搜索</button></form></header>
<main class="container">
<div class="breadcrumb"><a href="/">首页</a> / <a href="/xw/">新闻动态</a> / 部门动态</div>
<article class="article-detail">
<h1 class="article-title">${esc(a.title)}</h1>
<div class="article-meta">时间：${a.date} 来源：${esc(a.source)} <span class="font-size">字号：<a>大</a><a>中</a><a>小</a></span></div>
<div class="article-content">
${body(a, (t) => `<p>${esc(t)}</p>`)}
</div>
<div class="article-tools"><a href="#">打印</a><a href="#">收藏</a><a href="#">关闭</a></div>
</article>
<aside class="sidebar"><h3>热点新闻</h3><ul><li><a href="/x/1">全区重点项目集中开工</a></li><li><a href="/x/2">区领导调研文明城市创建工作</a></li><li><a href="/x/3">2023年区政府民生实事项目公布</a></li></ul></aside>
</main>
<footer class="site-footer"><p>主办：区人民政府办公室 技术支持：区大数据中心</p><p>浙ICP备13021234号-1 网站标识码3304020001</p></footer>
</body></html>`,
    chrome: [
      '信息公开',
      '政民互动',
      '请输入关键词',
      '新闻动态',
      '字号',
      '打印',
      '热点新闻',
      '全区重点项目集中开工',
      '技术支持',
      '浙ICP备',
    ],
    source: (a) => a.source,
  },
  /**
   * WeChat as it serves an article: the body hidden (visibility/opacity) until its script reveals
   * it, the title in h1#activity-name, the account in #js_name, the date only in script (`var ct`).
   */
  'wechat-served': {
    render: (a) => `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0,user-scalable=0,viewport-fit=cover">
<meta property="og:title" content="${esc(a.title)}"><meta property="og:type" content="article">
<meta property="og:url" content="http://mp.weixin.qq.com/s?__biz=MzA5NjQ0MDI1Mw==&amp;mid=2651&amp;idx=1">
<meta name="author" content="${esc(a.source)}">
<title></title>
<script>var biz = "MzA5NjQ0MDI1Mw==" || ""; var ct = "${Math.floor(Date.parse(`${a.date}T10:30:00+08:00`) / 1000)}"; var msg_title = '${a.title}'.html(false);</script>
</head><body id="activity-detail" class="zh_CN wx_wap_page">
<div id="js_article" class="rich_media"><div class="rich_media_inner"><div id="page-content" class="rich_media_area_primary">
<h1 class="rich_media_title" id="activity-name">${esc(a.title)}</h1>
<div id="meta_content" class="rich_media_meta_list"><span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a href="javascript:void(0);" class="wx_tap_link js_wx_tap_highlight weui-wa-hotarea" id="js_name">${esc(a.source)}</a></span>
<em id="publish_time" class="rich_media_meta rich_media_meta_text"></em></div>
<div class="rich_media_content js_underline_content autoTypeSetting24psection" id="js_content" style="visibility: hidden; opacity: 0;">
<section style="margin-bottom: 0px;"><img class="rich_pages wxw-img" data-src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640" /></section>
${body(a, (t) => `<p style="text-indent: 2em;"><span style="font-size: 16px;">${esc(t)}</span></p>`)}
<p><span style="font-size: 14px;color: rgb(136, 136, 136);">来源：${esc(a.source)}</span></p>
</div>
<div class="rich_media_tool" id="js_toobar3"><a id="js_view_source" href="##">阅读原文</a></div>
</div></div></div>
<div id="js_pc_qr_code" class="qr_code_pc_outer" style="display:none;"><div class="qr_code_pc"><p>微信扫一扫<br>关注该公众号</p></div></div>
<div class="weui-dialog" style="display: none;"><div class="weui-dialog__bd">继续滑动看下一个</div><div class="weui-dialog__ft">轻触阅读原文</div></div>
</body></html>`,
    chrome: ['阅读原文', '微信扫一扫', '关注该公众号', '继续滑动看下一个', '来源：'],
    source: (a) => a.source,
  },
  /** A WeChat mirror site: the article copied into a site of its own, with the mirror's chrome. */
  'wechat-mirror': {
    render: (a) => `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="UTF-8">
<title>${esc(a.title)} - 微信公众号文章阅读 - 聚合阅读</title>
<meta name="description" content="${esc(a.paragraphs[0]!.slice(0, 60))}">
</head><body>
<div class="top-nav"><a href="/">聚合阅读</a><a href="/hot">热门文章</a><a href="/account">公众号大全</a></div>
<div class="content-wrap"><div class="post">
<h2 class="post-title">${esc(a.title)}</h2>
<div class="post-meta"><span class="account">${esc(a.source)}</span> <span class="date">${a.date}</span> <a href="https://mp.weixin.qq.com/s/xyz">查看原文</a></div>
<div class="post-content">
${body(a, (t) => `<p>${esc(t)}</p>`)}
</div>
<div class="post-footer">文章有问题?点此查看未经处理的缓存</div>
</div>
<div class="related"><h3>您可能也对以下帖子感兴趣</h3><ul><li><a href="/p/11">这些地方明天起限行</a></li><li><a href="/p/12">重磅!最新人才政策发布</a></li><li><a href="/p/13">周末好去处推荐</a></li></ul></div></div>
<div class="footer">聚合阅读 © 2024 本站内容来自微信公众平台</div>
</body></html>`,
    chrome: [
      '聚合阅读',
      '热门文章',
      '公众号大全',
      '查看原文',
      '未经处理的缓存',
      '您可能也对以下帖子感兴趣',
      '这些地方明天起限行',
    ],
    source: (a) => a.source,
  },
  /** A hacked government page: gambling link farms (暗链) hidden by display:none and off-screen. */
  'hacked-gov': {
    render: (a) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(a.title)}_县人民政府</title>
<meta name="PubDate" content="${hm(a.date)}"><meta name="ContentSource" content="${esc(a.source)}">
</head><body>
<div style="position:absolute;left:-9999px;top:-9999px;"><a href="http://x1.example/">太阳城娱乐官网</a><a href="http://x2.example/">百家乐在线开户</a><a href="http://x3.example/">体育投注平台</a></div>
<div class="head"><a href="/">首页</a> <a href="/xxgk/">信息公开</a> <a href="/zmhd/">政民互动</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; 工作动态</div>
<div class="detail"><h1>${esc(a.title)}</h1>
<div class="info">发布时间：${a.date} 来源：${esc(a.source)}</div>
<div class="detail-con">
${body(a, (t) => `<p>${esc(t)}</p>`)}
<div style="display:none"><a href="http://x4.example/">真人视讯娱乐城</a> <a href="http://x5.example/">网上赌场注册送彩金</a></div>
<p style="text-indent:-9999px;overflow:hidden;height:1px"><a href="http://x6.example/">时时彩计划网</a></p>
</div></div>
<div class="foot">版权所有：县人民政府 浙ICP备05017888号</div>
</body></html>`,
    chrome: [
      '太阳城娱乐官网',
      '百家乐在线开户',
      '体育投注平台',
      '真人视讯娱乐城',
      '网上赌场注册送彩金',
      '时时彩计划网',
      '信息公开',
      '当前位置',
      '版权所有',
    ],
    source: (a) => a.source,
  },
  /** A news portal's copy with a keyword line and lists of unrelated headlines (spam lists). */
  'news-spam': {
    render: (
      a,
    ) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(a.title)}_财经头条网</title></head><body>
<div class="header"><a href="/">财经头条网</a><ul class="nav"><li><a href="/">首页</a></li><li><a href="/gp/">股票</a></li><li><a href="/jj/">基金</a></li><li><a href="/fc/">房产</a></li></ul></div>
<div class="main"><h1>${esc(a.title)}</h1><div class="art-info">${a.date} 10:05 来源：${esc(a.source)}</div>
<div class="art-body">
${body(a, (t) => `<p>${esc(t)}</p>`)}
</div>
<div class="art-kw">关键词：<a>新能源车</a> <a>房贷利率</a> <a>黄金价格</a> <a>基金定投</a></div>
<ul class="list-more"><li><a href="/n/1">新能源车企三季度销量排行出炉 头部效应明显</a></li><li><a href="/n/2">多地下调首套房贷利率下限 购房成本进一步降低</a></li><li><a href="/n/3">国际金价再创新高 黄金饰品价格突破每克600元</a></li><li><a href="/n/4">基金定投还能坚持吗 专家这样建议</a></li><li><a href="/n/5">某手机品牌新品发布会定档 售价或有惊喜</a></li></ul>
</div>
<div class="side"><h3>24小时热榜</h3><ol><li><a href="/h/1">新能源车企三季度销量排行出炉 头部效应明显</a></li><li><a href="/h/2">多地下调首套房贷利率下限 购房成本进一步降低</a></li><li><a href="/h/3">国际金价再创新高 黄金饰品价格突破每克600元</a></li></ol></div>
<div class="foot">财经头条网 版权所有 未经授权禁止转载</div></body></html>`,
    chrome: [
      '财经头条网',
      '关键词',
      '新能源车企三季度销量',
      '多地下调首套房贷利率',
      '国际金价再创新高',
      '基金定投还能坚持吗',
      '24小时热榜',
      '未经授权',
    ],
  },
  /** A WordPress spam blog (traditional Chinese), its injected terms listed as tags. */
  'wordpress-spam': {
    render: (
      a,
    ) => `<!DOCTYPE html><html lang="zh-TW"><head><meta charset="UTF-8"><title>${esc(a.title)} &#8211; 台中空間分享站</title>
<meta name="generator" content="WordPress 6.3.1"></head>
<body class="post-template-default single single-post">
<div id="page" class="site"><header id="masthead" class="site-header"><p class="site-title"><a href="/">台中空間分享站</a></p></header>
<main id="main" class="site-main"><article class="post type-post">
<header class="entry-header"><h1 class="entry-title">${esc(a.title)}</h1></header>
<div class="entry-content">
${body(a, (t) => `<p>${esc(t)}</p>`)}
</div>
<footer class="entry-footer"><span class="posted-on">已發佈 <time class="entry-date published" datetime="${a.date}T08:00:00+08:00">${a.date}</time></span> <span class="cat-links">分類: <a href="/c/1" rel="category tag">未分類</a></span></footer>
</article>
<div id="comments" class="comments-area"><h3 id="reply-title">發佈留言</h3><p class="comment-notes">發佈留言必須填寫的電子郵件地址不會公開。 必填欄位標示為 *</p></div>
</main>
<aside id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">近期文章</h2><ul><li><a href="/a">台中會議室推薦</a></li><li><a href="/b">瑜珈教室出租資訊</a></li></ul></section></aside>
<footer class="site-footer">Proudly powered by WordPress</footer></div></body></html>`,
    chrome: [
      '台中空間分享站',
      '已發佈',
      '分類:',
      '發佈留言',
      '電子郵件地址不會公開',
      '近期文章',
      'Proudly powered by WordPress',
    ],
  },
  /** An English national daily: byline with place and site, share bar, photo caption, related stories. */
  'en-daily': {
    render: (a) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>${esc(a.title)} - ${esc(a.source)}</title>
<meta property="og:title" content="${esc(a.title)}"><meta name="publishdate" content="${a.date} 09:12:00">
<meta name="author" content="ZHANG WEI"><meta property="og:site_name" content="${esc(a.source)}">
</head><body>
<div class="topNav"><a href="/">Home</a> <a href="/china">China</a> <a href="/world">World</a> <a href="/business">Business</a> <a href="/opinion">Opinion</a> <a href="/subscribe">Subscribe</a></div>
<div class="main_art"><div class="crumbs">Home / China / Regional</div>
<h1>${esc(a.title)}</h1>
<div class="info"><span class="info_l">By ZHANG WEI in Hangzhou | ${esc(a.source)} | Updated: ${a.date} 09:12</span></div>
<div class="share-bar"><a href="#">Share</a> <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">LinkedIn</a></div>
<div id="Content">
<figure><img src="/img/1.jpg"><figcaption>A view of the West Lake scenic area in Hangzhou, Zhejiang province. [Photo/Xinhua]</figcaption></figure>
${body(a, (t) => `<p>${esc(t)}</p>`)}
</div>
<div class="related-stories"><h3>Related Stories</h3><ul><li><a href="/r/1">Hangzhou opens new metro lines ahead of schedule</a></li><li><a href="/r/2">Ningbo port throughput hits record high</a></li><li><a href="/r/3">Wenzhou entrepreneurs look abroad for growth</a></li></ul></div>
</div>
<div class="mostViewed"><h3>Most Viewed in 24 Hours</h3><ol><li><a href="/m/1">Tech firms race to hire AI engineers</a></li><li><a href="/m/2">Winter travel season set to break records</a></li></ol></div>
<div id="footer">Copyright 1995 - 2024. All rights reserved. The content (including but not limited to text, photo, multimedia information, etc) published in this site belongs to ${esc(a.source)}.</div>
</body></html>`,
    chrome: [
      'Subscribe',
      'By ZHANG WEI',
      'Facebook',
      'West Lake scenic area',
      '[Photo/Xinhua]',
      'Related Stories',
      'Hangzhou opens new metro lines',
      'Most Viewed',
      'Tech firms race',
      'All rights reserved',
    ],
    source: (a) => a.source,
  },
  /** A provincial English site: source and editor line, captions under pictures, related news. */
  'en-zjol': {
    render: (a) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(a.title)}</title>
<meta name="description" content="${esc(a.paragraphs[0]!.slice(0, 100))}"></head><body>
<div id="header"><div class="logo">Zhejiang Online</div><ul id="menu"><li><a href="/">HOME</a></li><li><a href="/news">NEWS</a></li><li><a href="/biz">BUSINESS</a></li><li><a href="/culture">CULTURE</a></li><li><a href="/travel">TRAVEL</a></li></ul></div>
<div class="wrap"><div class="article">
<div class="art-title">${esc(a.title)}</div>
<div class="art-info">Source: ${esc(a.source)} &nbsp; Editor: Li Na &nbsp; ${a.date} 10:20</div>
<div class="art-con">
<p style="text-align:center"><img src="/pic/1.jpg"></p><p class="picture-desc">Merchants show fabric samples to buyers at China Textile City. Photo by Wang Yu</p>
${body(a, (t) => `<p>${esc(t)}</p>`)}
</div>
<div class="art-share">Share to: <a>WeChat</a> <a>Weibo</a> <a>Facebook</a></div>
<div class="art-related"><div class="tit">Related News</div><ul><li><a href="/n/7">Shaoxing hosts international textile expo</a></li><li><a href="/n/8">Yiwu market sees surge in orders from Middle East</a></li></ul></div>
</div></div>
<div id="footer">Copyright © Zhejiang Online. All Rights Reserved. 浙ICP备05001203号</div>
</body></html>`,
    chrome: [
      'BUSINESS',
      'Editor: Li Na',
      'Merchants show fabric samples',
      'Photo by Wang Yu',
      'Share to',
      'Related News',
      'Shaoxing hosts international textile expo',
      'All Rights Reserved',
    ],
    source: (a) => a.source,
  },
  /** An English WordPress news theme: byline, share buttons, tags, related posts, comment form. */
  'en-wp-news': {
    render: (
      a,
    ) => `<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8"><title>${esc(a.title)} | Asia Business Wire</title>
<meta property="article:published_time" content="${a.date}T06:00:00+00:00"><meta name="generator" content="WordPress 6.4"></head>
<body class="single-post"><header class="site-header"><div class="site-branding"><a href="/">Asia Business Wire</a></div>
<nav class="primary-menu"><a href="/markets">Markets</a> <a href="/economy">Economy</a> <a href="/tech">Tech</a> <a href="/about">About Us</a></nav></header>
<div class="content-area"><article class="post">
<h1 class="entry-title">${esc(a.title)}</h1>
<div class="entry-meta"><span class="byline">By Staff Reporter</span> <span class="posted-on">${a.date}</span> <span class="comments-link">No Comments</span></div>
<div class="entry-content">
${body(a, (t) => `<p>${esc(t)}</p>`)}
<div class="sharedaddy"><h3 class="sd-title">Share this:</h3><ul><li><a>Share on Facebook</a></li><li><a>Tweet</a></li><li><a>Email</a></li></ul></div>
</div>
<footer class="entry-footer"><span class="tags-links">Tags: <a rel="tag">China</a>, <a rel="tag">Zhejiang</a>, <a rel="tag">GDP</a></span></footer>
</article>
<div class="jp-relatedposts"><h3>Related</h3><p><a href="/p/1">Jiangsu posts steady growth despite export slowdown</a></p><p><a href="/p/2">Guangdong unveils plan to boost consumption</a></p></div>
<div id="respond"><h3>Leave a Reply</h3><p>Your email address will not be published. Required fields are marked *</p><form><textarea></textarea><input type="submit" value="Post Comment"></form></div>
</div>
<aside class="widget-area"><h2>Recent Posts</h2><ul><li><a>Oil prices edge higher on supply worries</a></li></ul></aside>
<footer class="site-footer">Proudly powered by WordPress | Theme: Newsup</footer></body></html>`,
    chrome: [
      'Asia Business Wire',
      'Staff Reporter',
      'No Comments',
      'Share this',
      'Tweet',
      'Tags:',
      'Jiangsu posts steady growth',
      'Leave a Reply',
      'Required fields',
      'Recent Posts',
      'Oil prices edge higher',
      'Proudly powered',
    ],
  },
  /** A city English daily: source line, newsletter box inside the article, caption, "read more". */
  'en-shanghai': {
    render: (
      a,
    ) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(a.title)} | ${esc(a.source)}</title>
<meta property="og:title" content="${esc(a.title)}"><meta property="og:site_name" content="${esc(a.source)}"></head><body>
<div class="nav-wrap"><a href="/">Home</a><a href="/metro">Metro</a><a href="/business">Business</a><a href="/feature">Feature</a><a href="/sign-in">Sign in</a></div>
<div class="detail-main"><div class="detail-title"><h1>${esc(a.title)}</h1></div>
<div class="detail-info">Source: ${esc(a.source)} &nbsp;|&nbsp; ${a.date} &nbsp;|&nbsp; Editor: Sun Chao</div>
<div class="detail-body">
<div class="image-box"><img src="/i/1.jpg"><div class="image-caption">Visitors ride bicycles along a bamboo forest trail. – Ti Gong</div></div>
${body(
  a,
  (t) => `<p>${esc(t)}</p>`,
  (c) => `<div class="image-caption">${esc(c)}</div>`,
)}
<div class="newsletter-box"><p>Sign up for our daily newsletter and never miss a story.</p><a href="/nl">Subscribe now</a></div>
</div>
<div class="read-more"><h4>You may also like</h4><a href="/r/1">Best spots to see autumn leaves near Shanghai</a> <a href="/r/2">High-speed rail adds weekend trains to Huangshan</a></div>
</div>
<div class="footer">Copyright © ${esc(a.source)}. All rights reserved. 沪ICP证：沪B2-20090225</div></body></html>`,
    chrome: [
      'Sign in',
      'Editor: Sun Chao',
      'Visitors ride bicycles',
      'Ti Gong',
      'newsletter',
      'Subscribe now',
      'You may also like',
      'Best spots to see autumn leaves',
      'All rights reserved',
    ],
    source: (a) => a.source,
  },
};
