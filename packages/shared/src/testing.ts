import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { loadConfig, type Config } from './config';
import { createDb, SHORT_QUERY_SETTINGS, type Db } from './db/client';
import { migrateToLatest } from './db/migrate';

// Tests and benchmarks remove their queue prefix afterwards with the same function the demo uses.
export { deleteQueuePrefix } from './queue';

/**
 * Test helpers for medium tests on the machine's real Redis and PostgreSQL: a fresh database per
 * test file and a unique queue prefix per test, both removed afterwards.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/**
 * The integration tests' global setup (packages/shared/test/redis-key-guard.ts) gives every test
 * process of one run an id in this variable. Queue prefixes carry it, so after the run the guard
 * finds exactly this run's leftover keys, whatever other runs share the Redis meanwhile.
 */
export const TEST_RUN_ENV = 'GOVWIRE_TEST_RUN';

/** What every queue prefix of run `run` starts with (then `_`): `gwtest` when no run is named. */
export function testPrefixStem(run = process.env[TEST_RUN_ENV]): string {
  return run ? `gwtest_${run}` : 'gwtest';
}

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

export async function createTestDatabase(baseUrl = loadConfig().DATABASE_URL): Promise<TestDatabase> {
  const name = uniqueName('govwire_test');
  const admin = createDb(baseUrl, { max: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin);
  await admin.destroy();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  // The workers' settings, so tests and benchmarks plan queries as the services do.
  const db = createDb(url.toString(), { max: 5, settings: SHORT_QUERY_SETTINGS });
  await migrateToLatest(db);
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.destroy();
      const admin2 = createDb(baseUrl, { max: 1 });
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin2);
      await admin2.destroy();
    },
  };
}

/** A config for one test: its own queue prefix and database, fast retries. */
export function testConfig(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  return loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    QUEUE_PREFIX: uniqueName(testPrefixStem()),
    JOB_BACKOFF_MS: '50',
    ...overrides,
  });
}

/** Polls until `check` returns a truthy value or the timeout passes. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  { timeoutMs = 20_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface ReaderLogin {
  name: string;
  /** Connected as the login, to the test database. */
  db: Db;
  drop(): Promise<void>;
}

/**
 * A downstream app's login as docs/data-contract.md tells operators to create it: LOGIN, member of
 * govwire_reader, its own statement timeout. Roles are cluster-wide, so the name is unique per call;
 * drop() removes the role.
 */
export async function createReaderLogin(tdb: TestDatabase): Promise<ReaderLogin> {
  const name = uniqueName('gw_reader');
  await sql`create role ${sql.id(name)} login in role govwire_reader`.execute(tdb.db);
  await sql`alter role ${sql.id(name)} set statement_timeout = '30s'`.execute(tdb.db);
  const url = new URL(tdb.url);
  url.username = name;
  url.password = '';
  const db = createDb(url.toString(), { max: 2 });
  return {
    name,
    db,
    async drop() {
      await db.destroy();
      await sql`drop role if exists ${sql.id(name)}`.execute(tdb.db);
    },
  };
}
