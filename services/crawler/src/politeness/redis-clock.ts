/** Bounds older than this are dropped: the two clocks drift, and Redis's may be stepped. */
const WINDOW_MS = 10_000;
const MAX_SAMPLES = 64;

interface Bounds {
  at: number;
  low: number;
  high: number;
}

/**
 * Where Redis's clock stands against this process's `performance.now()`, from replies that carry
 * Redis's time (TIME, in µs): a reply stamped `r` by Redis, for a call sent at local `c` and read
 * at local `d`, says  r - d <= offset <= r - c.  The tightest bounds of the last WINDOW_MS are kept,
 * so the uncertainty is the quickest round trip seen lately, not the one of the call at hand.
 *
 * The gate converts only in the safe direction: a Redis time becomes the latest local time it can
 * be (a slot never starts early), a local time the latest Redis time it can be (a send is never
 * recorded earlier than it happened). Round trips slowed by load then cost nothing per interval.
 */
export class RedisClock {
  private samples: Bounds[] = [];

  /** One reply: Redis's time in µs, and when the call was sent and its reply read (local ms). */
  observe(redisUs: number, sentAt: number, readAt: number): void {
    const r = redisUs / 1000;
    const next = { at: readAt, low: r - readAt, high: r - sentAt };
    const fresh = this.samples.filter((s) => readAt - s.at < WINDOW_MS).slice(-(MAX_SAMPLES - 1));
    // Bounds that contradict the new ones mean a clock moved: trust only what is new.
    const consistent = fresh.every((s) => s.low <= next.high && next.low <= s.high);
    this.samples = consistent ? [...fresh, next] : [next];
  }

  private bounds(): { low: number; high: number } | undefined {
    if (this.samples.length === 0) return undefined;
    return {
      low: Math.max(...this.samples.map((s) => s.low)),
      high: Math.min(...this.samples.map((s) => s.high)),
    };
  }

  /** The latest local time that Redis time `redisMs` can be; undefined before any reply. */
  latestLocal(redisMs: number): number | undefined {
    const b = this.bounds();
    return b && redisMs - b.low;
  }

  /** The latest Redis time (ms) that local time `localMs` can be; undefined before any reply. */
  latestRedis(localMs: number): number | undefined {
    const b = this.bounds();
    return b && localMs + b.high;
  }
}
