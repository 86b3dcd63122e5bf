import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { QueueName } from './jobs';

/**
 * Workers announce themselves in Redis so operators can tell "nothing to do" from "nobody there":
 * each worker refreshes a key that expires after three missed beats, and lists its id in a set per
 * queue. Redis expires the key, so no clock is compared across machines; a reader drops ids whose
 * key is gone (a worker killed without saying goodbye).
 */
export interface WorkerAnnouncement {
  id: string;
  queue: QueueName;
  host: string;
  pid: number;
  concurrency: number;
  /** The govwire version the worker runs. */
  version: string;
  startedAt: string;
  /** When the worker last announced itself (its own clock). */
  beatAt: string;
}

/** A worker is taken as gone after this many heartbeat intervals without a beat. */
export const MISSED_BEATS_UNTIL_GONE = 3;

const workersKey = (prefix: string, queue: QueueName) => `${prefix}:workers:${queue}`;
const workerKey = (prefix: string, id: string) => `${prefix}:worker:${id}`;

/** The version in packages/shared/package.json: every service runs from the same workspace. */
export function govwireVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface Heartbeat {
  readonly id: string;
  /** Stops beating and withdraws the announcement at once (a stopping worker takes no new jobs). */
  stop(): Promise<void>;
}

export function announceWorker(
  redis: Redis,
  opts: {
    prefix: string;
    queue: QueueName;
    concurrency: number;
    intervalMs: number;
    onError: (err: unknown) => void;
  },
): Heartbeat {
  const host = hostname();
  const id = `${host}:${process.pid}:${opts.queue}:${randomBytes(3).toString('hex')}`;
  const base = {
    id,
    queue: opts.queue,
    host,
    pid: process.pid,
    concurrency: opts.concurrency,
    version: govwireVersion(),
    startedAt: new Date().toISOString(),
  };
  const intervalMs = Math.max(100, opts.intervalMs);
  let pending: Promise<unknown> | null = null;
  const beat = () => {
    // During a Redis outage commands queue up: one beat in flight is enough.
    if (pending) return;
    const value: WorkerAnnouncement = { ...base, beatAt: new Date().toISOString() };
    // Two plain commands, not MULTI: when the connection is closed under it, ioredis rejects the
    // MULTI command's own promise too, where no catch reaches it (an unhandled rejection). Not
    // atomic, and need not be: a listed id whose key is missing is read as gone.
    pending = Promise.all([
      redis.sadd(workersKey(opts.prefix, opts.queue), id),
      redis.set(
        workerKey(opts.prefix, id),
        JSON.stringify(value),
        'PX',
        intervalMs * MISSED_BEATS_UNTIL_GONE,
      ),
    ])
      .catch(opts.onError)
      .finally(() => {
        pending = null;
      });
  };
  beat();
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return {
    id,
    async stop() {
      clearInterval(timer);
      await pending;
      await Promise.all([
        redis.srem(workersKey(opts.prefix, opts.queue), id),
        redis.del(workerKey(opts.prefix, id)),
      ]).catch(opts.onError);
    },
  };
}

/** The workers of a queue that announced themselves recently, oldest first. */
export async function listWorkers(
  redis: Redis,
  prefix: string,
  queue: QueueName,
): Promise<WorkerAnnouncement[]> {
  const ids = await redis.smembers(workersKey(prefix, queue));
  if (ids.length === 0) return [];
  const values = await redis.mget(ids.map((id) => workerKey(prefix, id)));
  const alive: WorkerAnnouncement[] = [];
  const gone: string[] = [];
  ids.forEach((id, i) => {
    const v = values[i];
    if (v) alive.push(JSON.parse(v) as WorkerAnnouncement);
    else gone.push(id);
  });
  if (gone.length) await redis.srem(workersKey(prefix, queue), ...gone);
  return alive.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
}
