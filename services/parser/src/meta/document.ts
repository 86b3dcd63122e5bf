import type { HtmlMeta } from '../extract/meta';
import { DATE_META_KEYS, findDate } from './dates';
import { stripSiteSuffix } from './title';

/**
 * `来源：X` in an info bar, X ending where the next field starts: two spaces, a separator, a field
 * name after a space (date, author, editor …) or a counter or tool glued to it (阅读次数, 字号).
 */
const SOURCE_IN_LINE =
  /(?:来源|來源|稿源|信息来源|信息來源|文章来源|文章來源|发布机构|發布機構|source)\s*[:：]\s*([^|丨/\n]{2,40}?)(?=\s{2,}|\s*[|丨/]|\s+(?:发布|發布|时间|時間|日期|作者|编辑|編輯|责编|責編|浏览|瀏覽|点击|點擊|updated|date|published|views|by|editor)|\s*(?:阅读|閱讀|浏览|瀏覽|点击|點擊|访问|訪問|字号|字號|字体|字體|分享|打印)|$)/i;
const SOURCE_META_KEYS = ['source', 'contentsource', 'article:source', 'og:article:source', 'news_source'];

/** WeChat-style info line, `<author> <account> <date>`: the account before the date publishes. */
function accountBeforeDate(line: string): string | null {
  const m = /^(.*?)\s*(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)/.exec(line);
  if (!m || !m[1]) return null;
  const tokens = m[1].split(/\s+/).filter(Boolean);
  const last = tokens[tokens.length - 1];
  return last && last.length <= 20 && !/[:：]/.test(last) ? last : null;
}

/**
 * Who published the page: a source meta tag, a `来源:` in an info line, WeChat's account (its
 * `#js_name` element, or the account before the date of its info line), meta author, the site.
 */
export function sourceFrom(meta: HtmlMeta | null, infoLines: string[], site: string | null): string | null {
  const m = meta?.metaTags ?? {};
  for (const k of SOURCE_META_KEYS) if (m[k]) return m[k]!;
  const lines = [...infoLines, ...(meta?.infoTexts ?? [])];
  for (const line of lines) {
    const s = SOURCE_IN_LINE.exec(line);
    if (s) return s[1]!.trim().replace(/[，,。;；]+$/, '');
  }
  // WeChat names its account in #js_name, and in meta author on the pages that have #activity-name.
  const account =
    meta?.idTexts['js_name']?.trim() || (meta?.idTexts['activity-name'] ? m['author'] : undefined);
  if (account) return account;
  for (const line of lines) {
    const a = accountBeforeDate(line);
    if (a) return a;
  }
  return meta?.siteName ?? site ?? null;
}

/**
 * When the page was published: date meta tags, info lines, WeChat's `#publish_time` or the time its
 * script holds, then (text pages) the first lines.
 */
export function publishedFrom(
  meta: HtmlMeta | null,
  infoLines: string[],
  headTexts: string[],
): string | null {
  const m = meta?.metaTags ?? {};
  for (const k of DATE_META_KEYS) {
    const d = m[k] ? findDate(m[k]!) : null;
    if (d) return d;
  }
  const idTime = meta?.idTexts['publish_time'];
  for (const t of [...infoLines, ...(meta?.infoTexts ?? []), ...(idTime ? [idTime] : [])]) {
    const d = findDate(t);
    if (d) return d;
  }
  const fromScript = meta?.scriptDate() ?? null;
  if (fromScript) return fromScript;
  for (const t of headTexts) {
    const d = findDate(t);
    if (d) return d;
  }
  return null;
}

const squash = (s: string) => s.replace(/[\s\p{P}]/gu, '');

/**
 * The page's title: an h1 the <title> or og:title repeats (a lone h1 may be the site's logo), else
 * og:title (or twitter:title, ArticleTitle, WeChat's activity-name), else <title>, each without the
 * site's name; and the site's name when a title carried it.
 */
export function chooseTitle(meta: HtmlMeta): { title: string | null; site: string | null } {
  const m = meta.metaTags;
  const og =
    m['og:title'] ?? m['twitter:title'] ?? m['articletitle'] ?? meta.idTexts['activity-name'] ?? null;
  const tag = meta.titleTag;
  const fitting = (h: string) => h.length >= 4 && h.length <= 150;
  const h1 = meta.h1.find(fitting) ?? null;
  const fromTag = tag ? stripSiteSuffix(tag, meta.siteName) : { title: null, site: null };
  const fromOg = og ? stripSiteSuffix(og, meta.siteName) : { title: null, site: null };
  const site = fromTag.site ?? fromOg.site;
  const repeated = (h: string) =>
    (tag !== null && squash(tag).includes(squash(h))) || (og !== null && squash(og).includes(squash(h)));
  if (h1 && (repeated(h1) || (!tag && !og))) return { title: h1, site };
  // No h1 the head repeats: an h2 it repeats is the title (a mirror's `标题 - 文章阅读 - 某站`).
  const h2 = meta.h2.find((h) => fitting(h) && repeated(h));
  if (h2) return { title: h2, site };
  if (fromOg.title) return { title: fromOg.title, site };
  if (fromTag.title) return { title: fromTag.title, site };
  return { title: h1, site };
}
