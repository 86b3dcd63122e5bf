import { UnrecoverableError, Worker } from 'bullmq';
import { sql } from 'kysely';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  closeServiceDeps,
  createDb,
  createServiceDeps,
  FailureOutbox,
  flushFailureOutbox,
  isOutageError,
  PermanentError,
  startQueueWorker,
  syncFailedSet,
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

// What a worker does when PostgreSQL or Redis goes away, and how no final failure is ever lost:
// on the machine's real services, with outages made for real (a closed port, terminated backends,
// killed Redis connections), never with fakes.
let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

/** A port nothing listens on: connecting there fails at once with ECONNREFUSED. */
const DEAD_DB = 'postgres://postgres@127.0.0.1:1/none';

const opened: ServiceDeps[] = [];
const workers: StartedWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  for (const d of opened.splice(0)) {
    await deleteQueuePrefix(d.config.REDIS_URL, d.config.QUEUE_PREFIX);
    await closeServiceDeps(d);
  }
});

function deps(env: Record<string, string> = {}, prefix?: string): ServiceDeps {
  const config = testConfig({ DATABASE_URL: tdb.url, JOB_ATTEMPTS: '2', ...env });
  const d = createServiceDeps('test', prefix ? { ...config, QUEUE_PREFIX: prefix } : config);
  opened.push(d);
  return d;
}

function crawlerWorker(d: ServiceDeps, fetch: HandlerMap<'crawler'>['fetch-page']): StartedWorker {
  const w = startQueueWorker('crawler', d, { 'fetch-page': fetch, 'crawl-source': async () => undefined }, 2);
  workers.push(w);
  return w;
}

const payload = (url: string) => ({ sourceId: 'src', crawlId: 'c1', url, kind: 'article' as const });
const uid = () => `job-${Math.random().toString(36).slice(2)}`;
const failureRow = (jobId: string) =>
  tdb.db.selectFrom('failures').selectAll().where('job_id', '=', jobId).executeTakeFirst();

/** The error a query raises against a PostgreSQL that is not there. */
async function refusedQueryError(): Promise<unknown> {
  const dead = createDb(DEAD_DB, { max: 1 });
  try {
    await sql`select 1`.execute(dead);
  } catch (err) {
    return err;
  } finally {
    await dead.destroy();
  }
  throw new Error('the dead database answered');
}

describe('outage classification, on real errors', () => {
  it('takes a refused PostgreSQL connection for an outage, on the configured port only', async () => {
    const err = await refusedQueryError();
    expect(isOutageError(err, [1, 6379])).toBe(true);
    expect(isOutageError(err, [5432, 6379])).toBe(false);
  });

  it('takes a terminated backend (57P01, a restart) for an outage', async () => {
    const client = new pg.Client({ connectionString: tdb.url });
    client.on('error', () => undefined);
    await client.connect();
    const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    await sql`select pg_terminate_backend(${pid})`.execute(tdb.db);
    const err = await client.query('select 1').catch((e: unknown) => e);
    await client.end().catch(() => undefined);
    expect(isOutageError(err, [])).toBe(true);
  });

  it('takes a closed Redis connection for an outage', async () => {
    const redis = new Redis(testConfig().REDIS_URL, { maxRetriesPerRequest: 0, lazyConnect: true });
    redis.on('error', () => undefined);
    await redis.connect();
    redis.disconnect();
    const err = await redis.get('x').catch((e: unknown) => e);
    expect(isOutageError(err, [])).toBe(true);
  });

  it('never takes a classified error for one: a fetched site refusing connections spends attempts', async () => {
    const refused = await refusedQueryError();
    expect(isOutageError(new TransientError('network', 'site refused', { cause: refused }), [1])).toBe(false);
    expect(isOutageError(new PermanentError('http_404', 'gone'), [])).toBe(false);
    expect(isOutageError(new Error('duplicate key value violates unique constraint'), [])).toBe(false);
  });
});

describe('an outage is a wait, not a spent attempt', () => {
  it('delays a job that meets PostgreSQL down, then runs it once it answers', async () => {
    const d = deps({ DATABASE_URL: DEAD_DB, OUTAGE_MAX_DELAY_MS: '100' });
    const refused = await refusedQueryError();
    let calls = 0;
    crawlerWorker(d, async () => {
      calls++;
      if (calls <= 3) throw refused; // three outages with JOB_ATTEMPTS=2
      return 'done';
    });
    const job = await d.queues.enqueue('fetch-page', payload('https://a.gov.cn/outage'), { jobId: uid() });
    const done = await waitFor(async () => {
      const j = await d.queues.get('crawler').getJob(String(job.id));
      return j?.finishedOn ? j : undefined;
    });
    expect(done.returnvalue).toBe('done');
    expect(calls).toBe(4);
    expect(await failureRow(String(job.id))).toBeUndefined();
  });
});

describe('no final failure is lost', () => {
  it('keeps a failure in the Redis outbox while PostgreSQL is down, and writes it once it answers', async () => {
    const down = deps({ DATABASE_URL: DEAD_DB });
    crawlerWorker(down, async () => {
      throw new PermanentError('http_404', 'HTTP 404 Not Found');
    });
    const jobId = uid();
    await down.queues.enqueue('fetch-page', payload('https://a.gov.cn/gone'), { jobId });
    const outbox = new FailureOutbox(down.redis, down.config.QUEUE_PREFIX);
    await waitFor(async () => (await outbox.size()) === 1, { what: 'failure in the outbox' });
    expect(await failureRow(jobId)).toBeUndefined();

    // PostgreSQL answers again (the same installation, a live DATABASE_URL).
    const up = deps({}, down.config.QUEUE_PREFIX);
    expect(await flushFailureOutbox(up)).toBe(1);
    expect(await outbox.size()).toBe(0);
    expect(await failureRow(jobId)).toMatchObject({
      queue: 'crawler',
      error_code: 'http_404',
      permanent: true,
      url: 'https://a.gov.cn/gone',
    });
    expect(await flushFailureOutbox(up)).toBe(0);
  });

  it('records a job BullMQ fails for stalling twice, which the processor never sees', async () => {
    const d = deps({ JOB_LOCK_MS: '1000' });
    const jobId = uid();
    await d.queues.enqueue('fetch-page', payload('https://a.gov.cn/stalls'), { jobId });
    // A worker that takes the job and dies with it (never renews its lock), twice.
    const dying = new Worker('crawler', null, {
      connection: d.redis.duplicate(),
      prefix: d.config.QUEUE_PREFIX,
      lockDuration: 1000,
      stalledInterval: 500,
      autorun: false,
    });
    dying.on('error', () => undefined);
    try {
      for (let stall = 1; stall <= 2; stall++) {
        const job = await waitFor(() => dying.getNextJob(`dead-${stall}`), { what: `take ${stall}` });
        expect(job.id).toBe(jobId);
        void dying.startStalledCheckTimer();
        await waitFor(async () => (await d.queues.get('crawler').getJobState(jobId)) === 'waiting', {
          what: `stall ${stall}`,
        });
      }
    } finally {
      await dying.close(true);
    }
    let ran = false;
    crawlerWorker(d, async () => {
      ran = true;
      return 'ran';
    });
    const row = await waitFor(() => failureRow(jobId), { what: 'stalled failure row' });
    expect(ran).toBe(false);
    expect(row).toMatchObject({ queue: 'crawler', error_code: 'stalled', permanent: false });
    expect(row.error).toMatch(/stalled more than allowable limit/);
    expect(await d.queues.get('crawler').getJobState(jobId)).toBe('failed');
  });

  it('finds failed jobs missing from failures and records them once', async () => {
    const d = deps();
    // A worker with no recording at all: its failures reach only BullMQ's failed set.
    const bare = new Worker(
      'crawler',
      async () => {
        throw new UnrecoverableError('[http_410] https://a.gov.cn/x answered 410');
      },
      { connection: d.redis.duplicate(), prefix: d.config.QUEUE_PREFIX },
    );
    bare.on('error', () => undefined);
    const ids = [uid(), uid(), uid()];
    for (const [i, id] of ids.entries()) {
      await d.queues.enqueue('fetch-page', payload(`https://a.gov.cn/x${i}`), { jobId: id });
    }
    await waitFor(async () => (await d.queues.get('crawler').getFailedCount()) === 3, { what: '3 failed' });
    await bare.close();
    expect(await syncFailedSet(d, 'crawler')).toBe(3);
    for (const id of ids) {
      expect(await failureRow(id)).toMatchObject({ error_code: 'http_410', permanent: true });
    }
    expect(await syncFailedSet(d, 'crawler')).toBe(0);
  });
});

describe('connections that die', () => {
  it('a pg client killed inside a transaction fails that transaction, not the process', async () => {
    const d = deps();
    const err = await d.db
      .transaction()
      .execute(async (tx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
        await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(tdb.db);
        await new Promise((r) => setTimeout(r, 200)); // the 'error' event arrives between statements
        await sql`select 1`.execute(tx);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    // The pool drops the dead client and connects anew.
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(d.db);
    expect(rows).toEqual([{ one: 1 }]);
  });

  it('a worker whose PostgreSQL and Redis connections are all cut keeps taking jobs', async () => {
    const d = deps();
    const w = crawlerWorker(d, async (data) => {
      await sql`select ${data.url}::text`.execute(d.db);
      return 'ok';
    });
    const run = async (n: number) => {
      const job = await d.queues.enqueue('fetch-page', payload(`https://a.gov.cn/${n}`), { jobId: uid() });
      return waitFor(async () => (await d.queues.get('crawler').getJob(String(job.id)))?.returnvalue, {
        what: `job ${n}`,
      });
    };
    expect(await run(1)).toBe('ok');
    const dbName = new URL(tdb.url).pathname.slice(1);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
              where datname = ${dbName} and pid <> pg_backend_pid()`.execute(tdb.db);
    // Every Redis connection of this installation: the shared one, the worker's, and its blocking
    // one (BullMQ names it after the prefix). Never other tests' connections.
    const admin = d.redis.duplicate();
    const ids = [
      String(await d.redis.client('ID')),
      String(await ((await w.worker.client) as unknown as Redis).client('ID')),
    ];
    for (const line of String(await admin.client('LIST')).split('\n')) {
      if (line.includes(`name=${d.config.QUEUE_PREFIX}:`)) ids.push(/\bid=(\d+)/.exec(line)![1]!);
    }
    expect(ids.length).toBeGreaterThanOrEqual(3);
    for (const id of ids) await admin.client('KILL', 'ID', id);
    admin.disconnect();
    expect(await run(2)).toBe('ok');
    expect(await run(3)).toBe('ok');
  });
});

describe('hostile payloads', () => {
  it('refuses an oversize payload when enqueued, and nothing reaches Redis', async () => {
    const d = deps({ JOB_MAX_PAYLOAD_BYTES: String(64 * 1024) });
    const big = 'x'.repeat(200 * 1024);
    await expect(
      d.queues.enqueue('fetch-page', { ...payload(`https://a.gov.cn/?q=${big}`) }, { jobId: uid() }),
    ).rejects.toThrow(/fetch-page payload is \d+ bytes of JSON, more than JOB_MAX_PAYLOAD_BYTES \(65536\)/);
    // A field the schema does not know is stripped, but its size is still the caller's bug.
    const stuffed = { ...payload('https://a.gov.cn/ok'), attachment: big } as never;
    await expect(d.queues.enqueue('fetch-page', stuffed, { jobId: uid() })).rejects.toMatchObject({
      code: 'payload_too_large',
    });
    expect(await d.queues.get('crawler').count()).toBe(0);
    await d.queues.enqueue('fetch-page', payload('https://a.gov.cn/ok'), { jobId: uid() });
    expect(await d.queues.get('crawler').count()).toBe(1);
  });
});
