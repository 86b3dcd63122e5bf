import { userInfo } from 'node:os';
import {
  connectionErrorLogger,
  createDb,
  createLogger,
  createRedis,
  Queues,
  SHORT_QUERY_SETTINGS,
  type Config,
  type Db,
  type Logger,
} from '@govwire/shared';
import type { Redis } from 'ioredis';

/** Progress of a long command: a bar on a terminal, plain lines otherwise (see progress.ts). */
export interface ProgressReporter {
  start(total: number, label: string): void;
  tick(n?: number): void;
  stop(): void;
}

export const silentProgress: ProgressReporter = { start() {}, tick() {}, stop() {} };

/** What every ops command works with; tests build one on their own database and queue prefix. */
export interface OpsContext {
  config: Config;
  db: Db;
  redis: Redis;
  queues: Queues;
  logger: Logger;
  /** Who is acting, for the audit log: the OS user. */
  actor: string;
  /** Human-readable notes while a command runs ("will replay 300 jobs"); silent under --json. */
  note: (line: string) => void;
  progress: ProgressReporter;
}

export function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    // A container user without a passwd entry has no name; the uid is still someone.
    return process.env.USER ?? `uid:${process.getuid?.() ?? '?'}`;
  }
}

export function createOpsContext(config: Config, overrides: Partial<OpsContext> = {}): OpsContext {
  const logger = createLogger('ops', config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const redis = createRedis(config.REDIS_URL, connectionErrorLogger(logger, 'redis'));
  return {
    config,
    db: createDb(config.DATABASE_URL, {
      max: 8,
      onError: connectionErrorLogger(logger, 'postgres'),
      settings: SHORT_QUERY_SETTINGS,
    }),
    redis,
    queues: new Queues(redis, config, connectionErrorLogger(logger, 'queue')),
    logger,
    actor: operatorName(),
    note: () => {},
    progress: silentProgress,
    ...overrides,
  };
}

export async function closeOpsContext(ctx: OpsContext): Promise<void> {
  await ctx.queues.close();
  await ctx.db.destroy();
  // quit, not disconnect: replies still in flight are awaited rather than failed as "Connection is closed".
  await ctx.redis.quit().catch(() => ctx.redis.disconnect());
}
