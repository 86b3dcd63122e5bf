import { countChars } from '../text/chars';

/** Words that mark a title segment as the site's name rather than the article's. */
const SITE_WORDS =
  /(网|網|报|報|新闻|新聞|政府|门户|門戶|频道|頻道|在线|在線|发布|發布|发布厅|官网|官網|日报|日報|晚报|晚報|电视台|電視台|传媒|傳媒|portal|news|daily|gov|\.cn|\.com|\.org|times|post|online|blog|wordpress)/i;
const SEPARATORS = /\s*(?:_{1,2}|\s-\s|\s–\s|\s—\s|\s\|\s|｜|——|－\s)\s*/;

/** `浙江…推進_中國網` → { title: `浙江…推進`, site: `中國網` }; a title without a site suffix is kept whole. */
export function stripSiteSuffix(
  raw: string,
  siteName?: string | null,
): { title: string; site: string | null } {
  const t = raw.trim();
  const parts = t.split(SEPARATORS).filter((p) => p.trim());
  if (parts.length < 2) return { title: t, site: null };
  const last = parts[parts.length - 1]!.trim();
  const first = parts[0]!.trim();
  const isSite = (p: string) =>
    (siteName && (p === siteName || siteName.includes(p) || p.includes(siteName))) ||
    (countChars(p) <= 20 && SITE_WORDS.test(p));
  if (isSite(last) && countChars(last) < countChars(t) / 2) {
    // Drop every trailing segment that names the site or its section (`标题_要闻_某某网`).
    let end = parts.length - 1;
    while (end > 1 && countChars(parts[end - 1]!) <= 8) end--;
    return { title: parts.slice(0, end).join(' - ').trim(), site: last };
  }
  if (isSite(first) && countChars(first) < countChars(t) / 2) {
    return { title: parts.slice(1).join(' - ').trim(), site: first };
  }
  return { title: t, site: null };
}
