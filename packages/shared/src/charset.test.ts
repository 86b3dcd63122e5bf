import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { binaryReason, decodeBytes } from './charset';

const SENTENCE = '柯桥区地区生产总值1901亿元，增长4.5%。朱镕基';

describe('decodeBytes', () => {
  it('trusts a BOM first', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(SENTENCE)]);
    const d = decodeBytes(bytes, { contentType: 'text/html; charset=gbk' });
    expect(d.text).toBe(SENTENCE);
    expect(d.via).toBe('bom');
  });

  it('decodes UTF-16 with a BOM', () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(SENTENCE, 'utf16le')]);
    expect(decodeBytes(bytes).text).toBe(SENTENCE);
  });

  it('uses the Content-Type charset, and decodes gb2312/gbk as GB18030', () => {
    // 镕 is in GBK but not in GB2312: pages labelled gb2312 use it anyway.
    const bytes = iconv.encode(SENTENCE, 'gbk');
    const d = decodeBytes(bytes, { contentType: 'text/html; charset=GB2312' });
    expect(d.text).toBe(SENTENCE);
    expect(d.charset).toBe('gb18030');
    expect(d.warnings.join(' ')).toMatch(/GB2312.*gb18030/i);
  });

  it('falls back to the <meta> prescan', () => {
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body><p>${SENTENCE}</p></body></html>`;
    const d = decodeBytes(iconv.encode(html, 'gbk'), { contentType: 'text/html' });
    expect(d.via).toBe('meta');
    expect(d.text).toContain(SENTENCE);
  });

  it('distrusts a declared charset that yields replacement characters and detects instead', () => {
    const html = `<html><head><meta charset="utf-8"></head><body>${'<p>' + SENTENCE.repeat(20) + '</p>'}</body></html>`;
    const d = decodeBytes(iconv.encode(html, 'gb18030'));
    expect(d.text).toContain(SENTENCE);
    expect(d.via).toBe('detected');
    expect(d.warnings.join(' ')).toMatch(/replacement characters/);
  });

  it('lets the source override win over a lying header', () => {
    const hant = '南湖區城鄉居民收入倍差縮小至1.49:1。';
    const bytes = iconv.encode(hant, 'big5');
    const d = decodeBytes(bytes, { contentType: 'text/html; charset=utf-8', charsetOverride: 'big5' });
    expect(d.via).toBe('override');
    expect(d.text).toBe(hant);
  });

  it('detects an undeclared encoding', () => {
    const bytes = iconv.encode(`<p>${SENTENCE.repeat(30)}</p>`, 'gb18030');
    expect(decodeBytes(bytes).text).toContain(SENTENCE);
  });
});

describe('mislabelled and UTF-16 pages', () => {
  const page = (charsetMeta: string) =>
    `<html><head><meta http-equiv="Content-Type" content="text/html; charset=${charsetMeta}"></head><body><p>${SENTENCE}</p></body></html>`;

  it('decodes valid UTF-8 behind a gb2312 meta or a GBK header as UTF-8, saying so', () => {
    const bytes = new TextEncoder().encode(page('gb2312'));
    const viaMeta = decodeBytes(bytes, { contentType: 'text/html' });
    expect(viaMeta.text).toContain(SENTENCE);
    expect(viaMeta.charset).toBe('utf-8');
    expect(viaMeta.warnings.join(' ')).toMatch(/gb2312.*valid UTF-8/);
    const viaHeader = decodeBytes(bytes, { contentType: 'text/html; charset=GBK' });
    expect(viaHeader.text).toContain(SENTENCE);
    expect(viaHeader.charset).toBe('utf-8');
  });

  it('still decodes GBK bytes behind a gb2312 label, and behind a UTF-8 label', () => {
    const gbk = iconv.encode(page('gb2312').replace('<p>', `<p>${SENTENCE.repeat(5)}`), 'gbk');
    expect(decodeBytes(gbk).charset).toBe('gb18030');
    expect(decodeBytes(gbk).text).toContain(SENTENCE);
    const lying = decodeBytes(gbk, { contentType: 'text/html; charset=utf-8' });
    expect(lying.text).toContain(SENTENCE);
    expect(lying.charset).toBe('gb18030');
  });

  it('decodes UTF-16 labelled by header or recognised by its NUL bytes, without a BOM', () => {
    const le = Buffer.from(page('utf-16'), 'utf16le');
    expect(binaryReason(le, { contentType: 'text/html; charset=utf-16le' })).toBeNull();
    expect(decodeBytes(le, { contentType: 'text/html; charset=utf-16le' }).text).toContain(SENTENCE);
    expect(binaryReason(le)).toBeNull();
    expect(decodeBytes(le).text).toContain(SENTENCE);
    const be = Buffer.from(le).swap16();
    expect(binaryReason(be)).toBeNull();
    expect(decodeBytes(be, { contentType: 'text/html; charset=UTF-16BE' }).text).toContain(SENTENCE);
    expect(decodeBytes(be).text).toContain(SENTENCE);
  });
});

describe('binaryReason', () => {
  it('recognises images, PDFs and NUL bytes, and passes text', () => {
    expect(binaryReason(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toMatch(/PNG/);
    expect(binaryReason(new TextEncoder().encode('%PDF-1.7\n'))).toMatch(/PDF/);
    expect(binaryReason(new Uint8Array([0x41, 0x00, 0x42]))).toMatch(/NUL/);
    expect(binaryReason(new TextEncoder().encode(SENTENCE))).toBeNull();
  });
});
