import type { Queue } from 'bullmq';
import { DelayJobError } from '@govwire/shared';

/** How long a fetch waits when the parse queue is over its high-water mark. */
const BACKPRESSURE_DELAY_MS = 5_000;
/** The waiting count is asked at most this often per process. */
const CHECK_EVERY_MS = 500;

/**
 * Backpressure: while the parse queue holds more than the high-water mark, fetch jobs are delayed
 * (not failed, no attempt used), so a fast crawl cannot bury a slow parser.
 */
export class ParseBackpressure {
  private last = { at: 0, waiting: 0 };

  constructor(
    private readonly parseQueue: Queue,
    private readonly highWater: number,
  ) {}

  async waiting(): Promise<number> {
    if (Date.now() - this.last.at > CHECK_EVERY_MS) {
      const counts = await this.parseQueue.getJobCounts('waiting', 'prioritized', 'paused');
      const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.paused ?? 0);
      this.last = { at: Date.now(), waiting };
    }
    return this.last.waiting;
  }

  async check(): Promise<void> {
    if (this.highWater <= 0) return;
    const waiting = await this.waiting();
    if (waiting > this.highWater) {
      const jitter = Math.floor(Math.random() * 1_000);
      throw new DelayJobError(
        Date.now() + BACKPRESSURE_DELAY_MS + jitter,
        `parse queue holds ${waiting} jobs (> PARSE_QUEUE_HIGH_WATER ${this.highWater})`,
      );
    }
  }
}
