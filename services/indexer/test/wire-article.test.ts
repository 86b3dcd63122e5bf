import {
  closeServiceDeps,
  compactArticle,
  createServiceDeps,
  indexArticleJob,
  parsedArticleSchema,
  startQueueWorker,
  wireArticleSchema,
  type ParsedArticle,
  type ServiceDeps,
  type StartedWorker,
} from '@govwire/shared';
import {
  createTestDatabase,
  deleteQueuePrefix,
  testConfig,
  waitFor,
  type TestDatabase,
} from '@govwire/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedArticles, seedPage } from './fixtures/seed-articles';

// An index job carries its article's text once (see wireArticleSchema): what the indexer reads
// must be the article the parser wrote, to the character, whichever copies were left out.

/** How often `s` stands in the JSON of `value`, as JSON writes it. */
function occurrences(value: unknown, s: string): number {
  return JSON.stringify(value).split(JSON.stringify(s).slice(1, -1)).length - 1;
}

/** The longest paragraph of an article: long enough to stand only where the text is copied. */
const longest = (a: ParsedArticle) =>
  a.paragraphs.reduce((x, p) => (p.text.length > x.text.length ? p : x)).text;

describe('the wire form of an article', () => {
  it.each(seedArticles())('reads back as the article it was written from: $file', ({ article }) => {
    const wire = JSON.parse(JSON.stringify(compactArticle(article)));
    expect(wireArticleSchema.parse(wire)).toEqual(parsedArticleSchema.parse(article));
  });

  it('carries the text of a simplified-Chinese article once, where the article holds it three times', () => {
    const { article } = seedArticles().find((s) => s.article.textSimplified === s.article.text)!;
    const p = longest(article);
    expect(occurrences(article, p)).toBe(3);
    expect(occurrences(compactArticle(article), p)).toBe(1);
  });

  it('keeps a converted text that differs, and the text of a paragraph that is not its slice', () => {
    const { article } = seedArticles().find((s) => s.article.textSimplified !== s.article.text)!;
    const [first, ...rest] = article.paragraphs;
    // A producer whose paragraph differs from its offsets' slice (here, trimmed of its last
    // character): the wire form must not replace it with the slice.
    const odd = { ...first!, text: first!.text.slice(0, -1) };
    const written = { ...article, paragraphs: [odd, ...rest] };
    const wire = compactArticle(written);
    expect(wire.textSimplified).toBe(article.textSimplified);
    expect(wire.paragraphs[0]).toEqual(odd);
    expect(wire.paragraphs.slice(1).every((p) => p.text === undefined)).toBe(true);
    expect(wireArticleSchema.parse(JSON.parse(JSON.stringify(wire)))).toEqual(
      parsedArticleSchema.parse(written),
    );
  });

  it('refuses a paragraph without text whose offsets lie beyond the text, saying where', () => {
    const { article } = seedArticles()[0]!;
    const wire = compactArticle(article);
    const end = article.text.length + 5;
    const bad = { ...wire, paragraphs: [{ lang: 'zh-Hans', start: 0, end }] };
    const r = wireArticleSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ['paragraphs', 0] });
    expect(r.error!.issues[0]!.message).toContain(`0-${end} of ${article.text.length}`);
  });
});

describe('an index job through Redis', () => {
  let tdb: TestDatabase;
  let deps: ServiceDeps;
  let worker: StartedWorker | undefined;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    deps = createServiceDeps('test', testConfig({ DATABASE_URL: tdb.url }));
  });
  afterAll(async () => {
    await worker?.stop();
    await closeServiceDeps(deps);
    await deleteQueuePrefix(deps.config.REDIS_URL, deps.config.QUEUE_PREFIX);
    await tdb.drop();
  });

  it('is stored in its wire form and handed to the indexer in full', async () => {
    const { file, article } = seedArticles().find((s) => s.article.textSimplified === s.article.text)!;
    const page = { ...seedPage(file), pageId: 1 };
    const job = await deps.queues.enqueue('index-article', { article, page }, { jobId: 'wire-1' });
    const key = `${deps.config.QUEUE_PREFIX}:indexer:${job.id}`;
    const stored = JSON.parse((await deps.redis.hget(key, 'data'))!);
    expect(stored.article.textSimplified).toBeUndefined();
    expect(stored.article.paragraphs.every((p: { text?: string }) => p.text === undefined)).toBe(true);
    expect(occurrences(stored, longest(article))).toBe(1);

    const received: unknown[] = [];
    worker = startQueueWorker(
      'indexer',
      deps,
      { 'index-article': async (data) => void received.push(data) },
      1,
    );
    await waitFor(async () => received[0], { what: 'the job handled' });
    expect(received[0]).toEqual(indexArticleJob.parse({ article, page }));
    expect((received[0] as { article: ParsedArticle }).article.paragraphs).toEqual(article.paragraphs);
  });
});
