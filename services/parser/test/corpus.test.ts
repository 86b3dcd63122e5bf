import { parsedArticleSchema } from '@govwire/shared';
import { describe, expect, it } from 'vitest';
import { parseArticle, parseDocument, type ParseResult } from '../src/parse';
import { ctx } from './support/context';
import { checkPage, loadCorpus, pageBytes, type CorpusEntry } from './corpus/manifest';

/**
 * The committed corpus (test/corpus, see its README): every page parsed, checked against the
 * expectations written for it from its own text.
 */
const corpus = loadCorpus();

function parse(e: CorpusEntry): ParseResult {
  return parseDocument(ctx, { bytes: pageBytes(e), headers: { 'content-type': e.contentType } });
}

describe('the corpus', () => {
  it('holds at least 60 pages of every kind', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    const kinds = new Set(corpus.map((e) => e.kind));
    for (const k of [
      'hanweb',
      'trs',
      'wechat-served',
      'wechat-mirror',
      'en-daily',
      'wordpress-spam',
      'bad-input',
    ])
      expect(kinds).toContain(k);
  });
});

describe.each(corpus.filter((e) => e.expect.error))('$id', (e) => {
  it(`fails with ${e.expect.error}`, () => {
    expect(() => parse(e)).toThrow(expect.objectContaining({ code: e.expect.error }));
  });
});

describe.each(corpus.filter((e) => !e.expect.error))('$id', (e) => {
  const r = parse(e);

  it('keeps what must stay and drops what must go', () => {
    expect(checkPage(e, { text: r.text, paragraphs: r.paragraphs.map((p) => p.text) }).failed).toEqual([]);
  });

  it('reads title, date, source and language', () => {
    const { title, publishedAt, source, language } = e.expect;
    if (title !== undefined) expect(r.title).toBe(title);
    if (publishedAt !== undefined) expect(r.publishedAt).toBe(publishedAt);
    if (source !== undefined) expect(r.source).toBe(source);
    if (language !== undefined) expect(r.language).toBe(language);
  });

  it('keeps the article contract: a valid payload whose paragraph offsets index the text', () => {
    expect(parsedArticleSchema.safeParse(r).success).toBe(true);
    for (const p of r.paragraphs) expect(r.text.slice(p.start, p.end)).toBe(p.text);
    expect(r.text.split('\n\n')).toEqual(r.paragraphs.map((p) => p.text));
    for (const m of r.metrics)
      for (const ev of m.evidence) expect(r.text.slice(ev.start, ev.end)).toBe(ev.text);
  });
});

describe('parseArticle', () => {
  it('is parseDocument without the metrics', () => {
    for (const e of corpus.filter((x) => !x.expect.error).slice(0, 12)) {
      const { metrics, ...withoutMetrics } = parse(e);
      void metrics;
      const article = parseArticle(ctx, { bytes: pageBytes(e), headers: { 'content-type': e.contentType } });
      expect(article).toEqual(withoutMetrics);
    }
  });
});
