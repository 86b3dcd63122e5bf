import { z } from 'zod';

/**
 * Configuration is read from the environment once, at start, and every bad variable is reported in
 * one error so an operator fixes them all in one go. Units are in the names (`_MS`, `_BYTES`).
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
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

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/test'),
  /** BullMQ key prefix: separates installations (and test runs) sharing one Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]+$/, 'letters, digits, _ : - only')
    .default('govwire'),
  SOURCES_FILE: z.string().default('seeds/sources.yaml'),

  CRAWLER_CONCURRENCY: int(8),
  PARSER_CONCURRENCY: int(2),
  INDEXER_CONCURRENCY: int(4),
  JOB_ATTEMPTS: int(5),
  JOB_BACKOFF_MS: int(2_000),

  FETCH_CONNECT_TIMEOUT_MS: int(10_000),
  FETCH_HEADERS_TIMEOUT_MS: int(20_000),
  FETCH_BODY_TIMEOUT_MS: int(30_000),
  FETCH_MAX_BYTES: int(10 * 1024 * 1024),
  FETCH_MAX_REDIRECTS: int(5),
  CRAWLER_CONTACT_URL: z.string().url().default('https://github.com/govwire/govwire'),
  /** Hosts that may resolve to loopback/private addresses (the demo mirror, test servers). */
  CRAWLER_ALLOWED_PRIVATE_HOSTS: list,
  CRAWLER_DEFAULT_MIN_INTERVAL_MS: int(1_000),
  CRAWLER_DEFAULT_MAX_IN_FLIGHT: int(2),
  CRAWLER_MAX_CRAWL_DELAY_S: int(30),
  CRAWLER_MAX_LINKS_PER_PAGE: int(500),
  CRAWLER_ROBOTS_CACHE_TTL_S: int(3_600),
  /** A 429/503 Retry-After longer than this is clamped (a host cannot park our jobs for days). */
  CRAWLER_MAX_RETRY_AFTER_S: int(3_600),
  /** Backpressure: stop feeding fetch jobs while the parse queue holds more than this. */
  PARSE_QUEUE_HIGH_WATER: int(1_000),

  /** Retention of finished jobs in Redis (failed ones keep their payloads for replay). */
  COMPLETED_JOBS_KEEP_COUNT: int(1_000),
  COMPLETED_JOBS_KEEP_AGE_S: int(24 * 3600),
  FAILED_JOBS_KEEP_COUNT: int(50_000),
  FAILED_JOBS_KEEP_AGE_S: int(30 * 24 * 3600),

  DASHBOARD_HOST: z.string().default('127.0.0.1'),
  DASHBOARD_PORT: int(3100),
  DASHBOARD_USER: z.string().optional(),
  DASHBOARD_PASSWORD: z.string().optional(),

  METRICS_PORT: int(0),
  DEMO_PORT: int(0),
  EMBEDDED_PG: bool.default(false),
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
