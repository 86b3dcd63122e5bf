/**
 * URL normalization: one spelling per resource, so dedup keys and job ids agree however a page
 * links it. Lower-cased scheme and host, default ports dropped, fragment dropped, tracking
 * parameters removed, query parameters sorted (stable for equal names), empty path → `/`.
 */
const TRACKING_PARAMS = new Set([
  'spm',
  'scm',
  'from',
  'fbclid',
  'gclid',
  'dclid',
  'msclkid',
  'yclid',
  'mc_cid',
  'mc_eid',
  'share_token',
  'sharer_shareid',
  'sharer_sharetime',
  'isappinstalled',
]);

export function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith('utm_') || TRACKING_PARAMS.has(n);
}

export function normalizeUrl(input: string, base?: string): string {
  const url = base === undefined ? new URL(input) : new URL(input, base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`not an http(s) URL: ${input}`);
  }
  // WHATWG URL already lower-cases scheme and host and drops default ports; we drop the rest.
  url.hash = '';
  url.username = '';
  url.password = '';
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  const kept = [...url.searchParams.entries()].filter(([k]) => !isTrackingParam(k));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = '';
  if (kept.length > 0) {
    url.search = kept.map(([k, v]) => `${encodeQueryPart(k)}=${encodeQueryPart(v)}`).join('&');
  }
  return url.toString();
}

/** Like URLSearchParams but keeps `%20` and the characters servers see unescaped in practice. */
function encodeQueryPart(s: string): string {
  return encodeURIComponent(s).replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%2F/gi, '/');
}

/** `scheme://host[:port]`: the unit robots.txt and politeness apply to. */
export function originOf(url: string): string {
  return new URL(url).origin;
}

/** Host plus port when not the default: the politeness gate's key. */
export function hostKey(url: string): string {
  return new URL(url).host;
}

/** Tries to normalize; undefined for junk hrefs (javascript:, mailto:, malformed). */
export function tryNormalizeUrl(input: string, base?: string): string | undefined {
  try {
    return normalizeUrl(input.trim(), base);
  } catch {
    return undefined;
  }
}
