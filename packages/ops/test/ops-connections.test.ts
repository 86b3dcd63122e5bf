import { deleteQueuePrefix } from '@govwire/shared';
import { createTestDatabase, testConfig, type TestDatabase } from '@govwire/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeOpsContext, createOpsContext } from '../src/ops/context';

// Without them, each keyset page `ops reparse` reads of 100k stored pages compiled JIT code:
// 30-50 ms a page instead of 1-2 ms (see SHORT_QUERY_SETTINGS).
describe('ops CLI connections', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => tdb?.drop());

  it('plan without JIT or parallel workers', async () => {
    const config = testConfig({ DATABASE_URL: tdb.url });
    const ctx = createOpsContext(config);
    try {
      const { rows } = await sql<{ parallel: string; jit: string }>`
        select current_setting('max_parallel_workers_per_gather') as parallel,
               current_setting('jit') as jit`.execute(ctx.db);
      expect(rows[0]).toEqual({ parallel: '0', jit: 'off' });
    } finally {
      await closeOpsContext(ctx);
      await deleteQueuePrefix(config.REDIS_URL, config.QUEUE_PREFIX);
    }
  });
});
