import type { ListPager } from '@govwire/shared';
import { scanHtml, type HtmlScan, type ScannedScript } from './scan';

/**
 * Hanweb JCMS column pages (`col/colNNN/index.html`). The list is not in the page's markup: the
 * first records sit in `<script type="text/xml"><datastore>…<record><![CDATA[<li><a href=…>]]>`,
 * the pager script (`$('#id').jpage({perPage, totalRecord, proxyUrl, ajaxParam, …})`) says how
 * many there are, and the browser fetches the rest by POSTing the `ajaxParam` fields to
 * `proxyUrl?startrecord=S&endrecord=E&perpage=P`, which answers the same XML datastore. Static
 * `index_1.html` pages do not exist on these sites.
 *
 * Everything here is read leniently and linearly (indexOf and anchored regexes, one tokenizer pass
 * per record): a record with broken markup spoils only itself.
 */

/** Where a column's paging stands: the record range asked for, the column's total. */
export type JcmsPager = ListPager;

export interface JcmsRequest {
  /** The page's URL: the proxy with the record range and the form fields in its query. */
  url: string;
  /** The urlencoded form body (the pager's `ajaxParam`). */
  form: string;
  pager: JcmsPager;
}

export interface JcmsRecords {
  /** Link targets found in the records, in order (as written: resolve them against the page). */
  links: string[];
  /** Records read. */
  records: number;
  /** Records that held no usable link (no href, `javascript:`, broken markup). */
  unusable: number;
}

export interface JcmsColumn extends JcmsRecords {
  /** The request for the records after the embedded ones, when there are more to ask for. */
  next: JcmsRequest | undefined;
  notes: string[];
}

/** Records asked for per request when the page does not say (the pager's default group). */
const DEFAULT_PER_PAGE = 15;
const DEFAULT_GROUP_SIZE = 3;

/** The datastore script of a JCMS column page, if the page is one. */
export function findDatastore(scan: HtmlScan): string | undefined {
  return scan.scripts.find((s) => s.text.includes('<datastore') || s.text.includes('<recordset'))?.text;
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => XML_ENTITIES[e]!);
}

/** The text of an element's content: its CDATA sections joined, else the escaped text unescaped. */
function elementText(inner: string): string {
  if (!inner.includes('<![CDATA[')) return unescapeXml(inner);
  let out = '';
  let at = 0;
  for (;;) {
    const open = inner.indexOf('<![CDATA[', at);
    if (open < 0) break;
    const close = inner.indexOf(']]>', open + 9);
    out += inner.slice(open + 9, close < 0 ? undefined : close);
    if (close < 0) break;
    at = close + 3;
  }
  return out;
}

/** Every `<name>…</name>` content, in order; an unclosed last one runs to the end of the text. */
function elements(xml: string, name: string): string[] {
  const out: string[] = [];
  const open = `<${name}`;
  const close = `</${name}>`;
  let at = 0;
  for (;;) {
    const start = xml.indexOf(open, at);
    if (start < 0) break;
    const after = xml.charAt(start + open.length);
    const gt = xml.indexOf('>', start);
    if (gt < 0) break;
    if (after !== '>' && after !== ' ' && after !== '\t' && after !== '\n' && after !== '\r') {
      at = start + open.length; // <recordset> is not <record>
      continue;
    }
    const end = xml.indexOf(close, gt + 1);
    // A record without its close tag (malformed answer): it ends where the next one starts.
    const next = xml.indexOf(open, gt + 1);
    const stop = end < 0 ? (next < 0 ? xml.length : next) : next >= 0 && next < end ? next : end;
    out.push(xml.slice(gt + 1, stop));
    at = stop === end ? end + close.length : stop;
  }
  return out;
}

function firstNumber(xml: string, name: string): number | null {
  const m = new RegExp(`<${name}>\\s*(?:<!\\[CDATA\\[)?\\s*(\\d{1,15})`, 'i').exec(xml);
  return m ? Number(m[1]) : null;
}

/** The links of a datastore's records, each record scanned on its own. */
export function readRecords(xml: string): JcmsRecords {
  const out: JcmsRecords = { links: [], records: 0, unusable: 0 };
  for (const inner of elements(xml, 'record')) {
    out.records++;
    const links = scanHtml(elementText(inner)).links.filter(usableHref);
    if (links.length === 0) out.unusable++;
    out.links.push(...links);
  }
  return out;
}

function usableHref(href: string): boolean {
  const h = href.trim();
  return h !== '' && h !== '#' && !/^(javascript|mailto|tel|data):/i.test(h);
}

export interface JpageCall {
  perPage: number | undefined;
  totalRecord: number | undefined;
  groupSize: number | undefined;
  proxyUrl: string | undefined;
  /** The form fields, in the order written. */
  ajaxParam: Array<[string, string]> | undefined;
}

const NUMBER_OPTION = (name: string) => new RegExp(`\\b${name}\\s*:\\s*['"]?(\\d{1,15})`);

/** The options of the page's `jpage({...})` call, read field by field. */
export function readJpageCall(scripts: ScannedScript[]): JpageCall | undefined {
  const text = scripts.map((s) => s.text).find((t) => /\.jpage\s*\(/.test(t));
  if (!text) return undefined;
  const call = text.slice(text.search(/\.jpage\s*\(/));
  const num = (name: string) => {
    const m = NUMBER_OPTION(name).exec(call);
    return m ? Number(m[1]) : undefined;
  };
  const proxy = /\bproxyUrl\s*:\s*(['"])([^'"]*)\1/.exec(call)?.[2];
  const param = /\bajaxParam\s*:\s*\{([^}]*)\}/.exec(call)?.[1];
  let ajaxParam: Array<[string, string]> | undefined;
  if (param !== undefined) {
    ajaxParam = [];
    const field = /['"]?([A-Za-z_$][\w$]*)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,\s]+))/g;
    for (const m of param.matchAll(field)) ajaxParam.push([m[1]!, m[2] ?? m[3] ?? m[4] ?? '']);
  }
  return {
    perPage: num('perPage'),
    totalRecord: num('totalRecord'),
    groupSize: num('groupSize'),
    proxyUrl: proxy,
    ajaxParam,
  };
}

function formBody(fields: Array<[string, string]>): string {
  return fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/**
 * The URL a dataproxy page is known by: the proxy with the record range and the column's form
 * fields in its query. Two columns of a site share one proxy and differ only in their form, so
 * the fields make the key (for the per-crawl dedup and the fetch log) unique and readable.
 */
export function proxyPageUrl(
  proxyUrl: string,
  pager: Pick<JcmsPager, 'start' | 'end' | 'perPage'>,
  form: string,
): string {
  const u = new URL(proxyUrl);
  u.search = `startrecord=${pager.start}&endrecord=${pager.end}&perpage=${pager.perPage}`;
  for (const [k, v] of new URLSearchParams(form)) if (!u.searchParams.has(k)) u.searchParams.append(k, v);
  return u.toString();
}

/**
 * Where the POST of a dataproxy page goes, as the pager sends it: the proxy with only the record
 * range in its query (the form fields travel in the body).
 */
export function proxyTarget(pageUrl: string, form: string): string {
  const u = new URL(pageUrl);
  for (const k of new URLSearchParams(form).keys()) {
    if (k !== 'startrecord' && k !== 'endrecord' && k !== 'perpage') u.searchParams.delete(k);
  }
  return u.toString();
}

/** The request after `pager`'s, or undefined when the column has no more records to ask for. */
export function followingRequest(
  proxyUrl: string,
  form: string,
  pager: JcmsPager,
  extra: { total?: number | null; badInRow?: number } = {},
): JcmsRequest | undefined {
  const size = Math.max(1, pager.end - pager.start + 1);
  const total = extra.total ?? pager.total;
  const start = pager.end + 1;
  if (total !== null && start > total) return undefined;
  const end = total !== null ? Math.min(total, start + size - 1) : start + size - 1;
  const next: JcmsPager = {
    family: 'jcms',
    columnUrl: pager.columnUrl,
    start,
    end,
    perPage: pager.perPage,
    total,
    badInRow: extra.badInRow ?? 0,
  };
  return { url: proxyPageUrl(proxyUrl, next, form), form, pager: next };
}

/** Reads a JCMS column page: its embedded records and the request for the next ones. */
export function readJcmsColumn(scan: HtmlScan, pageUrl: string): JcmsColumn | undefined {
  const store = findDatastore(scan);
  if (store === undefined) return undefined;
  const records = readRecords(store);
  const notes: string[] = [];
  if (records.unusable) notes.push(`${records.unusable} record(s) without a usable link`);
  const call = readJpageCall(scan.scripts);
  const nextgroup = elements(store, 'nextgroup')[0];
  const groupHref = nextgroup ? scanHtml(elementText(nextgroup)).links[0] : undefined;
  let groupUrl: URL | undefined;
  try {
    groupUrl = groupHref ? new URL(groupHref, pageUrl) : undefined;
  } catch {
    notes.push(`unreadable nextgroup link ${JSON.stringify(groupHref?.slice(0, 100))}`);
  }
  const proxyHref = call?.proxyUrl ?? (groupUrl ? groupUrl.origin + groupUrl.pathname : undefined);
  const fields =
    call?.ajaxParam ?? (groupUrl ? [...groupUrl.searchParams].filter(([k]) => k !== 'page') : undefined);
  const total = call?.totalRecord ?? firstNumber(store, 'totalrecord');
  const base = { ...records, notes };
  if (!proxyHref || !fields || fields.length === 0) {
    if (total === null || total === undefined || total > records.records)
      notes.push('no pager found: only the records in the page are read');
    return { ...base, next: undefined };
  }
  let proxyUrl: string;
  try {
    proxyUrl = new URL(proxyHref, pageUrl).toString();
  } catch {
    notes.push(`unreadable proxyUrl ${JSON.stringify(proxyHref.slice(0, 100))}`);
    return { ...base, next: undefined };
  }
  // The pager asks for a group of pages at a time (perPage × groupSize records); the page embeds
  // the first group, so without a groupSize its record count is the group's size.
  const perPage = call?.perPage && call.perPage > 0 ? call.perPage : DEFAULT_PER_PAGE;
  const batch =
    call?.groupSize && call.groupSize > 0
      ? perPage * call.groupSize
      : Math.max(perPage, records.records || perPage * DEFAULT_GROUP_SIZE);
  // The embedded records are records 1..n; the first request asks for the batch after them.
  const embedded: JcmsPager = {
    family: 'jcms',
    columnUrl: pageUrl,
    start: records.records - batch + 1,
    end: records.records,
    perPage,
    total: total ?? null,
    badInRow: 0,
  };
  return { ...base, next: followingRequest(proxyUrl, formBody(fields), embedded) };
}

export interface JcmsAnswer extends JcmsRecords {
  totalRecord: number | null;
  /** Why the answer could not be used as a datastore, when it could not. */
  problem: string | undefined;
}

/** Reads a dataproxy answer: `<datastore><totalrecord>…<recordset><record>…`. */
export function readJcmsAnswer(text: string): JcmsAnswer {
  const body = text.trim();
  const none = { links: [], records: 0, unusable: 0, totalRecord: null };
  if (body === '') return { ...none, problem: 'empty answer' };
  if (!body.includes('<datastore') && !body.includes('<recordset') && !body.includes('<record')) {
    const what = /<html|<!doctype html|<body/i.test(body.slice(0, 2000)) ? 'an HTML page' : 'no datastore';
    return { ...none, problem: `answered ${what}, not a datastore` };
  }
  const records = readRecords(body);
  const totalRecord = firstNumber(body, 'totalrecord');
  const closed = body.includes('</datastore>') || body.includes('</recordset>');
  let problem: string | undefined;
  if (!closed) problem = 'malformed datastore (not closed)';
  if (records.records === 0 && totalRecord === null) problem ??= 'datastore holds no records';
  return { ...records, totalRecord, problem };
}
