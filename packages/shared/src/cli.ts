import { ConfigError } from './config';
import { UsageError } from './errors';
import { redactSecrets } from './redact';

/**
 * Runs a command-line entry point: a user's mistake (bad flag, bad config, a service not running)
 * prints one line saying what and why, never a stack trace. `GOVWIRE_DEBUG=1` shows the stack.
 */
export async function runCli(main: () => Promise<number | void>): Promise<void> {
  try {
    const code = await main();
    process.exitCode = code ?? 0;
  } catch (err) {
    process.exitCode = err instanceof UsageError ? 2 : 1;
    console.error(`error: ${redactSecrets(describeCliError(err))}`);
    if (process.env.GOVWIRE_DEBUG && err instanceof Error) console.error(redactSecrets(err.stack ?? ''));
  }
}

export function describeCliError(err: unknown): string {
  if (err instanceof UsageError || err instanceof ConfigError) return err.message;
  const e = err as { code?: string; message?: string; address?: string; port?: number; errors?: unknown[] };
  // pg and ioredis surface refused connections as AggregateError/ECONNREFUSED; name the service.
  if (e?.code === 'ECONNREFUSED' || (Array.isArray(e?.errors) && e.errors.length > 0)) {
    const inner = (Array.isArray(e.errors) ? e.errors[0] : e) as { port?: number; address?: string };
    const what = inner?.port === 6379 ? 'Redis' : inner?.port === 5432 ? 'PostgreSQL' : 'a service';
    return `cannot connect to ${what} at ${inner?.address ?? '?'}:${inner?.port ?? '?'} (is it running? check REDIS_URL / DATABASE_URL)`;
  }
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
