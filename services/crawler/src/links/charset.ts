import iconv from 'iconv-lite';

/**
 * The crawler decodes only list pages, feeds and sitemaps, to find links; article bytes travel
 * untouched to the parser, which owns charset detection. Order: the source's override, the
 * Content-Type header, a `<meta>` declaration in the first 2 KB, then UTF-8 (falling back to
 * GB18030 when the bytes are not valid UTF-8: old Chinese government sites).
 */
const ALIASES: Record<string, string> = {
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  cp936: 'gb18030',
  gb_2312: 'gb18030',
  'gb_2312-80': 'gb18030',
  big5: 'big5',
  'big5-hkscs': 'big5',
  'x-x-big5': 'big5',
};

export function canonicalCharset(name: string): string | undefined {
  const n = name
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (!n) return undefined;
  const c = ALIASES[n] ?? n;
  return iconv.encodingExists(c) ? c : undefined;
}

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const m = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '');
  return m?.[1] ? canonicalCharset(m[1]) : undefined;
}

export function charsetFromMeta(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head);
  return m?.[1] ? canonicalCharset(m[1]) : undefined;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export interface DecodeResult {
  text: string;
  charset: string;
  from: 'override' | 'header' | 'meta' | 'default' | 'fallback';
}

export function decodeForLinks(
  bytes: Uint8Array,
  contentType: string | undefined,
  override?: string | null,
): DecodeResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const o = override ? canonicalCharset(override) : undefined;
  if (o) return { text: iconv.decode(buf, o), charset: o, from: 'override' };
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: iconv.decode(buf, 'utf-8'), charset: 'utf-8', from: 'header' };
  }
  const declared: Array<[string | undefined, DecodeResult['from']]> = [
    [charsetFromContentType(contentType), 'header'],
    [charsetFromMeta(buf), 'meta'],
  ];
  for (const [cs, from] of declared) {
    if (!cs) continue;
    // A page declared UTF-8 whose bytes are not UTF-8 is lying; GB18030 is the likely truth here.
    if (cs === 'utf-8' || cs === 'utf8') {
      if (isValidUtf8(buf)) return { text: buf.toString('utf8'), charset: 'utf-8', from };
      return { text: iconv.decode(buf, 'gb18030'), charset: 'gb18030', from: 'fallback' };
    }
    return { text: iconv.decode(buf, cs), charset: cs, from };
  }
  if (isValidUtf8(buf)) return { text: buf.toString('utf8'), charset: 'utf-8', from: 'default' };
  return { text: iconv.decode(buf, 'gb18030'), charset: 'gb18030', from: 'fallback' };
}
