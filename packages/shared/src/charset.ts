/**
 * Decoding page bytes, shared by the parser (article text) and the crawler (links on list pages, feeds
 * and sitemaps), so both read a GBK or Big5 page the same way.
 */
import { createRequire } from 'node:module';
import iconv from 'iconv-lite';
import type * as Jschardet from 'jschardet';

/** jschardet, loaded only when a page declares no usable charset (most do): it is slow to load. */
const requireLazily = createRequire(import.meta.url);
function jschardet(): typeof Jschardet {
  return requireLazily('jschardet') as typeof Jschardet;
}

export interface Decoded {
  text: string;
  /** The charset the text was decoded with (canonical lower-case name). */
  charset: string;
  /** How the charset was chosen: bom, override, header, meta, detected, default. */
  via: 'bom' | 'override' | 'header' | 'meta' | 'detected' | 'default';
  warnings: string[];
}

/** GB2312 and GBK are subsets of GB18030; pages labelled with either routinely use characters beyond them. */
const ALIASES: Record<string, string> = {
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  gb_2312: 'gb18030',
  'gb_2312-80': 'gb18030',
  csgb2312: 'gb18030',
  'x-euc-cn': 'gb18030',
  'euc-cn': 'gb18030',
  big5: 'big5',
  'big5-hkscs': 'big5',
  'x-x-big5': 'big5',
  utf8: 'utf-8',
  // WHATWG: a bare "utf-16" label means little-endian.
  'utf-16': 'utf-16le',
  utf16: 'utf-16le',
  unicode: 'utf-16le',
  'ucs-2': 'utf-16le',
  'unicode-1-1-utf-8': 'utf-8',
  'iso-8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
};

export function canonicalCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (!l) return null;
  const c = ALIASES[l] ?? l;
  return iconv.encodingExists(c) ? c : null;
}

export function charsetFromContentType(contentType: string | undefined): string | null {
  if (!contentType) return null;
  const m = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType);
  return m?.[1] ?? null;
}

/**
 * The HTML prescan, simplified: the first 4 KB read as ASCII, looking for `<meta charset>` or
 * `<meta http-equiv="Content-Type" content="...; charset=...">`.
 */
export function charsetFromMeta(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  for (const m of head.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = m[0];
    const direct = /\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(tag);
    if (direct?.[1]) return direct[1];
  }
  return null;
}

function bomCharset(bytes: Uint8Array): { charset: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  return null;
}

/**
 * UTF-16 without a BOM, by its NUL bytes: markup and ASCII text in UTF-16 have a NUL in every other
 * byte (the high byte), on odd positions for little-endian and even ones for big-endian, while a
 * binary file's NULs fall anywhere. Read on the first 1 KB.
 */
function utf16ByNuls(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 1024) & ~1;
  if (n < 16) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul >= pairs * 0.3 && evenNul <= pairs * 0.02) return 'utf-16le';
  if (evenNul >= pairs * 0.3 && oddNul <= pairs * 0.02) return 'utf-16be';
  return null;
}

const isUtf16 = (charset: string | null): boolean => charset === 'utf-16le' || charset === 'utf-16be';

/** Replacement characters per 1000 decoded characters: a declared charset that yields many is wrong. */
function badRate(text: string): number {
  if (text.length === 0) return 0;
  let bad = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) bad++;
  return (bad * 1000) / text.length;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function detect(bytes: Uint8Array): string | null {
  // Before the UTF-8 check: ASCII in UTF-16 is valid UTF-8 too (NUL is a valid character).
  const utf16 = utf16ByNuls(bytes);
  if (utf16) return utf16;
  if (isValidUtf8(bytes)) return 'utf-8';
  // jschardet is slow on very large inputs; a sample decides as well as the whole page.
  const sample = Buffer.from(bytes.subarray(0, 64 * 1024));
  const guess = jschardet().detect(sample, { minimumThreshold: 0.1 });
  return canonicalCharset(guess?.encoding ?? null);
}

/** Node's ICU decoders are several times faster than iconv-lite's; iconv-lite covers the rest. */
function decodeWith(bytes: Uint8Array, charset: string): string {
  let native: InstanceType<typeof TextDecoder> | null = null;
  try {
    native = new TextDecoder(charset);
  } catch {
    native = null;
  }
  if (native) return native.decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), charset);
}

/** Whether the bytes have any non-ASCII byte: only then can UTF-8 and a legacy charset disagree. */
function hasHighBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

/** A decoded text with more than this many replacement characters per 1000 is distrusted. */
const MAX_BAD_PER_1000 = 1;

/**
 * BOM, then the operator's override, then the Content-Type charset, then a `<meta>` prescan, then
 * detection. A declared charset that produces replacement characters is distrusted: detection is
 * tried, and the better of the two decodings is kept. Every decision is reported in `warnings`.
 */
export function decodeBytes(
  bytes: Uint8Array,
  opts: { contentType?: string; charsetOverride?: string | null } = {},
): Decoded {
  const warnings: string[] = [];
  const bom = bomCharset(bytes);
  if (bom) {
    return {
      text: decodeWith(bytes.subarray(bom.length), bom.charset),
      charset: bom.charset,
      via: 'bom',
      warnings,
    };
  }
  // Labels are read lazily, in order: the <meta> prescan (a 4 KB copy and a regex) only runs when
  // neither the override nor the header settles the charset.
  const candidates: Array<{ label: () => string | null; via: Decoded['via'] }> = [
    { label: () => opts.charsetOverride ?? null, via: 'override' },
    { label: () => charsetFromContentType(opts.contentType), via: 'header' },
    { label: () => charsetFromMeta(bytes), via: 'meta' },
  ];
  for (const candidate of candidates) {
    const c = { label: candidate.label(), via: candidate.via };
    if (!c.label) continue;
    const charset = canonicalCharset(c.label);
    if (!charset) {
      warnings.push(`unknown charset "${c.label}" (${c.via}) ignored`);
      continue;
    }
    // A page re-saved as UTF-8 keeps its old gb2312 (or latin-1) label more often than not: valid
    // UTF-8 with non-ASCII bytes is UTF-8 (legacy Chinese text is almost never valid UTF-8).
    if (charset !== 'utf-8' && !isUtf16(charset) && hasHighBytes(bytes) && isValidUtf8(bytes)) {
      warnings.push(`declared charset ${c.label} (${c.via}) but the bytes are valid UTF-8; decoded as utf-8`);
      return { text: decodeWith(bytes, 'utf-8'), charset: 'utf-8', via: 'detected', warnings };
    }
    if (charset !== c.label.trim().toLowerCase()) warnings.push(`charset ${c.label} decoded as ${charset}`);
    const text = decodeWith(bytes, charset);
    if (badRate(text) <= MAX_BAD_PER_1000) return { text, charset, via: c.via, warnings };
    const detected = detect(bytes);
    if (detected && detected !== charset) {
      const alt = decodeWith(bytes, detected);
      if (badRate(alt) < badRate(text)) {
        warnings.push(
          `declared charset ${c.label} (${c.via}) yields replacement characters; detected ${detected} used`,
        );
        return { text: alt, charset: detected, via: 'detected', warnings };
      }
    }
    warnings.push(
      `declared charset ${c.label} (${c.via}) yields replacement characters; kept for lack of better`,
    );
    return { text, charset, via: c.via, warnings };
  }
  const detected = detect(bytes);
  if (detected) {
    if (detected !== 'utf-8') warnings.push(`no charset declared; detected ${detected}`);
    return { text: decodeWith(bytes, detected), charset: detected, via: 'detected', warnings };
  }
  warnings.push('no charset declared or detected; decoded as utf-8');
  return { text: decodeWith(bytes, 'utf-8'), charset: 'utf-8', via: 'default', warnings };
}

const MAGIC: Array<[string, number[]]> = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['ZIP archive (or Office document)', [0x50, 0x4b, 0x03, 0x04]],
  ['gzip data', [0x1f, 0x8b]],
  ['OLE document (doc/xls)', [0xd0, 0xcf, 0x11, 0xe0]],
  ['WebP/RIFF data', [0x52, 0x49, 0x46, 0x46]],
];

/**
 * Why these bytes are not text (a known binary format, or NUL/control bytes), or null when they are.
 * UTF-16 text, with a BOM, labelled as such (`contentType`, `charsetOverride`) or recognised by its
 * NUL pattern, is text.
 */
export function binaryReason(
  bytes: Uint8Array,
  opts: { contentType?: string; charsetOverride?: string | null } = {},
): string | null {
  for (const [name, sig] of MAGIC) {
    if (sig.every((b, i) => bytes[i] === b)) return name;
  }
  if (bomCharset(bytes)?.charset.startsWith('utf-16')) return null;
  const label = canonicalCharset(opts.charsetOverride ?? charsetFromContentType(opts.contentType));
  if (isUtf16(label) || utf16ByNuls(bytes)) return null;
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return 'binary data (NUL bytes)';
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  if (n > 0 && control / n > 0.05) return 'binary data (control bytes)';
  return null;
}
