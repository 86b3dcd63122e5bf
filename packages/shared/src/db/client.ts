import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './types';

export type Db = Kysely<Database>;
/** Repository functions accept either, so callers choose the transaction boundary. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const DATE_OID = 1082;

/**
 * pg returns int8 and numeric as strings by default. Our ids and counts stay far below 2^53, and
 * metric values are doubles by nature, so the pool parses both to numbers; dates stay `YYYY-MM-DD`.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    if (oid === DATE_OID) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  },
};

export interface CreateDbOptions {
  max?: number;
  /** Connection errors (a restart, a dropped socket); logged by the caller. Default: ignored. */
  onError?: (err: unknown) => void;
  /** How long to wait for a connection (a new one, or a free one from the pool). */
  connectTimeoutMs?: number;
  /**
   * Server settings for every connection of the pool (`name=value`, sent when it connects), e.g.
   * SHORT_QUERY_SETTINGS.
   */
  settings?: Record<string, string>;
}

/**
 * What the connections of the workers and of the ops CLI set. Their statements read and write a
 * few rows by index, on a machine the pipeline already keeps busy; the planner's estimates for
 * them are wrong while a table has no statistics (autovacuum off, as on our CI machine, or a table
 * grown since it was analyzed):
 * - it took 50 article ids for 36,000 rows and ran a two-worker parallel scan: 114 ms a call in
 *   the second half of a 100k reparse instead of ~1 ms;
 * - it compiled JIT code for a 30 ms candidate look-up (375 ms), and for each keyset page of 500
 *   pages `ops reparse` enqueues (30-50 ms a page instead of 1-2 ms).
 * Neither a parallel plan nor JIT pays for itself on a few rows, whatever the estimate says.
 */
export const SHORT_QUERY_SETTINGS: Record<string, string> = {
  max_parallel_workers_per_gather: '0',
  jit: 'off',
};

/**
 * The connection string and libpq `options` that carry `settings`. An `options` the operator gave
 * (in the URL, or PGOPTIONS) is kept and comes last, so it wins over ours: pg would otherwise let
 * the URL's replace ours silently, or ours replace PGOPTIONS.
 */
function withStartupSettings(
  connectionString: string,
  settings: Record<string, string>,
): { connectionString: string; options: string | undefined } {
  const ours = Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`);
  if (ours.length === 0) return { connectionString, options: undefined };
  let given = process.env.PGOPTIONS;
  let rest = connectionString;
  try {
    const url = new URL(connectionString);
    const inUrl = url.searchParams.get('options');
    if (inUrl !== null) {
      given = inUrl;
      url.searchParams.delete('options');
      rest = url.toString();
    }
  } catch {
    // Not a URL: no options of its own to keep.
  }
  return { connectionString: rest, options: [...ours, ...(given ? [given] : [])].join(' ') };
}

export function createDb(connectionString: string, opts: CreateDbOptions = {}): Db {
  const startup = withStartupSettings(connectionString, opts.settings ?? {});
  const pool = new pg.Pool({
    connectionString: startup.connectionString,
    max: opts.max ?? 10,
    types: types as never,
    // Without a bound, a query waits forever for a server that accepts no connections.
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    keepAlive: true,
    options: startup.options,
  });
  const onError = opts.onError ?? (() => undefined);
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', onError);
  // Nor may a client that is checked out (inside a transaction, between two statements) when the
  // server goes away: pg emits 'error' on the client itself, which the pool only listens to while
  // the client is idle. The dead client is dropped when released (pg marks it not queryable).
  pool.on('connect', (client) => client.on('error', onError));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
