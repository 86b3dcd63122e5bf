import { GovwireError } from './errors';

/**
 * An outage of PostgreSQL or Redis is a wait, not a failure of the job: whatever the job was doing
 * will work once the service answers again, so it must not spend the job's attempts (23 fetches of a
 * crawl used all five in 16 s of a PostgreSQL restart). These are the errors that mean "the service
 * is not there", as pg, pg-pool and ioredis raise them.
 */

/** SQLSTATEs of a server that is unreachable, restarting or full, not of a bad query. */
const OUTAGE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: terminating connection due to administrator command (a restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '53300', // too_many_connections
]);
/** Socket errors: on a raw (unwrapped) error they come from our own connections. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const OUTAGE_MESSAGES = [
  /^Connection terminated/i, // pg: unexpectedly / due to connection timeout
  /timeout exceeded when trying to connect/i, // pg-pool: no connection in connectionTimeoutMillis
  /Client has encountered a connection error and is not queryable/i,
  /^Connection is closed\.?$/i, // ioredis
  /Stream isn't writeable/i, // ioredis with the offline queue off
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
];

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  port?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * True when `err` (or what caused it) says PostgreSQL or Redis is unavailable. A GovwireError never
 * is: it is a domain error the code already classified, such as a fetched site refusing connections
 * (`TransientError('network')`), which must spend attempts. Socket errors that name a port count
 * only for `servicePorts` (the ports of DATABASE_URL and REDIS_URL), or for any port when the
 * caller talks to nothing else (`'any'`: code that only queries PostgreSQL).
 */
export function isOutageError(err: unknown, servicePorts: readonly number[] | 'any' = []): boolean {
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): boolean => {
    if (!e || typeof e !== 'object' || seen.has(e) || depth > 5) return false;
    seen.add(e);
    if (e instanceof GovwireError) return false;
    const x = e as ErrorLike;
    if (x.name === 'MaxRetriesPerRequestError') return true;
    if (typeof x.code === 'string') {
      if (/^08[0-9A-Z]{3}$/.test(x.code) || OUTAGE_SQLSTATES.has(x.code)) return true;
      if (SOCKET_CODES.has(x.code)) {
        return typeof x.port !== 'number' || servicePorts === 'any' || servicePorts.includes(x.port);
      }
    }
    if (typeof x.message === 'string' && OUTAGE_MESSAGES.some((re) => re.test(x.message as string))) {
      return true;
    }
    if (Array.isArray(x.errors) && x.errors.some((inner) => visit(inner, depth + 1))) return true;
    return visit(x.cause, depth + 1);
  };
  return visit(err, 0);
}

/** The ports of the configured PostgreSQL and Redis (defaults 5432 and 6379 when a URL has none). */
export function servicePortsOf(urls: { DATABASE_URL: string; REDIS_URL: string }): number[] {
  const port = (url: string, fallback: number) => {
    try {
      return Number(new URL(url).port) || fallback;
    } catch {
      return fallback;
    }
  };
  return [port(urls.DATABASE_URL, 5432), port(urls.REDIS_URL, 6379)];
}

/**
 * How long a job waits when it meets an outage: about as long as the outage has lasted so far
 * (so the waits double while it goes on), at least `minMs`, at most `maxMs`, with jitter so the
 * delayed jobs do not all come back in the same second. One per worker; a job that completes
 * ends the outage.
 */
export class OutageBackoff {
  private since: number | undefined;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {}

  delayMs(now = Date.now()): number {
    this.since ??= now;
    const base = Math.min(this.maxMs, Math.max(this.minMs, now - this.since));
    return Math.min(this.maxMs, Math.round(base * (1 + Math.random() * 0.5)));
  }

  get ongoingSince(): number | undefined {
    return this.since;
  }

  ended(): void {
    this.since = undefined;
  }
}
