import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsedArticleSchema } from '@govwire/shared';
import { describe, expect, it } from 'vitest';
import { SEED_EXPECTATIONS, checkSegments } from './fixtures/expectations';
import { TEMPLATE_CHROME, loadSeed, renderSeedAsHtml, type TemplateKind } from './fixtures/templates';
import { parseArticle, parseDocument } from './parse';

const SEEDS = fileURLToPath(new URL('../../../seeds/documents/', import.meta.url));
const isLatin = (s: string) => (s.match(/[A-Za-z]/g)?.length ?? 0) > s.length / 3;

describe.each(SEED_EXPECTATIONS)('seed $file', (exp) => {
  const bytes = readFileSync(SEEDS + exp.file);

  it('as text: keeps what the README keeps, removes what it removes', () => {
    const r = parseDocument({ bytes });
    expect(parsedArticleSchema.safeParse(r).success).toBe(true);
    const { failed } = checkSegments(
      r.text,
      r.paragraphs.map((p) => p.text),
      exp,
    );
    expect(failed).toEqual([]);
    expect(r.publishedAt).toBe(exp.publishedAt);
    expect(r.language).toBe(exp.language);
    if (exp.title) expect(r.title).toBe(exp.title);
    // Contract with metrics: paragraphs are blank-line separated and their offsets index `text`.
    for (const p of r.paragraphs) expect(r.text.slice(p.start, p.end)).toBe(p.text);
    expect(r.text.split('\n\n')).toEqual(r.paragraphs.map((p) => p.text));
  });

  it('parseArticle is parseDocument without the metrics', () => {
    const { metrics, ...withoutMetrics } = parseDocument({ bytes });
    void metrics;
    const article = parseArticle({ bytes });
    expect(article).not.toHaveProperty('metrics');
    expect(article).toEqual(withoutMetrics);
  });

  const kinds: TemplateKind[] = exp.hasChinese
    ? ['district-portal', 'wechat-mirror', 'news-portal', 'wordpress-copy']
    : ['english-district', 'district-portal', 'wechat-mirror'];
  it.each(kinds)('as a %s page: same segments, and none of the template chrome', (kind) => {
    const doc = loadSeed(SEEDS + exp.file);
    const page = renderSeedAsHtml(doc, kind);
    const r = parseDocument({ bytes: page.bytes, headers: { 'content-type': page.contentType } });
    // The English site template shows the English paragraphs only.
    const keep = kind === 'english-district' ? isLatin : () => true;
    const { failed } = checkSegments(
      r.text,
      r.paragraphs.map((p) => p.text),
      exp,
      TEMPLATE_CHROME[kind],
      keep,
    );
    expect(failed).toEqual([]);
    expect(['zh-Hans', 'zh-Hant', 'en', 'mixed']).toContain(r.language);
    if (exp.title)
      expect(r.title).toBe(kind === 'english-district' ? exp.title.split('|')[0]!.trim() : exp.title);
  });
});

describe('seed 000 rendered as a GBK district portal', () => {
  it('is decoded as GB18030 despite declaring gb2312, and reads date and source from the info bar', () => {
    const doc = loadSeed(`${SEEDS}000_470bb5686944492e.txt`);
    const page = renderSeedAsHtml(doc, 'district-portal');
    expect(page.charset).toBe('gb18030');
    const r = parseDocument({ bytes: page.bytes, headers: { 'content-type': 'text/html' } });
    expect(r.charset).toBe('gb18030');
    expect(r.warnings.join(' ')).toMatch(/gb2312/);
    expect(r.publishedAt).toBe('2023-03-28');
    expect(r.source).toBe('柯桥发布');
    expect(r.removed.boilerplate.join('\n')).toMatch(/浙ICP备/);
    expect(r.removed.boilerplate.join('\n')).toMatch(/网站访问统计隐藏文本/);
  });
});

describe('seed 003 (traditional, pinyin debris, spam lists)', () => {
  const r = parseDocument({ bytes: readFileSync(`${SEEDS}003_c3625e4dd3ccaf1d.txt`) });
  it('reports the spam lists and the keyword line under spamLinks', () => {
    const spam = r.removed.spamLinks.join('\n');
    expect(spam).toContain('關鍵詞');
    expect(spam).toContain('手機回收');
    expect(spam).toContain('10 百濟神州');
  });
  it('flags the mojibake and does not invent a repair', () => {
    expect(r.warnings.some((w) => /mojibake/.test(w) && w.includes('稊'))).toBe(true);
    expect(r.text).not.toContain('之一。《數字化');
  });
  it('keeps a simplified form beside the traditional text', () => {
    expect(r.text).toContain('南湖區');
    expect(r.textSimplified).toContain('南湖区');
    expect(r.textSimplified).toContain('城乡居民收入倍差缩小至1.49:1');
  });
});

describe('seed 004 (injected spam terms)', () => {
  it('reports every removed term under spamTerms and re-joins what they split', () => {
    const r = parseDocument({ bytes: readFileSync(`${SEEDS}004_809b2510820eaeed.txt`) });
    expect(r.removed.spamTerms).toEqual(
      expect.arrayContaining(['九宮格', '共享空間', '個人空間', '舞蹈教室']),
    );
    expect(r.text).toContain('63830元');
    expect(r.source).toBe('中國網');
  });
});
