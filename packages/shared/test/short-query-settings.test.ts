import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServiceDeps, createDb, createServiceDeps, SHORT_QUERY_SETTINGS, type Db } from '../src';
import { createTestDatabase, deleteQueuePrefix, testConfig, type TestDatabase } from '../src/testing';

const settingsOf = async (db: Db) => {
  const { rows } = await sql<{ parallel: string; jit: string }>`
    select current_setting('max_parallel_workers_per_gather') as parallel, current_setting('jit') as jit`.execute(
    db,
  );
  return rows[0]!;
};

// Why these settings: services/indexer/test/unanalyzed-plans.test.ts shows the plan they prevent.
describe('SHORT_QUERY_SETTINGS', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => tdb?.drop());

  it('every connection of a worker pool runs with SHORT_QUERY_SETTINGS', async () => {
    expect(SHORT_QUERY_SETTINGS).toEqual({ max_parallel_workers_per_gather: '0', jit: 'off' });
    const config = testConfig({ DATABASE_URL: tdb.url });
    const deps = createServiceDeps('test', config);
    try {
      // Several connections at once: the settings come with each, not with the first only.
      const all = await Promise.all(Array.from({ length: 4 }, () => settingsOf(deps.db)));
      expect(all).toEqual(Array.from({ length: 4 }, () => ({ parallel: '0', jit: 'off' })));
    } finally {
      await closeServiceDeps(deps);
      await deleteQueuePrefix(config.REDIS_URL, config.QUEUE_PREFIX);
    }
  });

  it("keeps the operator's own options, which win over ours", async () => {
    const url = new URL(tdb.url);
    url.searchParams.set('options', '-c statement_timeout=4321 -c jit=on');
    const fromUrl = createDb(url.toString(), { max: 1, settings: SHORT_QUERY_SETTINGS });
    const saved = process.env.PGOPTIONS;
    process.env.PGOPTIONS = '-c lock_timeout=1234';
    const fromEnv = createDb(tdb.url, { max: 1, settings: SHORT_QUERY_SETTINGS });
    try {
      expect(await settingsOf(fromUrl)).toEqual({ parallel: '0', jit: 'on' });
      const { rows } = await sql<{ t: string }>`select current_setting('statement_timeout') as t`.execute(
        fromUrl,
      );
      expect(rows[0]!.t).toBe('4321ms');
      expect(await settingsOf(fromEnv)).toEqual({ parallel: '0', jit: 'off' });
      const lock = await sql<{ t: string }>`select current_setting('lock_timeout') as t`.execute(fromEnv);
      expect(lock.rows[0]!.t).toBe('1234ms');
    } finally {
      if (saved === undefined) delete process.env.PGOPTIONS;
      else process.env.PGOPTIONS = saved;
      await fromUrl.destroy();
      await fromEnv.destroy();
    }
  });

  it('test databases have them; a plain pool keeps the server defaults', async () => {
    expect(await settingsOf(tdb.db)).toEqual({ parallel: '0', jit: 'off' });
    const plain = createDb(tdb.url, { max: 1 });
    try {
      expect((await settingsOf(plain)).parallel).not.toBe('0');
    } finally {
      await plain.destroy();
    }
  });
});
