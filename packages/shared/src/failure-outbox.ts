import type { Redis } from 'ioredis';
import type { FailureRecord } from './queue';

/** Deletes an outbox entry only if it still holds what was flushed (a newer failure is kept). */
const DELETE_IF_SAME = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

/**
 * Final failures waiting for PostgreSQL. A job that fails finally while PostgreSQL is down still
 * fails in BullMQ (Redis), and its failure row is kept here, in a Redis hash keyed by queue and job
 * id (one entry per job however often it is put), until a flush writes it to the `failures` table.
 * Writing a row is idempotent on (queue, job_id), so a flush cut short is simply done again.
 */
export class FailureOutbox {
  readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:failures:outbox`;
  }

  async put(failure: FailureRecord): Promise<void> {
    await this.redis.hset(this.key, `${failure.queue}:${failure.jobId}`, JSON.stringify(failure));
  }

  async size(): Promise<number> {
    return this.redis.hlen(this.key);
  }

  /**
   * Writes every held failure with `record` and removes it; the first error (PostgreSQL still
   * down) stops the flush and is thrown, leaving the rest for the next one. Returns how many.
   */
  async flush(record: (failure: FailureRecord) => Promise<void>, batch = 100): Promise<number> {
    let cursor = '0';
    let flushed = 0;
    do {
      const [next, flat] = await this.redis.hscan(this.key, cursor, 'COUNT', batch);
      cursor = next;
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const field = flat[i]!;
        const value = flat[i + 1]!;
        await record(JSON.parse(value) as FailureRecord);
        await this.redis.eval(DELETE_IF_SAME, 1, this.key, field, value);
        flushed++;
      }
    } while (cursor !== '0');
    return flushed;
  }
}
