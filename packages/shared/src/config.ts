import { z } from 'zod';

/**
 * Configuration is read from the environment once, at start, and every bad variable is reported in
 * one error so an operator fixes them all in one go. Units are in the names (`_MS`, `_BYTES`).
 */
const int = (def: number) => z.coerce.number().int().nonnegative().default(def);
const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/**
 * Every variable with its meaning: `.describe()` text is what the README's configuration table is
 * generated from (`pnpm -s tsx packages/shared/src/config-docs.ts`), and a test keeps the two equal.
 */
export const configSchema = z.object({
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level of every process'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379').describe('Redis for the BullMQ queues'),
  DATABASE_URL: z
    .string()
    .url()
    .default('postgres://postgres@127.0.0.1:5432/test')
    .describe('PostgreSQL holding the record and the `curated` views'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]+$/, 'letters, digits, _ : - only')
    .default('govwire')
    .describe('BullMQ key prefix: separates installations (and test runs) sharing one Redis'),
  SOURCES_FILE: z.string().default('seeds/sources.yaml').describe('the sources the scheduler crawls'),

  CRAWLER_CONCURRENCY: int(8).describe(
    'fetch jobs one crawler process runs at once (politeness still holds per host)',
  ),
  PARSER_CONCURRENCY: int(2).describe('pages one parser process parses at once (its parse threads)'),
  PARSER_JOBS_PER_THREAD: int(6).describe(
    'parse jobs a parser process holds per parse thread: the others load their pages and queue their articles while one parses',
  ),
  INDEXER_CONCURRENCY: int(4).describe('index jobs one indexer process runs at once'),
  INDEXER_BATCH_SIZE: int(50).describe(
    'index jobs written in one transaction (each still completes or fails alone); twice this many are taken at once; 1: no batches',
  ),
  // 10 ms gathered 12 jobs per batch on average in a reparse (BullMQ hands jobs over one by one);
  // 50 ms gathers ~26, and the same 20k-page reparse ran at 227 pages/s against 201 (means of 6
  // alternating runs each). The wait only delays a job when the queue is nearly empty.
  INDEXER_BATCH_WAIT_MS: int(50).describe(
    'how long a started batch waits for more jobs before it is written',
  ),
  // A shingled stored text is about 4 bytes per character; 256 MB holds some 70,000 texts of
  // 1,000 characters. A candidate missing from it is shingled again under the index lock.
  INDEXER_CACHE_MB: int(256).describe(
    'memory one indexer process keeps shingled stored texts in (the candidates it verifies); 0: none kept',
  ),
  INDEXER_MAX_TITLE_CHARS: int(1_000).describe(
    'longer article titles are cut to this (noted in the warnings)',
  ),
  INDEXER_MAX_TEXT_CHARS: int(500_000).describe(
    'an article with a longer text fails permanently (`article_too_large`)',
  ),
  INDEXER_MAX_METRICS: int(2_000).describe(
    "an article's facts beyond this are dropped, the first kept (noted in the warnings)",
  ),
  JOB_ATTEMPTS: int(5).describe('attempts of a job failing with a transient error before it is failed'),
  JOB_BACKOFF_MS: int(2_000).describe('first retry delay; doubles each attempt, with jitter'),
  JOB_LOCK_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(30_000)
    .describe(
      "a running job's lock, renewed while it runs; a dead worker's job runs again after about this (twice: failed as stalled)",
    ),
  JOB_MAX_PAYLOAD_BYTES: int(16 * 1024 * 1024).describe(
    'a job payload larger than this (JSON) is refused when enqueued, saying so',
  ),
  OUTAGE_MAX_DELAY_MS: int(300_000).describe(
    'a job meeting PostgreSQL or Redis down waits (no attempt used) about as long as the outage has lasted, up to this',
  ),
  RECONCILE_INTERVAL_S: int(60).describe(
    'how often lost work is reconciled: crawls with URLs but no live job, stored pages never parsed, failures not recorded',
  ),
  RECONCILE_GRACE_S: int(600).describe(
    'a stored page or a queued URL younger than this is never taken for lost',
  ),

  FETCH_CONNECT_TIMEOUT_MS: int(10_000).describe('TCP/TLS connect timeout'),
  FETCH_HEADERS_TIMEOUT_MS: int(20_000).describe('time to the response headers'),
  FETCH_BODY_TIMEOUT_MS: int(30_000).describe(
    'longest pause while the body streams in; a whole fetch is cut at connect + headers + twice this',
  ),
  FETCH_MAX_BYTES: int(10 * 1024 * 1024).describe('larger pages fail permanently, saying so'),
  FETCH_MAX_REDIRECTS: int(5).describe(
    'redirect hops followed (each checked against robots.txt and link rules)',
  ),
  CRAWLER_CONTACT_URL: z
    .string()
    .url()
    .default('https://github.com/govwire/govwire')
    .describe('contact URL named in the User-Agent'),
  CRAWLER_ALLOWED_PRIVATE_HOSTS: list.describe(
    'comma-separated `host` or `host:port` entries that may resolve to loopback/private addresses (the demo mirror, test servers)',
  ),
  CRAWLER_DEFAULT_MIN_INTERVAL_MS: int(1_000).describe(
    'per-host minimum interval between requests, unless the source sets one',
  ),
  CRAWLER_DEFAULT_MAX_IN_FLIGHT: int(2).describe(
    'per-host requests in flight across all crawlers, unless the source sets one',
  ),
  CRAWLER_MAX_CRAWL_DELAY_S: int(30).describe(
    'robots.txt Crawl-delay honoured up to this; above it the host is skipped',
  ),
  CRAWLER_MAX_LINKS_PER_PAGE: int(500).describe('links taken from one list page'),
  CRAWLER_ROBOTS_CACHE_TTL_S: int(3_600).describe('how long a robots.txt is cached per host'),
  CRAWLER_MAX_RETRY_AFTER_S: int(3_600).describe(
    'a 429/503 Retry-After longer than this is clamped for the URL it answered (a host cannot park our jobs for days)',
  ),
  CRAWLER_MAX_HOST_BACKOFF_S: int(120).describe(
    'the whole host pauses at most this long for one 429/503 answer; the answered URL alone waits longer',
  ),
  PARSE_QUEUE_HIGH_WATER: int(1_000).describe(
    'backpressure: fetching pauses while the parse queue holds more',
  ),
  CRAWLER_GONE_AFTER_CRAWLS: int(3).describe(
    'an article URL failing permanently (HTTP 4xx) on this many crawls in a row is marked gone and no longer fetched (`pnpm ops gone`); 0 never marks',
  ),

  WORKER_HEARTBEAT_MS: int(10_000).describe(
    'how often a worker announces itself in Redis; one silent for three of these counts as gone',
  ),
  SHUTDOWN_GRACE_MS: int(30_000).describe(
    'on SIGTERM/SIGINT, how long running jobs may take to finish before they are put back in their queue',
  ),

  COMPLETED_JOBS_KEEP_COUNT: int(1_000).describe('completed jobs kept in Redis (count)'),
  COMPLETED_JOBS_KEEP_AGE_S: int(24 * 3600).describe('completed jobs kept in Redis (age)'),
  FAILED_JOBS_KEEP_COUNT: int(50_000).describe(
    'failed jobs kept in Redis with their payloads, for replay (count)',
  ),
  FAILED_JOBS_KEEP_AGE_S: int(30 * 24 * 3600).describe(
    'failed jobs kept in Redis (age); older ones are replayed from the Postgres `failures` table',
  ),

  DASHBOARD_HOST: z.string().default('127.0.0.1').describe('address the dashboard binds to'),
  DASHBOARD_PORT: int(3100).describe('dashboard port'),
  DASHBOARD_USER: z
    .string()
    .optional()
    .describe('basic-auth user; required unless the dashboard binds to localhost only'),
  DASHBOARD_PASSWORD: z
    .string()
    .optional()
    .describe('basic-auth password (at least 12 characters); the board it opens is read-only'),
  DASHBOARD_ADMIN_USER: z
    .string()
    .optional()
    .describe('user of the admin board (`/admin`: retry, delete, clean, pause); no admin board without it'),
  DASHBOARD_ADMIN_PASSWORD: z
    .string()
    .optional()
    .describe('password of the admin board (at least 12 characters)'),
  DASHBOARD_ALLOWED_HOSTS: list.describe(
    'comma-separated host names the dashboard answers to besides `DASHBOARD_HOST` and localhost (any other `Host:` header is refused)',
  ),
  DASHBOARD_LOGIN_MAX_FAILURES: int(10).describe(
    'failed logins from one address before it is locked out of the dashboard',
  ),
  DASHBOARD_LOGIN_LOCKOUT_S: int(900).describe(
    'how long failed logins are remembered, and an address locked out',
  ),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}
