import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  closeServiceDeps,
  createServiceDeps,
  pagesRepo,
  sha1Hex,
  sha256Hex,
  type ServiceDeps,
} from '@govwire/shared';
import {
  createTestDatabase,
  deleteQueuePrefix,
  testConfig,
  waitFor,
  type TestDatabase,
} from '@govwire/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * `pnpm --filter @govwire/parser start` and `pnpm parse` run bundles (run.mjs, build.mjs → dist/), not the
 * TypeScript the other tests load: these run the bundles as processes on a real page, so a module
 * a bundle cannot load (a path read relative to a source file, a package left out) fails here.
 */
const PARSER_DIR = fileURLToPath(new URL('..', import.meta.url));
const PAGE = `${PARSER_DIR}test/corpus/pages/seed-000.news-portal.html`;

let tdb: TestDatabase;
let deps: ServiceDeps;
let child: ChildProcess | undefined;

beforeAll(async () => {
  const build = spawnSync('node', ['build.mjs', '--if-stale'], { cwd: PARSER_DIR, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  tdb = await createTestDatabase();
  deps = createServiceDeps('parser-test', testConfig({ DATABASE_URL: tdb.url }));
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (deps) {
    await closeServiceDeps(deps);
    await deleteQueuePrefix(deps.config.REDIS_URL, deps.config.QUEUE_PREFIX);
  }
  await tdb?.drop();
});

describe('pnpm --silent parse (node run.mjs cli: dist/cli.mjs)', () => {
  it('prints the article of a local page as JSON', () => {
    const r = spawnSync('pnpm', ['--silent', 'parse', PAGE], { cwd: `${PARSER_DIR}../..`, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { title: string; text: string };
    expect(out.title).toBe('Tops in the province once again!|蝉联!全省优秀!');
    expect(out.text).toContain('柯桥区');
  }, 60_000);
});

describe('the built parser service (node run.mjs main: dist/main.mjs)', () => {
  it('starts, parses a stored page into an index-article job, and stops on SIGTERM', async () => {
    const bytes = readFileSync(PAGE);
    const page = {
      url: 'http://news.test/a/1.html',
      finalUrl: 'http://news.test/a/1.html',
      sourceId: 'test-source',
      crawlId: 'test-source:2026-01-01T00:00:00Z',
      status: 200,
      contentHash: sha256Hex(bytes),
    };
    const fetchedAt = new Date();
    const pageId = await pagesRepo.savePage(deps.db, {
      ...page,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      bodyGzip: gzipSync(bytes),
      bytes: bytes.length,
      fetchedAt,
    });
    const env = {
      ...process.env,
      DATABASE_URL: tdb.url,
      QUEUE_PREFIX: deps.config.QUEUE_PREFIX,
      LOG_LEVEL: 'info',
    };
    const started = spawn('node', ['run.mjs', 'main'], {
      cwd: PARSER_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let log = '';
    started.stdout.on('data', (c: Buffer) => (log += c.toString()));
    started.stderr.on('data', (c: Buffer) => (log += c.toString()));
    await waitFor(async () => log.includes('"msg":"parser started"'), {
      what: 'parser started',
      timeoutMs: 30_000,
    });

    await deps.queues.enqueue(
      'parse-page',
      { page: { ...page, pageId, fetchedAt: fetchedAt.toISOString(), charsetOverride: null } },
      { jobId: 'built-1' },
    );
    const expectedId = `index:${page.contentHash}:${sha1Hex(page.finalUrl)}`;
    const indexer = deps.queues.get('indexer');
    const job = await waitFor(async () => indexer.getJob(expectedId), {
      what: 'index-article job',
      timeoutMs: 30_000,
    });
    const article = (job.data as { article: { title: string; text: string } }).article;
    // The page's own <h1> and a sentence of its body (services/parser/test/corpus/pages/seed-000.news-portal.html).
    expect(article.title).toContain('蝉联!全省优秀!');
    expect(article.text).toContain('柯桥区');

    const exited = new Promise<number | null>((r) => started.once('exit', r));
    started.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(log).not.toMatch(/"level":(50|60)/);
  }, 90_000);
});
