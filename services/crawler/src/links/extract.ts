import * as cheerio from 'cheerio';
import { XMLParser } from 'fast-xml-parser';
import { Tokenizer } from 'htmlparser2';
import { tryNormalizeUrl } from '../url/normalize';
import { isAttachmentUrl, type LinkRules } from './rules';

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

export function extractFromHtml(html: string, opts: ExtractOptions): ExtractedLinks {
  const $ = cheerio.load(html);
  // A <base href> changes what relative links mean.
  const baseHref = $('base[href]').first().attr('href');
  const base = (baseHref && tryNormalizeUrl(baseHref, opts.baseUrl)) || opts.baseUrl;
  const next = new Set<string>();
  if (opts.nextSelector) {
    $(opts.nextSelector).each((_, el) => {
      const href = $(el).attr('href');
      const url = href ? tryNormalizeUrl(href, base) : undefined;
      if (url && url !== opts.baseUrl && !opts.rules.denied(url)) next.add(url);
    });
  }
  const hrefs: string[] = [];
  $(opts.selector ?? 'a[href]').each((_, el) => {
    const href = $(el).attr('href');
    if (href) hrefs.push(href);
  });
  // Attachments anywhere on the page count, not only under the article selector.
  const allHrefs = opts.selector
    ? $('a[href]')
        .map((_, el) => $(el).attr('href') ?? '')
        .get()
    : [];
  const c = collect(
    hrefs.filter((h) => {
      const u = tryNormalizeUrl(h, base);
      return !(u && next.has(u));
    }),
    opts,
    base,
  );
  for (const h of allHrefs) {
    const u = tryNormalizeUrl(h, base);
    if (u && isAttachmentUrl(u) && !opts.rules.denied(u)) c.attachments.add(u);
  }
  return { articles: [...c.articles], next: [...next], attachments: [...c.attachments], dropped: c.dropped };
}

/**
 * Attachment links on an article page (its other links are not followed). Only the `href` of each
 * `<a>` is needed, so the page is only tokenized, never built into a tree (htmlparser2's Parser
 * keeps its open-element stack with unshift): time stays linear however deep the nesting, where a
 * DOM parse of 200,000 nested divs held the crawler for minutes.
 */
export function attachmentsInHtml(html: string, baseUrl: string, rules: LinkRules): string[] {
  const out = new Set<string>();
  const hrefs = anchorHrefs(html);
  for (const href of hrefs) {
    const u = tryNormalizeUrl(href, baseUrl);
    if (u && isAttachmentUrl(u) && !rules.denied(u)) out.add(u);
  }
  return [...out];
}

/** The `href` values of every `<a>` tag, entities decoded, in document order. */
export function anchorHrefs(html: string): string[] {
  const hrefs: string[] = [];
  let inAnchor = false;
  let inHref = false;
  let value = '';
  const none = () => undefined;
  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: true },
    {
      onopentagname: (start, end) => void (inAnchor = html.slice(start, end).toLowerCase() === 'a'),
      onattribname: (start, end) => {
        inHref = inAnchor && html.slice(start, end).toLowerCase() === 'href';
        value = '';
      },
      onattribdata: (start, end) => void (inHref && (value += html.slice(start, end))),
      onattribentity: (codepoint) => void (inHref && (value += String.fromCodePoint(codepoint))),
      onattribend: () => {
        if (inHref) hrefs.push(value);
        inHref = false;
      },
      onopentagend: () => void (inAnchor = false),
      onselfclosingtag: () => void (inAnchor = false),
      oncdata: none,
      onclosetag: none,
      oncomment: none,
      ondeclaration: none,
      onend: none,
      onprocessinginstruction: none,
      ontext: none,
      ontextentity: none,
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return hrefs;
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
