import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '@govwire/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@govwire/shared/testing';
import { crawlIdFor, startCrawl } from '../src/jobs/crawl-source.job';
import { loadSources, parseSourcesYaml } from '../src/sources/source-config';
import { schedulerId, syncSchedulers, syncSources } from '../src/sources/sync';
import { createTestDatabase, startHarness, waitFor, type Harness } from './harness';
import { articlePage, html, listPage, startSite } from './site';

let tdb: TestDatabase;
let h: Harness;

beforeAll(async () => {
  tdb = await createTestDatabase();
  h = await startHarness(tdb, { PARSE_QUEUE_HIGH_WATER: '2' }, { workers: 1 });
});
afterAll(async () => {
  await h.stop();
  await tdb.drop();
});

const yaml = (entries: string) => `sources:\n${entries}`;
const entry = (id: string, extra = '') =>
  `  - id: ${id}\n    name: ${id}\n    startUrls: [http://www.${id}.gov.cn/]\n${extra}`;

describe('sources table and job schedulers follow the file', () => {
  it('creates, changes and removes schedulers; disables sources gone from the file', async () => {
    const v1 = parseSourcesYaml(
      yaml(
        entry('zj', '    schedule: { cron: "0 7 * * *" }\n') +
          entry('kq', '    schedule: { cron: "30 7 * * *", timezone: UTC }\n') +
          entry('off', '    enabled: false\n    schedule: { cron: "0 8 * * *" }\n') +
          entry('nosched'),
      ),
    );
    await syncSources(h.deps.db, v1);
    expect(await syncSchedulers(h.deps.queues, v1)).toEqual({
      upserted: ['zj', 'kq'],
      unchanged: [],
      removed: [],
    });
    const queue = h.deps.queues.get('crawler');
    const s1 = await queue.getJobSchedulers(0, -1);
    expect(s1.map((s) => [s.key, s.pattern, s.tz]).sort()).toEqual([
      [schedulerId('kq'), '30 7 * * *', 'UTC'],
      [schedulerId('zj'), '0 7 * * *', 'Asia/Shanghai'],
    ]);
    const rows = await h.deps.db
      .selectFrom('sources')
      .select(['id', 'enabled', 'schedule'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: 'kq', enabled: true, schedule: '30 7 * * * (UTC)' },
      { id: 'nosched', enabled: true, schedule: null },
      { id: 'off', enabled: false, schedule: '0 8 * * * (Asia/Shanghai)' },
      { id: 'zj', enabled: true, schedule: '0 7 * * * (Asia/Shanghai)' },
    ]);

    // zj changes its cron, kq is disabled, off is enabled, nosched leaves the file.
    const v2 = parseSourcesYaml(
      yaml(
        entry('zj', '    schedule: { cron: "0 19 * * *" }\n') +
          entry('kq', '    enabled: false\n    schedule: { cron: "30 7 * * *", timezone: UTC }\n') +
          entry('off', '    schedule: { cron: "0 8 * * *" }\n'),
      ),
    );
    const { disabled } = await syncSources(h.deps.db, v2);
    expect(disabled).toEqual(['nosched']);
    expect(await syncSchedulers(h.deps.queues, v2)).toEqual({
      upserted: ['zj', 'off'],
      unchanged: [],
      removed: ['kq'],
    });
    expect(await syncSchedulers(h.deps.queues, v2)).toEqual({
      upserted: [],
      unchanged: ['zj', 'off'],
      removed: [],
    });
    const s2 = await queue.getJobSchedulers(0, -1);
    expect(s2.map((s) => [s.key, s.pattern]).sort()).toEqual([
      [schedulerId('off'), '0 8 * * *'],
      [schedulerId('zj'), '0 19 * * *'],
    ]);
    // Each scheduler's next run is a crawl-source job with trigger `schedule`.
    const next = (await queue.getJobs(['delayed'])).filter((j) => j.name === 'crawl-source');
    expect(next.map((j) => j.data).sort((a, b) => a.sourceId.localeCompare(b.sourceId))).toEqual([
      { sourceId: 'off', crawlId: 'scheduled', trigger: 'schedule' },
      { sourceId: 'zj', crawlId: 'scheduled', trigger: 'schedule' },
    ]);
    // Their ids carry the scheduled time, which crawlIdFor turns into the run's crawl id.
    for (const j of next) expect(j.id).toMatch(/^repeat:crawl-source-(off|zj):\d{13}$/);
    await syncSchedulers(h.deps.queues, []);
    expect(await queue.getJobSchedulers(0, -1)).toEqual([]);
  });

  it('gives a scheduled run a crawl id from its scheduled time', () => {
    const data = { sourceId: 'zj', crawlId: 'scheduled', trigger: 'schedule' as const };
    expect(crawlIdFor(data, { id: 'repeat:crawl-source-zj:1795651200000', timestamp: 1 })).toBe(
      'zj:2026-11-26T00:00:00.000Z',
    );
    expect(crawlIdFor({ ...data, crawlId: 'zj:manual' }, { id: 'x', timestamp: 1 })).toBe('zj:manual');
  });
});

describe('startCrawl', () => {
  it('names an unknown source and the known ones', async () => {
    const err = await startCrawl(h.deps, 'nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/unknown source "nope"; known sources: .*zj/);
  });

  it('crawls a disabled source by hand, syncing it from SOURCES_FILE when the table lacks it', async () => {
    const site = await startSite({
      '/': html(listPage('demo', ['/a.html'])),
      '/a.html': html(articlePage('演示', ['一'])),
    });
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'govwire-sources-'));
      const file = path.join(dir, 'sources.yaml');
      writeFileSync(
        file,
        yaml(`  - { id: demo-local, name: demo, enabled: false, startUrls: ["${site.url('/')}"] }\n`),
      );
      expect(loadSources(file)[0]!.enabled).toBe(false);
      const { crawlId, jobId } = await startCrawl(
        { ...h.deps, config: { ...h.config, SOURCES_FILE: file } },
        'demo-local',
        'demo',
      );
      expect(crawlId).toMatch(/^demo-local:\d{4}-/);
      expect(jobId).toMatch(/^crawl-[0-9a-f]{40}$/);
      await waitFor(
        async () =>
          (await h.deps.db.selectFrom('crawls').select('status').where('id', '=', crawlId).executeTakeFirst())
            ?.status === 'done',
        {
          what: 'demo crawl',
        },
      );
      expect(site.hits('/a.html')).toHaveLength(1);
      const crawl = await h.deps.db
        .selectFrom('crawls')
        .selectAll()
        .where('id', '=', crawlId)
        .executeTakeFirstOrThrow();
      expect(crawl.trigger).toBe('demo');
    } finally {
      await site.close();
    }
  });
});

describe('backpressure', () => {
  it('holds fetches while the parse queue is above PARSE_QUEUE_HIGH_WATER, then resumes', async () => {
    const parser = h.deps.queues.get('parser');
    await parser.drain(true);
    // Three parse jobs waiting (> 2) and no parser running.
    const page = {
      url: 'http://x/a',
      finalUrl: 'http://x/a',
      sourceId: null,
      crawlId: null,
      fetchedAt: new Date().toISOString(),
      status: 200,
      contentHash: '0'.repeat(64),
    };
    for (let i = 1; i <= 3; i++)
      await h.deps.queues.enqueue('parse-page', { page: { ...page, pageId: i, url: `http://x/${i}` } });
    // The waiting count is cached for half a second per process; let an older answer expire.
    await new Promise((r) => setTimeout(r, 600));
    const site = await startSite({
      '/': html(listPage('bp', ['/b.html'])),
      '/b.html': html(articlePage('压力', ['一'])),
    });
    try {
      await h.addSource({ id: 'bp', startUrls: [site.url('/')] });
      const { crawlId } = await startCrawl(h.deps, 'bp');
      await waitFor(async () => (await h.deps.queues.get('crawler').getDelayedCount()) > 0, {
        what: 'a delayed fetch',
      });
      expect(site.requests).toHaveLength(0);
      await parser.drain(true);
      await waitFor(
        async () =>
          (await h.deps.db.selectFrom('crawls').select('status').where('id', '=', crawlId).executeTakeFirst())
            ?.status === 'done',
        {
          what: 'crawl after the parse queue drained',
        },
      );
      expect(site.hits('/b.html')).toHaveLength(1);
    } finally {
      await site.close();
    }
  });
});
