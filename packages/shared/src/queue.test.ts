import { describe, expect, it } from 'vitest';
import { InvalidPayloadError } from './errors';
import { describePayload, validatePayload } from './queue';

describe('validatePayload', () => {
  it('accepts a valid payload and applies defaults', () => {
    const data = validatePayload('fetch-page', {
      sourceId: 's',
      crawlId: 'c',
      url: 'https://example.gov.cn/a.html',
      kind: 'article',
    });
    expect(data.depth).toBe(0);
    expect(data.referrer).toBeNull();
  });

  it('rejects a bad payload naming the field', () => {
    expect(() =>
      validatePayload('fetch-page', { sourceId: 's', crawlId: 'c', url: 'ftp://x', kind: 'list' }),
    ).toThrow(InvalidPayloadError);
    expect(() => validatePayload('crawl-source', { crawlId: 'c' })).toThrow(/sourceId/);
  });
});

describe('describePayload', () => {
  it('finds the URL and source of a fetch and of a page payload', () => {
    expect(describePayload({ url: 'https://a/', sourceId: 's' })).toEqual({
      url: 'https://a/',
      sourceId: 's',
    });
    expect(describePayload({ page: { url: 'u', finalUrl: 'f', sourceId: null } })).toEqual({
      url: 'f',
      sourceId: null,
    });
    expect(describePayload(undefined)).toEqual({ url: null, sourceId: null });
  });
});
