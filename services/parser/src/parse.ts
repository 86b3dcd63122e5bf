import { binaryReason, decodeBytes, type Decoded } from '@govwire/shared/charset';
import { PermanentError } from '@govwire/shared/errors';
import type { Language, ParsedArticle, Paragraph } from '@govwire/shared/article';
import type { ParserContext } from './context';
import { cleanBlocks, type CleanResult, type RemovedItem } from './clean/pipeline';
import { makeBlock, type Block } from './extract/block';
import { extractHtml, type HtmlMeta } from './extract/html';
import { evidenceWords } from './clean/link-lists';
import { ParseLimits } from './limits';
import { chooseTitle, publishedFrom, sourceFrom } from './meta/document';
import { stripSiteSuffix } from './meta/title';
import { extractMetrics } from './metrics';
import {
  countChars,
  documentLanguage,
  findMojibake,
  languageOfCounts,
  normalizeChars,
  stripPinyin,
  textCounts,
  type TextCounts,
} from './text/chars';
import { scriptOfCounts } from './text/script';

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
const NOT_TEXT_TYPE = /^(image|audio|video|font)\/|application\/(pdf|zip|msword|vnd\.)/i;

function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  const head = text.slice(0, 4096);
  if (contentType && /html|xml/i.test(contentType) && /<[a-z!]/i.test(head)) return true;
  if (/^\s*(<!doctype\s+html|<html|<head|<body|<\?xml|<!--)/i.test(head)) return true;
  const tags = text.slice(0, 20000).match(/<\/?(p|div|br|span|a|table|td|li|h[1-6])\b[^>]*>/gi)?.length ?? 0;
  return HTML_SIGNS.test(head) && tags >= 3;
}

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name) return v;
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

/** Step 1, bytes → text: binary input refused (not_text), the charset chosen as charset.ts says. */
function decodeInput(input: ParseInput): {
  decoded: Decoded;
  contentType: string | undefined;
  warnings: string[];
} {
  if (input.bytes.length === 0) throw new PermanentError('no_article', 'empty input');
  const contentType = header(input.headers, 'content-type');
  if (contentType && NOT_TEXT_TYPE.test(contentType))
    throw new PermanentError('not_text', `not text: content-type ${contentType}`);
  const binary = binaryReason(input.bytes, { contentType, charsetOverride: input.charsetOverride });
  if (binary) throw new PermanentError('not_text', `not text: ${binary}`);
  const decoded = decodeBytes(input.bytes, { contentType, charsetOverride: input.charsetOverride });
  const warnings = [...decoded.warnings];
  if (decoded.via === 'detected' || decoded.via === 'default' || decoded.charset !== 'utf-8')
    warnings.unshift(`decoded as ${decoded.charset} (${decoded.via})`);
  return { decoded, contentType, warnings };
}

/** What extraction hands on: blocks, the page's metadata and what was dropped before cleaning. */
interface Extracted {
  blocks: Block[];
  meta: HtmlMeta | null;
  preRemoved: RemovedItem[];
  knownTitle: string | null;
  site: string | null;
}

/** Plain text: one block per line, blank lines counted as the gap before the next. */
function textBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let gap = 0;
  for (const raw of text.split(/\r\n|\r|\n|\u2028|\u2029/)) {
    const line = raw.replace(/\s+$/, '');
    if (!line.trim()) gap++;
    else {
      blocks.push(makeBlock(line, 'p', { gapBefore: gap }));
      gap = 0;
    }
  }
  return blocks;
}

/** Step 2, text → blocks: the main content of an HTML page (extract/html.ts), or a text's lines. */
function extractBlocks(
  ctx: ParserContext,
  text: string,
  mode: 'html' | 'text',
  limits: ParseLimits,
): Extracted {
  if (mode === 'text')
    return { blocks: textBlocks(text), meta: null, preRemoved: [], knownTitle: null, site: null };
  const ex = extractHtml(ctx, text, limits);
  const t = chooseTitle(ex.meta);
  return {
    blocks: ex.blocks,
    meta: ex.meta,
    preRemoved: ex.dropped.map((d) => ({
      bucket: 'boilerplate' as const,
      category: d.category,
      text: d.text,
    })),
    knownTitle: t.title ? stripPinyin(normalizeChars(t.title)).text : null,
    site: t.site,
  };
}

/** Step 3, cleaning (clean/pipeline.ts), with the page's own tag lists and sidebar words as spam-term evidence. */
function clean(ctx: ParserContext, ex: Extracted, mode: 'html' | 'text', input: ParseInput): CleanResult {
  const sidebarWords = ex.preRemoved
    .filter((r) => r.category === 'sidebar')
    .flatMap((r) => evidenceWords(r.text, ctx.settings.clean));
  return cleanBlocks(ctx, {
    blocks: ex.blocks,
    mode,
    knownTitle: ex.knownTitle,
    extraSpamTerms: input.extraSpamTerms,
    evidenceTerms: [...(ex.meta?.tagTerms ?? []), ...sidebarWords],
  });
}

/** The article's paragraphs, with offsets into its text and a language each. */
interface Body {
  paragraphs: Paragraph[];
  text: string;
  language: Language;
  /** Whether any paragraph has a traditional-only character (textSimplified then converts). */
  traditional: boolean;
}

/**
 * The page's script, judged once on a sample (the first scriptSampleChars of the paragraphs run
 * together); per-paragraph judgement only tells Chinese from English, which bilingual pages alternate.
 */
function pageScript(ctx: ParserContext, trimmed: string[], counts: TextCounts[]): 'zh-Hans' | 'zh-Hant' {
  const sample = ctx.settings.document.scriptSampleChars;
  let traditional = 0;
  let simplified = 0;
  let sampled = 0;
  trimmed.forEach((t, i) => {
    const c =
      sampled + t.length <= sample
        ? counts[i]!
        : sampled < sample
          ? textCounts(ctx.script, t.slice(0, sample - sampled))
          : null;
    traditional += c?.traditional ?? 0;
    simplified += c?.simplified ?? 0;
    sampled += t.length;
  });
  return scriptOfCounts(traditional, simplified);
}

/** Step 4, paragraphs → the body: no article when too little is left (no_article). */
function buildBody(ctx: ParserContext, cleaned: CleanResult): Body {
  const kept = cleaned.paragraphs.filter((p) => p.text.trim());
  const trimmed = kept.map((p) => p.text.trim());
  const counts = trimmed.map((t) => textCounts(ctx.script, t));
  // countChars skips whitespace, so a trimmed count is the paragraph's, but for the few spaces trim() removes and countChars counts.
  const chars = kept.reduce(
    (n, p, i) => n + (trimmed[i] === p.text ? counts[i]!.chars : countChars(p.text)),
    0,
  );
  if (kept.length === 0 || chars < ctx.settings.document.minArticleChars)
    throw new PermanentError('no_article', `no article text found (${chars} characters left after cleaning)`);
  const script = pageScript(ctx, trimmed, counts);
  const paragraphs: Paragraph[] = [];
  let offset = 0;
  trimmed.forEach((t, i) => {
    const lang = languageOfCounts(counts[i]!.han, counts[i]!.latin, () => script);
    paragraphs.push({ text: t, lang, start: offset, end: offset + t.length });
    offset += t.length + 2;
  });
  const language = documentLanguage(
    paragraphs,
    counts.map((c) => c.chars),
  );
  return {
    paragraphs,
    text: trimmed.join('\n\n'),
    language,
    traditional: counts.some((c) => c.traditional > 0),
  };
}

/** The title: the page's (cleaned of spam terms, pinyin and the site's name), or the first sentence. */
function finalTitle(
  cleaned: CleanResult,
  ex: Extracted,
  mode: 'html' | 'text',
  body: Body,
  warnings: string[],
): { title: string; site: string | null } {
  let title = mode === 'text' && cleaned.titleLine ? cleaned.titleLine : cleaned.title;
  let site = ex.site;
  if (title) {
    const s = stripSiteSuffix(
      stripPinyin(normalizeChars(title)).text.replace(/\s+/g, ' ').trim(),
      ex.meta?.siteName,
    );
    title = s.title;
    site ??= s.site;
  }
  if (title) return { title, site };
  // No title anywhere: the first sentence stands in, so lists and logs show something readable.
  const first = body.paragraphs[0]!.text;
  warnings.push('no title found; first sentence used');
  const sentence =
    /^(.{4,60}?)[。！？!?.](\s|$)/.exec(first)?.[1] ??
    /^(.{6,40})[，,;；]/.exec(first.slice(0, 41))?.[1] ??
    first.slice(0, 40);
  return { title: sentence, site };
}

/**
 * Bytes in, clean article out (no metrics): decode, extract the main content (HTML) or take the
 * lines (text), clean, build paragraphs, read metadata. This is the part that compares with
 * Readability. Pure: no I/O. Throws PermanentError `not_text`, `no_article`, or a limit's code
 * (`too_deep`, `too_many_nodes`, `parse_timeout`).
 */
export function parseArticle(ctx: ParserContext, input: ParseInput): ArticleText {
  const limits = new ParseLimits(ctx.settings.limits);
  const { decoded, contentType, warnings } = decodeInput(input);
  const mode = input.mode ?? (looksLikeHtml(decoded.text, contentType) ? 'html' : 'text');
  const ex = extractBlocks(ctx, decoded.text, mode, limits);
  const cleaned = clean(ctx, ex, mode, input);
  limits.checkTime('after cleaning');
  warnings.push(...cleaned.warnings);
  const body = buildBody(ctx, cleaned);
  const { title, site } = finalTitle(cleaned, ex, mode, body, warnings);
  body.paragraphs.forEach((p, i) => {
    const moji = findMojibake(p.text);
    if (moji) warnings.push(`possible mojibake in paragraph ${i + 1}: "${moji}"`);
  });
  const headTexts = mode === 'text' ? ex.blocks.slice(0, 12).map((b) => b.text) : [];
  const removedDetail = [...ex.preRemoved, ...cleaned.removed];
  const removed = { boilerplate: [] as string[], spamLinks: [] as string[], spamTerms: [] as string[] };
  for (const r of removedDetail) removed[r.bucket].push(r.text);
  return {
    title,
    publishedAt: publishedFrom(ex.meta, cleaned.infoLines, headTexts),
    source: sourceFrom(ex.meta, cleaned.infoLines, site),
    canonicalUrl:
      resolveUrl(ex.meta?.canonical, input.url) ??
      resolveUrl(ex.meta?.metaTags['og:url'], input.url) ??
      input.url ??
      null,
    language: body.language,
    text: body.text,
    textSimplified: body.traditional ? ctx.script.toSimplified(body.text) : body.text,
    paragraphs: body.paragraphs,
    removed,
    warnings,
    removedDetail,
    discoveredTerms: cleaned.discoveredTerms,
    charset: decoded.charset,
  };
}

/**
 * Bytes in, clean article and its metrics out: `parseArticle`, then `extractMetrics` over its text
 * with the context's dictionary and gazetteer. Pure: no I/O. Throws what `parseArticle` throws.
 */
export function parseDocument(ctx: ParserContext, input: ParseInput): ParseResult {
  const a = parseArticle(ctx, input);
  // Figures the text states but no level of the document dates are left out with a warning.
  const warnings = [...a.warnings];
  const metrics = extractMetrics(ctx.metrics, {
    text: a.text,
    paragraphs: a.paragraphs,
    title: a.title,
    publishedAt: a.publishedAt,
    source: a.source,
    url: a.canonicalUrl ?? input.url ?? null,
    warnings,
  });
  // Field order as in ParsedArticle (metrics after warnings, the operator fields last): JSON
  // output (the CLI, stored payloads) keeps its shape.
  const { removedDetail, discoveredTerms, charset, ...article } = a;
  return { ...article, warnings, metrics, removedDetail, discoveredTerms, charset };
}
