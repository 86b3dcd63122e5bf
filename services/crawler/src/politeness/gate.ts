import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DelayJobError } from '@govwire/shared';

/**
 * The per-host politeness gate, shared by every crawler process on every machine through Redis:
 * at most `maxInFlight` requests in flight per host and at least `minIntervalMs` between request
 * starts and after the last response ended (the interval is the asker's: the last start or end is
 * stored, so a stricter Crawl-delay learnt after a request still applies to the gap after it), plus a host-wide back-off (429/503 Retry-After). One Lua script decides atomically,
 * on Redis's own clock, so machines with skewed clocks still agree.
 *
 * In-flight slots are a sorted set of tokens scored by their expiry: a process that dies holding
 * a slot loses it after `slotTtlMs` instead of blocking the host forever.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local backoff = tonumber(redis.call('GET', KEYS[3]) or '0')
if backoff > now then return {0, backoff - now, 'backoff'} end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return {0, -1, 'busy'} end
local interval = tonumber(ARGV[2])
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if last + interval > now then return {0, last + interval - now, 'interval'} end
local ttl = tonumber(ARGV[4])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('SET', KEYS[2], now, 'PX', math.max(interval, 600000))
return {1, 0, 'ok'}
`;

// Releasing moves "last" to now: the next request waits the interval after this one ended, so
// a request that left late (a busy event loop between grant and send) cannot crowd the next one.
const RELEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREM', KEYS[1], ARGV[1])
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if now > last then redis.call('SET', KEYS[2], now, 'PX', 600000) end
return 1
`;

const BACKOFF = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > cur then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1])) end
return untilMs - now
`;

export interface HostLimits {
  maxInFlight: number;
  minIntervalMs: number;
}

export type GateAnswer =
  { ok: true; token: string } | { ok: false; waitMs: number; reason: 'backoff' | 'busy' | 'interval' };

/** Waits shorter than this are slept in-process; longer ones delay the job. */
const INLINE_WAIT_MS = 250;
/** How long a busy host is left alone before the job asks again. */
const BUSY_RETRY_MS = 200;

export class PolitenessGate {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly slotTtlMs: number,
  ) {}

  private keys(host: string): [string, string, string] {
    const base = `${this.prefix}:crawler:gate:${host}`;
    return [`${base}:slots`, `${base}:last`, `${base}:backoff`];
  }

  async tryAcquire(host: string, limits: HostLimits): Promise<GateAnswer> {
    const token = randomBytes(8).toString('hex');
    const [ok, waitMs, reason] = (await this.redis.eval(
      ACQUIRE,
      3,
      ...this.keys(host),
      Math.max(1, limits.maxInFlight),
      Math.max(0, limits.minIntervalMs),
      token,
      this.slotTtlMs,
    )) as [number, number, string];
    if (ok === 1) return { ok: true, token };
    const wait = reason === 'busy' ? Math.max(BUSY_RETRY_MS, Math.min(limits.minIntervalMs, 2_000)) : waitMs;
    return { ok: false, waitMs: wait, reason: reason as 'backoff' | 'busy' | 'interval' };
  }

  /**
   * A slot for `host`, or DelayJobError when the wait is long: the job goes back to the delayed
   * set without using an attempt, and the worker slot is free for other hosts meanwhile.
   */
  async acquireOrDelay(host: string, limits: HostLimits): Promise<string> {
    for (let i = 0; i < 4; i++) {
      const a = await this.tryAcquire(host, limits);
      if (a.ok) return a.token;
      // Jitter spreads waiting jobs so they do not all ask again in the same millisecond.
      const wait = a.waitMs + Math.floor(Math.random() * Math.min(100, a.waitMs / 4 + 10));
      if (wait > INLINE_WAIT_MS || a.reason === 'backoff') {
        throw new DelayJobError(Date.now() + wait, `host ${host} ${a.reason}: wait ${wait} ms`);
      }
      await new Promise((r) => setTimeout(r, wait));
    }
    throw new DelayJobError(Date.now() + BUSY_RETRY_MS, `host ${host} busy`);
  }

  async release(host: string, token: string): Promise<void> {
    const [slots, last] = this.keys(host);
    await this.redis.eval(RELEASE, 2, slots, last, token);
  }

  /** Backs the whole host off for `ms` (never shortens a longer back-off); returns the wait. */
  async backOff(host: string, ms: number): Promise<number> {
    return (await this.redis.eval(BACKOFF, 1, this.keys(host)[2], Math.max(1, Math.round(ms)))) as number;
  }
}
