import type { Logger } from './logger';

/**
 * A handler for a connection's 'error' events (pg pools and clients, ioredis, BullMQ queues). Without
 * one, Node kills the process on the first 'error' (a PostgreSQL restart, 57P01); with a plain logger,
 * a Redis that is down for a minute writes thousands of lines (ioredis reconnects every few hundred
 * ms). So: the first error at once, then one line per interval with how many were left out. The
 * connection itself reconnects; the commands that failed meanwhile are the callers' to handle.
 */
export function connectionErrorLogger(
  logger: Pick<Logger, 'warn'> | undefined,
  connection: string,
  intervalMs = 30_000,
): (err: unknown) => void {
  let lastAt = 0;
  let suppressed = 0;
  return (err) => {
    const now = Date.now();
    if (now - lastAt < intervalMs) {
      suppressed++;
      return;
    }
    logger?.warn({ err, connection, suppressed }, `${connection} error`);
    lastAt = now;
    suppressed = 0;
  };
}
