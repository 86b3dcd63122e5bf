import { QueueEvents } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  closeServiceDeps,
  createServiceDeps,
  DelayJobError,
  PermanentError,
  startQueueWorker,
  TransientError,
  type HandlerMap,
  type ServiceDeps,
  type StartedWorker,
} from '../src';
import {
  createTestDatabase,
  deleteQueuePrefix,
  testConfig,
  waitFor,
  type TestDatabase,
} from '../src/testing';

// The worker wrapper encodes the retry policy: these tests run it on the real Redis and Postgres.
let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

let deps: ServiceDeps;
let started: StartedWorker | undefined;
afterEach(async () => {
  await started?.stop();
  started = undefined;
  await deleteQueuePrefix(deps.config.REDIS_URL, deps.config.QUEUE_PREFIX);
  await closeServiceDeps(deps);
});

const fetchPayload = (url: string) => ({
  sourceId: 'src',
  crawlId: 'crawl-1',
  url,
  kind: 'article' as const,
});
// Job ids are unique per test (BullMQ's counters restart with each fresh prefix; the table is shared).
const jobOpts = () => ({ jobId: `job-${Math.random().toString(36).slice(2)}` });

function start(handler: HandlerMap<'crawler'>['fetch-page']) {
  deps = createServiceDeps('test', testConfig({ DATABASE_URL: tdb.url, JOB_ATTEMPTS: '3' }));
  const handlers: HandlerMap<'crawler'> = {
    'fetch-page': handler,
    'crawl-source': async () => undefined,
  };
  started = startQueueWorker('crawler', deps, handlers, 2);
  return deps;
}

describe('queue worker wrapper', () => {
  it('fails a PermanentError at once and records it in Postgres', async () => {
    let calls = 0;
    start(async () => {
      calls++;
      throw new PermanentError('http_404', 'HTTP 404 Not Found');
    });
    const job = await deps.queues.enqueue('fetch-page', fetchPayload('https://a.gov.cn/404'), jobOpts());
    const row = await waitFor(
      () => tdb.db.selectFrom('failures').selectAll().where('job_id', '=', String(job.id)).executeTakeFirst(),
      { what: 'failure row' },
    );
    expect(calls).toBe(1);
    expect(row).toMatchObject({ queue: 'crawler', error_code: 'http_404', permanent: true, attempts: 1 });
    expect(row.url).toBe('https://a.gov.cn/404');
    expect((await deps.queues.get('crawler').getJob(String(job.id)))?.failedReason).toMatch(/HTTP 404/);
  });

  it('retries a TransientError and succeeds without recording a failure', async () => {
    let calls = 0;
    start(async () => {
      calls++;
      if (calls < 3) throw new TransientError('http_503', 'HTTP 503');
      return 'ok';
    });
    const events = new QueueEvents('crawler', {
      connection: deps.redis.duplicate(),
      prefix: deps.config.QUEUE_PREFIX,
    });
    await events.waitUntilReady();
    const job = await deps.queues.enqueue('fetch-page', fetchPayload('https://a.gov.cn/flaky'), jobOpts());
    await expect(job.waitUntilFinished(events, 20_000)).resolves.toBe('ok');
    await events.close();
    expect(calls).toBe(3);
    const rows = await tdb.db
      .selectFrom('failures')
      .selectAll()
      .where('job_id', '=', String(job.id))
      .execute();
    expect(rows).toHaveLength(0);
  });

  it('records a failure once retries are exhausted', async () => {
    start(async () => {
      throw new TransientError('timeout', 'body timeout');
    });
    const job = await deps.queues.enqueue('fetch-page', fetchPayload('https://a.gov.cn/slow'), jobOpts());
    const row = await waitFor(
      () => tdb.db.selectFrom('failures').selectAll().where('job_id', '=', String(job.id)).executeTakeFirst(),
      { what: 'failure row' },
    );
    expect(row).toMatchObject({ permanent: false, attempts: 3, error_code: 'timeout' });
  });

  it('delays a job without using up an attempt', async () => {
    let calls = 0;
    start(async () => {
      calls++;
      if (calls <= 3) throw new DelayJobError(Date.now() + 30, 'host busy');
      return 'done';
    });
    const job = await deps.queues.enqueue('fetch-page', fetchPayload('https://a.gov.cn/polite'), jobOpts());
    const done = await waitFor(async () => {
      const j = await deps.queues.get('crawler').getJob(String(job.id));
      return j?.finishedOn ? j : undefined;
    });
    // Three delays with JOB_ATTEMPTS=3 would have exhausted the attempts had they counted.
    expect(done.returnvalue).toBe('done');
    expect(calls).toBe(4);
  });

  it('resolves the failure rows of jobs that complete, and only theirs, before it stops', async () => {
    start(async () => 'ok');
    const ids = Array.from({ length: 5 }, () => jobOpts().jobId);
    const other = jobOpts().jobId;
    const row = (queue: string, jobId: string) => ({
      queue,
      job_id: jobId,
      job_name: 'fetch-page',
      error_code: 'http_503',
      error: 'HTTP 503',
      attempts: 3,
      permanent: false,
      payload: '{}',
    });
    // A failed row for each job about to complete; one for a job that does not run; one in another
    // queue under a completing job's id.
    await tdb.db
      .insertInto('failures')
      .values([...ids.map((id) => row('crawler', id)), row('crawler', other), row('parser', ids[0]!)])
      .execute();
    const events = new QueueEvents('crawler', {
      connection: deps.redis.duplicate(),
      prefix: deps.config.QUEUE_PREFIX,
    });
    await events.waitUntilReady();
    const jobs = await Promise.all(
      ids.map((jobId) =>
        deps.queues.enqueue('fetch-page', fetchPayload(`https://a.gov.cn/${jobId}`), { jobId }),
      ),
    );
    await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 20_000)));
    await events.close();
    // Stopping writes the resolutions still waiting to be grouped: no polling needed after it.
    await started!.stop();
    started = undefined;
    const rows = await tdb.db
      .selectFrom('failures')
      .select(['queue', 'job_id', 'status'])
      .where('job_id', 'in', [...ids, other])
      .execute();
    const statusOf = (queue: string, id: string) =>
      rows.find((r) => r.queue === queue && r.job_id === id)?.status;
    expect(ids.map((id) => statusOf('crawler', id))).toEqual(ids.map(() => 'succeeded'));
    expect(statusOf('crawler', other)).toBe('failed');
    expect(statusOf('parser', ids[0]!)).toBe('failed');
  });

  it('rejects an invalid payload when enqueued', async () => {
    start(async () => undefined);
    await expect(deps.queues.enqueue('fetch-page', { url: 'x' } as never)).rejects.toThrow(/payload invalid/);
  });
});
