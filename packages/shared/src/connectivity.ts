import { Redis } from 'ioredis';
import pg from 'pg';
import { UsageError } from './errors';
import { redactSecrets, redactUrl } from './redact';

export { redactUrl };

/**
 * Command-line tools check their services up front: the workers' Redis connection retries forever
 * (right for a daemon, wrong for a person at a terminal), so without this a CLI would hang when
 * Redis or PostgreSQL is down instead of saying so in one line.
 */
export async function assertServicesReachable(
  urls: { redisUrl?: string; databaseUrl?: string },
  timeoutMs = 3_000,
): Promise<void> {
  const problems: string[] = [];
  if (urls.redisUrl) {
    const redis = new Redis(urls.redisUrl, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      problems.push(
        `cannot reach Redis at ${redactUrl(urls.redisUrl)} (${reason(err)}): is it running? check REDIS_URL`,
      );
    } finally {
      redis.disconnect();
    }
  }
  if (urls.databaseUrl) {
    const client = new pg.Client({ connectionString: urls.databaseUrl, connectionTimeoutMillis: timeoutMs });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
    } catch (err) {
      problems.push(
        `cannot reach PostgreSQL at ${redactUrl(urls.databaseUrl)} (${reason(err)}): is it running? check DATABASE_URL`,
      );
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (problems.length) throw new UsageError(problems.join('; '));
}

function reason(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: Array<{ code?: string }> };
  return redactSecrets(e?.code ?? e?.errors?.[0]?.code ?? e?.message ?? String(err));
}
