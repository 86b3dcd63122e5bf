import { PermanentError, type Language, type ParsedArticle, type Paragraph } from '@govwire/shared';
import { cleanBlocks, type RemovedItem } from './clean/pipeline';
import { binaryReason, decodeBytes } from '@govwire/shared';
import { makeBlock, type Block } from './extract/block';
import { extractHtml, type HtmlMeta } from './extract/html';
import { DATE_META_KEYS, findDate } from './meta/dates';
import { stripSiteSuffix } from './meta/title';
import { extractMetrics } from './metrics';
import { defaultRules, type Rules } from './rules/rules';
import {
  convertToSimplified,
  countChars,
  documentLanguage,
  findMojibake,
  languageOfCounts,
  normalizeChars,
  scriptOfCounts,
  stripPinyin,
  textCounts,
} from './text/chars';

/** How many characters of the article decide its script (simplified or traditional). */
const SCRIPT_SAMPLE = 20000;

export interface ParseInput {
  bytes: Uint8Array;
  /** Response headers (any case). */
  headers?: Record<string, string>;
  url?: string | null;
  charsetOverride?: string | null;
  /** Spam terms beyond the shipped list: the Postgres table, the host's recurring terms. */
  extraSpamTerms?: string[];
  /** Force a mode; by default HTML is recognised by its markup. */
  mode?: 'html' | 'text';
  rules?: Rules;
}

/** The clean article without its metrics: what `parseArticle` returns. */
export interface ArticleText extends Omit<ParsedArticle, 'metrics'> {
  /** Every removal with its reason, for operators (`removed` holds the same texts by bucket). */
  removedDetail: RemovedItem[];
  /** Terms generic detection found on this page (the worker remembers them per host). */
  discoveredTerms: string[];
  charset: string;
}

export interface ParseResult extends ArticleText {
  metrics: ParsedArticle['metrics'];
}

const HTML_SIGNS = /<(!doctype\s+html|html|head|body|meta|title|div|p|br|table|article|section|span|a\s)\b/i;

function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  const head = text.slice(0, 4096);
  if (contentType && /html|xml/i.test(contentType) && /<[a-z!]/i.test(head)) return true;
  if (/^\s*(<!doctype\s+html|<html|<head|<body|<\?xml|<!--)/i.test(head)) return true;
  const tags = text.slice(0, 20000).match(/<\/?(p|div|br|span|a|table|td|li|h[1-6])\b[^>]*>/gi)?.length ?? 0;
  return HTML_SIGNS.test(head) && tags >= 3;
}

function textBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let gap = 0;
  for (const raw of text.split(/\r\n|\r|\n|\u2028|\u2029/)) {
    const line = raw.replace(/\s+$/, '');
    if (!line.trim()) {
      gap++;
      continue;
    }
    blocks.push(makeBlock(line, 'p', { gapBefore: gap }));
    gap = 0;
  }
  return blocks;
}

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function resolveUrl(href: string | null | undefined, base: string | null | undefined): string | null {
  if (!href) return null;
  try {
    return new URL(href.trim(), base ?? undefined).toString();
  } catch {
    return null;
  }
}

const SOURCE_IN_LINE =
  /(?:来源|來源|稿源|信息来源|信息來源|文章来源|文章來源|发布机构|發布機構|source)\s*[:：]\s*([^|丨/\n]{2,40}?)(?=\s{2,}|\s*[|丨/]|\s+(?:发布|發布|时间|時間|日期|作者|编辑|編輯|浏览|瀏覽|点击|點擊|updated|date|published|views|by)|$)/i;

function sourceFrom(meta: HtmlMeta | null, infoLines: string[], site: string | null): string | null {
  const m = meta?.metaTags ?? {};
  for (const k of ['source', 'contentsource', 'article:source', 'og:article:source', 'news_source']) {
    if (m[k]) return m[k]!;
  }
  for (const line of [...infoLines, ...(meta?.infoTexts ?? [])]) {
    const s = SOURCE_IN_LINE.exec(line);
    if (s) return s[1]!.trim().replace(/[，,。;；]+$/, '');
  }
  // WeChat-style info line: "<author> <account> <date>": the account before the date publishes.
  for (const line of [...infoLines, ...(meta?.infoTexts ?? [])]) {
    const m2 = /^(.*?)\s*(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)/.exec(line);
    if (m2 && m2[1]) {
      const tokens = m2[1].split(/\s+/).filter(Boolean);
      const last = tokens[tokens.length - 1];
      if (last && last.length <= 20 && !/[:：]/.test(last)) return last;
    }
  }
  return meta?.siteName ?? site ?? null;
}

function publishedFrom(meta: HtmlMeta | null, infoLines: string[], headTexts: string[]): string | null {
  const m = meta?.metaTags ?? {};
  for (const k of DATE_META_KEYS) {
    const v = m[k];
    if (v) {
      const d = findDate(v);
      if (d) return d;
    }
  }
  for (const t of [...infoLines, ...(meta?.infoTexts ?? []), ...headTexts]) {
    const d = findDate(t);
    if (d) return d;
  }
  return null;
}

function chooseTitle(meta: HtmlMeta): { title: string | null; site: string | null } {
  const og =
    meta.metaTags['og:title'] ?? meta.metaTags['twitter:title'] ?? meta.metaTags['articletitle'] ?? null;
  const tag = meta.titleTag;
  const h1 = meta.h1.find((h) => h.length >= 4 && h.length <= 150) ?? null;
  const fromTag = tag ? stripSiteSuffix(tag, meta.siteName) : { title: null, site: null };
  const fromOg = og ? stripSiteSuffix(og, meta.siteName) : { title: null, site: null };
  const site = fromTag.site ?? fromOg.site;
  const squash = (s: string) => s.replace(/[\s\p{P}]/gu, '');
  // An h1 the <title> or og:title repeats is the article's; a lone h1 may be the site's logo.
  if (h1) {
    const h = squash(h1);
    if ((tag && squash(tag).includes(h)) || (og && squash(og).includes(h)) || (!tag && !og))
      return { title: h1, site };
  }
  if (fromOg.title) return { title: fromOg.title, site };
  if (fromTag.title) return { title: fromTag.title, site };
  return { title: h1, site };
}

/**
 * Bytes in, clean article and its metrics out: `parseArticle`, then `extractMetrics` over its text.
 * Pure: no I/O. Throws what `parseArticle` throws.
 */
export function parseDocument(input: ParseInput): ParseResult {
  const a = parseArticle(input);
  const metrics = extractMetrics({
    text: a.text,
    paragraphs: a.paragraphs,
    title: a.title,
    publishedAt: a.publishedAt,
    source: a.source,
    url: a.canonicalUrl ?? input.url ?? null,
  });
  // Field order as in ParsedArticle (metrics after warnings, the operator fields last): JSON
  // output (the CLI, stored payloads) keeps its shape.
  const { removedDetail, discoveredTerms, charset, ...article } = a;
  return { ...article, metrics, removedDetail, discoveredTerms, charset };
}

/**
 * Bytes in, clean article out (no metrics): decode, extract the main content (HTML) or take the
 * lines (text), clean, read metadata, build paragraphs with offsets and per-paragraph language.
 * This is the part that compares with Readability. Pure: no I/O.
 * Throws PermanentError `not_text` (binary input) or `no_article` (nothing article-like left).
 */
export function parseArticle(input: ParseInput): ArticleText {
  const rules = input.rules ?? defaultRules();
  if (input.bytes.length === 0) throw new PermanentError('no_article', 'empty input');
  const binary = binaryReason(input.bytes);
  if (binary) throw new PermanentError('not_text', `not text: ${binary}`);
  const contentType = header(input.headers, 'content-type');
  if (contentType && /^(image|audio|video|font)\/|application\/(pdf|zip|msword|vnd\.)/i.test(contentType)) {
    throw new PermanentError('not_text', `not text: content-type ${contentType}`);
  }
  const decoded = decodeBytes(input.bytes, { contentType, charsetOverride: input.charsetOverride });
  const warnings = [...decoded.warnings];
  if (decoded.via === 'detected' || decoded.via === 'default' || decoded.charset !== 'utf-8') {
    warnings.unshift(`decoded as ${decoded.charset} (${decoded.via})`);
  }
  const mode = input.mode ?? (looksLikeHtml(decoded.text, contentType) ? 'html' : 'text');

  let blocks: Block[];
  let meta: HtmlMeta | null = null;
  const preRemoved: RemovedItem[] = [];
  let knownTitle: string | null = null;
  let site: string | null = null;
  if (mode === 'html') {
    const ex = extractHtml(decoded.text);
    blocks = ex.blocks;
    meta = ex.meta;
    for (const d of ex.dropped)
      preRemoved.push({ bucket: 'boilerplate', category: d.category, text: d.text });
    const t = chooseTitle(meta);
    knownTitle = t.title ? stripPinyin(normalizeChars(t.title)).text : null;
    site = t.site;
  } else {
    blocks = textBlocks(decoded.text);
  }

  const cleaned = cleanBlocks({
    blocks,
    mode,
    rules,
    knownTitle,
    extraSpamTerms: input.extraSpamTerms,
    // The page's own tag lists and the words of its sidebars: injected terms recur there.
    evidenceTerms: [
      ...(meta?.tagTerms ?? []),
      ...preRemoved
        .filter((r) => r.category === 'sidebar')
        .flatMap((r) => r.text.split(/[\s,，、;；|:：!！?？。]+/))
        .filter((w) => w.length >= 2 && w.length <= 8),
    ],
  });
  warnings.push(...cleaned.warnings);

  const paragraphsIn = cleaned.paragraphs.filter((p) => p.text.trim());
  const trimmed = paragraphsIn.map((p) => p.text.trim());
  // One pass over each paragraph counts what the emptiness check, the script and the languages need.
  const counts = trimmed.map(textCounts);
  // countChars skips whitespace, so the trimmed count is the paragraph's, except for the few spaces
  // trim() removes and countChars counts (U+1680, U+2028/9): count those paragraphs again.
  const textChars = paragraphsIn.reduce(
    (n, p, i) => n + (trimmed[i] === p.text ? counts[i]!.chars : countChars(p.text)),
    0,
  );
  if (paragraphsIn.length === 0 || textChars < 30) {
    throw new PermanentError(
      'no_article',
      `no article text found (${textChars} characters left after cleaning)`,
    );
  }

  let title = cleaned.title;
  if (mode === 'text' && cleaned.titleLine) title = cleaned.titleLine;
  if (title) {
    const s = stripSiteSuffix(
      stripPinyin(normalizeChars(title)).text.replace(/\s+/g, ' ').trim(),
      meta?.siteName,
    );
    title = s.title;
    site ??= s.site;
  }
  if (!title) {
    // No title anywhere: the first sentence stands in, so lists and logs show something readable.
    const first = paragraphsIn[0]!.text;
    const sentence =
      /^(.{4,60}?)[。！？!?.](\s|$)/.exec(first)?.[1] ??
      /^(.{6,40})[，,;；]/.exec(first.slice(0, 41))?.[1] ??
      first.slice(0, 40);
    title = sentence;
    warnings.push('no title found; first sentence used');
  }

  // Paragraphs, offsets, languages.
  // The script (simplified or traditional) is the page's, judged once on a sample (the first
  // SCRIPT_SAMPLE characters of the paragraphs run together); per-paragraph judgement only tells
  // Chinese from English, which is what bilingual pages alternate.
  let traditional = 0;
  let simplified = 0;
  let sampled = 0;
  let traditionalAnywhere = 0;
  trimmed.forEach((t, i) => {
    const c = counts[i]!;
    traditionalAnywhere += c.traditional;
    if (sampled + t.length <= SCRIPT_SAMPLE) {
      traditional += c.traditional;
      simplified += c.simplified;
    } else if (sampled < SCRIPT_SAMPLE) {
      const part = textCounts(t.slice(0, SCRIPT_SAMPLE - sampled));
      traditional += part.traditional;
      simplified += part.simplified;
    }
    sampled += t.length;
  });
  const script = scriptOfCounts(traditional, simplified);
  const paragraphs: Paragraph[] = [];
  let offset = 0;
  trimmed.forEach((t, i) => {
    const lang = languageOfCounts(counts[i]!.han, counts[i]!.latin, () => script);
    paragraphs.push({ text: t, lang, start: offset, end: offset + t.length });
    offset += t.length + 2;
  });
  // Joined once (not grown with +=): metric extraction reads it by offset, which a flat string serves.
  const text = trimmed.join('\n\n');
  const language: Language = documentLanguage(
    paragraphs,
    counts.map((c) => c.chars),
  );
  paragraphs.forEach((p, i) => {
    const moji = findMojibake(p.text);
    if (moji) warnings.push(`possible mojibake in paragraph ${i + 1}: "${moji}"`);
  });

  const headTexts = blocks.slice(0, 12).map((b) => b.text);
  const publishedAt = publishedFrom(meta, cleaned.infoLines, mode === 'text' ? headTexts : []);
  const source = sourceFrom(meta, cleaned.infoLines, site);
  const canonicalUrl =
    resolveUrl(meta?.canonical, input.url) ??
    resolveUrl(meta?.metaTags['og:url'], input.url) ??
    input.url ??
    null;

  const removedDetail = [...preRemoved, ...cleaned.removed];
  const removed = { boilerplate: [] as string[], spamLinks: [] as string[], spamTerms: [] as string[] };
  for (const r of removedDetail) removed[r.bucket].push(r.text);

  return {
    title,
    publishedAt,
    source,
    canonicalUrl,
    language,
    text,
    // The same decision as simplify(text): the text needs converting when it has any traditional-only character.
    textSimplified: traditionalAnywhere > 0 ? convertToSimplified(text) : text,
    paragraphs,
    removed,
    warnings,
    removedDetail,
    discoveredTerms: cleaned.discoveredTerms,
    charset: decoded.charset,
  };
}
