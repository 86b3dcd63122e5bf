import * as cheerio from 'cheerio';
import { XMLParser } from 'fast-xml-parser';
import { PermanentError } from '@govwire/shared';
import { tryNormalizeUrl } from '../url/normalize';
import { readJcmsColumn, type JcmsPager } from './jcms';
import { isAttachmentUrl, mayLinkAttachments, type LinkRules } from './rules';
import { scanHtml, type HtmlScan } from './scan';
import { readTrsPager, trsNextPage } from './trs';

/** What a list, feed or sitemap page yields: article links, next pages, attachments. */
export interface ExtractedLinks {
  articles: string[];
  /** Next list pages (pagination) or child sitemaps. */
  next: string[];
  attachments: string[];
  /** Links found but not taken: rules, duplicates or the per-page cap. */
  dropped: number;
}

export interface ExtractOptions {
  baseUrl: string;
  rules: LinkRules;
  selector?: string | undefined;
  nextSelector?: string | undefined;
  maxLinks: number;
}

/** A page to fetch after this one: a plain GET, or a POST of a JCMS column's record range. */
export type NextPage =
  { kind: 'list'; url: string } | { kind: 'dataproxy'; url: string; form: string; pager: JcmsPager };

/** How a list page was read: which family's reader, what it found, and what it noticed. */
export interface ListReading {
  family: 'jcms' | 'trs' | 'plain';
  articles: string[];
  next: NextPage[];
  attachments: string[];
  dropped: number;
  /** What the reader noticed and did not take (for the fetch log). */
  notes: string[];
}

/**
 * A CSS selector needs a DOM, and building one costs more than linear time on deep nesting
 * (cheerio: 1 s at 10,000 levels, 20 s at 40,000). Past these bounds a page is not given to
 * cheerio: a list page that needs a selector fails permanently, saying why.
 */
export const DOM_LIMITS = { maxDepth: 2_000, maxElements: 300_000 };

function collect(hrefs: Iterable<string>, opts: ExtractOptions, base: string) {
  const articles = new Set<string>();
  const attachments = new Set<string>();
  let dropped = 0;
  for (const href of hrefs) {
    const url = tryNormalizeUrl(href, base);
    if (!url) {
      dropped++;
      continue;
    }
    if (isAttachmentUrl(url)) {
      if (!opts.rules.denied(url)) attachments.add(url);
      continue;
    }
    if (!opts.rules.admits(url) || articles.has(url) || url === opts.baseUrl) {
      dropped++;
      continue;
    }
    if (articles.size >= opts.maxLinks) {
      dropped++;
      continue;
    }
    articles.add(url);
  }
  return { articles, attachments, dropped };
}

function baseOf(scan: HtmlScan, pageUrl: string): string {
  return (scan.baseHref && tryNormalizeUrl(scan.baseHref, pageUrl)) || pageUrl;
}

/** Fails a page that is too deep or too large to be given a DOM, with the figures. */
export function assertDomable(scan: HtmlScan, url: string): void {
  const { maxDepth, maxElements } = DOM_LIMITS;
  if (scan.truncated || scan.elements > maxElements) {
    throw new PermanentError(
      'too_large',
      `${url}: ${scan.elements} elements${scan.truncated ? ' or more' : ''} (> ${maxElements}): too many for link selectors`,
    );
  }
  if (scan.maxDepth > maxDepth) {
    throw new PermanentError(
      'too_deep',
      `${url}: elements nest ${scan.maxDepth} deep (> ${maxDepth}): too deep for link selectors`,
    );
  }
}

/** Hrefs the source's selectors pick, read from a DOM (only built when a selector is set). */
function selected(html: string, opts: ExtractOptions, base: string) {
  const $ = cheerio.load(html);
  const next = new Set<string>();
  if (opts.nextSelector) {
    $(opts.nextSelector).each((_, el) => {
      const href = $(el).attr('href');
      const url = href ? tryNormalizeUrl(href, base) : undefined;
      if (url && url !== opts.baseUrl && !opts.rules.denied(url)) next.add(url);
    });
  }
  const hrefs: string[] | undefined = opts.selector ? [] : undefined;
  if (opts.selector) {
    $(opts.selector).each((_, el) => {
      const href = $(el).attr('href');
      if (href) hrefs!.push(href);
    });
  }
  return { next, hrefs };
}

/**
 * Reads a list page, choosing the reader by what the page is: a JCMS column (records in an XML
 * datastore, the rest behind the dataproxy), a TRS page (pager written by `createPageHTML`), or
 * plain markup. Link selectors and the next-page selector of the source apply to all three.
 */
export function readListPage(html: string, opts: ExtractOptions): ListReading {
  const scan = scanHtml(html);
  const base = baseOf(scan, opts.baseUrl);
  const notes: string[] = [];
  if (scan.truncated) notes.push(`scan stopped after ${scan.elements} elements`);
  let picked: ReturnType<typeof selected> = { next: new Set(), hrefs: undefined };
  if (opts.selector || opts.nextSelector) {
    assertDomable(scan, opts.baseUrl);
    picked = selected(html, opts, base);
  }
  const next: NextPage[] = [];
  let family: ListReading['family'] = 'plain';
  let listHrefs = picked.hrefs ?? scan.links;
  const jcms = readJcmsColumn(scan, base);
  if (jcms) {
    family = 'jcms';
    notes.push(...jcms.notes);
    // The column's list is its records; markup links count only when a selector picks them.
    listHrefs = [...jcms.links, ...(picked.hrefs ?? [])];
    if (jcms.next)
      next.push({ kind: 'dataproxy', url: jcms.next.url, form: jcms.next.form, pager: jcms.next.pager });
  } else {
    const pager = readTrsPager(scan.scripts);
    const url = pager && trsNextPage(pager, base);
    if (pager) family = 'trs';
    const u = url && tryNormalizeUrl(url);
    if (u && u !== opts.baseUrl && !opts.rules.denied(u)) next.push({ kind: 'list', url: u });
  }
  for (const u of picked.next) if (!next.some((n) => n.url === u)) next.push({ kind: 'list', url: u });
  const nextUrls = new Set(next.map((n) => n.url));
  const c = collect(
    listHrefs.filter((h) => {
      const u = tryNormalizeUrl(h, base);
      return !(u && nextUrls.has(u));
    }),
    opts,
    base,
  );
  // Attachments anywhere on the page count, not only in the list.
  for (const h of [...scan.links, ...(jcms?.links ?? [])]) {
    const u = tryNormalizeUrl(h, base);
    if (u && isAttachmentUrl(u) && !opts.rules.denied(u)) c.attachments.add(u);
  }
  return {
    family,
    articles: [...c.articles],
    next,
    attachments: [...c.attachments],
    dropped: c.dropped,
    notes,
  };
}

/** The plain view of `readListPage`: next pages as URLs. */
export function extractFromHtml(html: string, opts: ExtractOptions): ExtractedLinks {
  const r = readListPage(html, opts);
  return {
    articles: r.articles,
    next: r.next.map((n) => n.url),
    attachments: r.attachments,
    dropped: r.dropped,
  };
}

/** Article and record links as a JCMS dataproxy answer lists them, taken like a list page's. */
export function collectLinks(hrefs: string[], opts: ExtractOptions) {
  const c = collect(hrefs, opts, opts.baseUrl);
  return { articles: [...c.articles], attachments: [...c.attachments], dropped: c.dropped };
}

/**
 * Attachment links on an article page (its other links are not followed): one linear scan, no
 * DOM, so a page's depth costs nothing but its length.
 */
export function attachmentsInHtml(html: string, baseUrl: string, rules: LinkRules): string[] {
  if (!mayLinkAttachments(html)) return [];
  const scan = scanHtml(html);
  const base = baseOf(scan, baseUrl);
  const out = new Set<string>();
  for (const href of scan.links) {
    const u = tryNormalizeUrl(href, base);
    if (u && isAttachmentUrl(u) && !rules.denied(u)) out.add(u);
  }
  return [...out];
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  processEntities: true,
  isArray: (name) => ['item', 'entry', 'link', 'url', 'sitemap'].includes(name),
});

// fast-xml-parser yields untyped trees; every access below is checked.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type XmlNode = Record<string, any>;

function asArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && '#text' in v) return text((v as Record<string, unknown>)['#text']);
  return undefined;
}

/** RSS 2.0 `<item><link>` and Atom `<entry><link rel=alternate href>` → article links. */
export function extractFromFeed(body: string, opts: ExtractOptions): ExtractedLinks {
  const doc = xml.parse(body) as XmlNode;
  const hrefs: string[] = [];
  const channel = doc.rss?.channel ?? doc['RDF'] ?? {};
  for (const item of asArray(channel.item ?? doc['RDF']?.item)) {
    const link = text(asArray(item?.link)[0]) ?? text(item?.guid);
    if (link) hrefs.push(link);
  }
  for (const entry of asArray(doc.feed?.entry)) {
    const links = asArray(entry?.link) as Array<Record<string, unknown>>;
    const alt = links.find((l) => !l['@rel'] || l['@rel'] === 'alternate') ?? links[0];
    const href = alt && typeof alt['@href'] === 'string' ? alt['@href'] : undefined;
    if (href) hrefs.push(href);
  }
  const c = collect(hrefs, opts, opts.baseUrl);
  return { articles: [...c.articles], next: [], attachments: [...c.attachments], dropped: c.dropped };
}

/** `<urlset>` → article links; `<sitemapindex>` → child sitemaps. */
export function extractFromSitemap(body: string, opts: ExtractOptions): ExtractedLinks {
  const doc = xml.parse(body) as XmlNode;
  const locs = asArray(doc.urlset?.url)
    .map((u) => text((u as XmlNode | undefined)?.loc))
    .filter((u): u is string => !!u);
  const next = asArray(doc.sitemapindex?.sitemap)
    .map((s) => text((s as XmlNode | undefined)?.loc))
    .map((u) => (u ? tryNormalizeUrl(u, opts.baseUrl) : undefined))
    .filter((u): u is string => !!u && !opts.rules.denied(u));
  const c = collect(locs, opts, opts.baseUrl);
  return {
    articles: [...c.articles],
    next: [...new Set(next)],
    attachments: [...c.attachments],
    dropped: c.dropped,
  };
}
