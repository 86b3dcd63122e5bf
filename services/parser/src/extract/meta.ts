import type { ParserSettings } from '../settings';
import { normalizeChars } from '../text/chars';
import { RAW, type DomNode } from './dom';
import { INFO_HINT, TAG_HINT } from './tags';
import { SKIP_NONE, SKIP_QUIET, directText, textOf } from './text';

export interface HtmlMeta {
  metaTags: Record<string, string>;
  titleTag: string | null;
  h1: string[];
  /** The first few h2 texts (a title when no h1 is one). */
  h2: string[];
  canonical: string | null;
  siteName: string | null;
  /** Text of elements that look like an info bar (date, source, views) near the title. */
  infoTexts: string[];
  /** Words of the page's own tag/keyword lists, sidebars' link texts: spam-term evidence. */
  tagTerms: string[];
  lang: string | null;
  /** Elements by id whose text the metadata may need (WeChat: activity-name, js_name, publish_time). */
  idTexts: Record<string, string>;
  /**
   * The publication date a page keeps only in script (WeChat: `var ct = "1706832000"`), as
   * YYYY-MM-DD: read when asked (most pages state their date elsewhere).
   */
  scriptDate: () => string | null;
}

/** Element ids whose text is read for metadata: WeChat's title, account and date. */
const ID_FIELDS = new Set(['activity-name', 'js_name', 'publish_time', 'js_author_name']);

/** WeChat's publication time in script: `var ct = "1706832000"` or `publish_time = "2024-02-02"`. */
const SCRIPT_TIME =
  /\b(?:var\s+ct|ct|create_time|publish_time)\s*[:=]\s*["']?(\d{10}|\d{4}-\d{2}-\d{2})["']?/;

/** The first publication time in the page's scripts. */
function scriptDate(all: DomNode[]): string | null {
  for (const n of all) {
    if (n.kind !== RAW || n.name !== 'script') continue;
    const m = SCRIPT_TIME.exec(directText(all, n));
    if (!m) continue;
    const v = m[1]!;
    if (v.includes('-')) return v;
    // Epoch seconds; the date as China (UTC+8) has it.
    return new Date((Number(v) + 8 * 3600) * 1000).toISOString().slice(0, 10);
  }
  return null;
}

interface MetaReader {
  all: DomNode[];
  meta: HtmlMeta;
  settings: ParserSettings['extract'];
  /** One past the last tag list read: a list inside it is not read again. */
  tagListEnd: number;
}

/** The head's fields, by the element that holds each. */
const HEAD_READERS: Record<string, (r: MetaReader, n: DomNode, a: Record<string, string>) => void> = {
  meta(r, _n, a) {
    const key = (a.property ?? a.name ?? a.itemprop ?? a['http-equiv'] ?? '').toLowerCase().trim();
    if (key && a.content != null && !(key in r.meta.metaTags))
      r.meta.metaTags[key] = normalizeChars(a.content).trim();
  },
  title(r, n) {
    if (r.meta.titleTag === null) r.meta.titleTag = textOf(r.all, n, SKIP_NONE) || null;
  },
  h1(r, n) {
    const t = textOf(r.all, n, SKIP_NONE);
    if (t) r.meta.h1.push(t);
  },
  // Mirrors and some portals set the article's title in an h2 (the first few are kept).
  h2(r, n) {
    const t = r.meta.h2.length < 3 ? textOf(r.all, n, SKIP_NONE) : '';
    if (t) r.meta.h2.push(t);
  },
  link(r, _n, a) {
    if (!r.meta.canonical && /(^|\s)canonical(\s|$)/i.test(a.rel ?? '') && a.href) r.meta.canonical = a.href;
  },
  html(r, _n, a) {
    r.meta.lang ??= a.lang ?? null;
  },
};

function readHead(r: MetaReader, n: DomNode): void {
  HEAD_READERS[n.name]?.(r, n, n.attribs!);
}

/** Info bars, tag lists and the id fields: elements known by their class or id. */
function readHinted(r: MetaReader, n: DomNode): void {
  const a = n.attribs!;
  const { meta, settings } = r;
  if (n.name === 'time' && a.datetime) meta.infoTexts.push(a.datetime);
  if (a.id && ID_FIELDS.has(a.id) && !(a.id in meta.idTexts))
    meta.idTexts[a.id] = textOf(r.all, n, SKIP_NONE);
  if (INFO_HINT.test(n.hint) && meta.infoTexts.length < settings.infoTextMaxCount) {
    // Without scripts: counters write themselves into info bars (阅读次数：<script>document.write…).
    const t = textOf(r.all, n, SKIP_QUIET);
    if (t && t.length <= settings.infoTextMaxChars) meta.infoTexts.push(t);
  }
  if ((TAG_HINT.test(n.hint) || (a.rel ?? '').includes('tag')) && n.pos >= r.tagListEnd) {
    r.tagListEnd = n.end;
    const t = textOf(r.all, n, SKIP_NONE);
    if (t.length <= settings.tagListMaxChars)
      for (const w of t.split(/[\s,，、;；|:：]+/)) if (w) meta.tagTerms.push(w);
  }
}

/**
 * One pass over the elements every head field, info bar and tag list can come from, in document
 * order (the parser listed them). Each element's
 * text is read at most once per purpose, and a tag list inside one already read is skipped, so the
 * pass stays linear however deep the page nests.
 */
export function collectMeta(
  all: DomNode[],
  elements: DomNode[],
  settings: ParserSettings['extract'],
): HtmlMeta {
  const meta: HtmlMeta = {
    metaTags: {},
    titleTag: null,
    h1: [],
    h2: [],
    canonical: null,
    siteName: null,
    infoTexts: [],
    tagTerms: [],
    lang: null,
    idTexts: {},
    scriptDate: () => scriptDate(all),
  };
  const r: MetaReader = { all, meta, settings, tagListEnd: 0 };
  for (const n of elements) {
    readHead(r, n);
    if (n.hint || n.name === 'time') readHinted(r, n);
  }
  const m = meta.metaTags;
  meta.siteName = m['og:site_name'] ?? m['sitename'] ?? m['site_name'] ?? null;
  return meta;
}
