import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DelayJobError } from '@govwire/shared';

/**
 * The per-host politeness gate, shared by every crawler process on every machine through Redis:
 * at most `maxInFlight` requests in flight per host and at least `minIntervalMs` between request
 * starts and after the last response ended (the interval is the asker's: the last start or end is
 * stored, so a stricter Crawl-delay learnt after a request still applies to the gap after it), plus
 * a host-wide back-off (429/503 Retry-After). One Lua script decides atomically, on Redis's own
 * clock, so machines with skewed clocks still agree.
 *
 * In-flight slots are leases: a sorted set of tokens scored by their expiry, renewed while the
 * request runs. A process that dies holding one stops renewing it, and the host is free again
 * within one lease (seconds), not after the longest possible fetch.
 *
 * A job that must wait a short while waits in its process, woken the moment it may go: a release
 * is published on Redis, and an interval wait is a timer set to the millisecond. Moving every
 * short wait through BullMQ's delayed set (the earlier design) came back late and left the host
 * idle: 92% of the allowed rate on a quiet machine, less under load.
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

// Extends a lease that is still held; a lease that already expired is not revived.
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', now + ttl, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
`;

// Releasing moves "last" to now: the next request waits the interval after this one ended, so
// a request that left late (a busy event loop between grant and send) cannot crowd the next one.
// The release is published so waiting jobs ask again at once.
const RELEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREM', KEYS[1], ARGV[1])
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if now > last then redis.call('SET', KEYS[2], now, 'PX', 600000) end
redis.call('PUBLISH', KEYS[3], ARGV[2])
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

export interface GateOptions {
  /** How long a slot lasts without renewal: a crashed holder frees its host after this. */
  leaseMs: number;
  /** Longest wait a job spends in its process before it goes to the delayed set instead. */
  maxInlineWaitMs: number;
  /**
   * Jobs of one process waiting in-process on one host, per slot of the host: more would only
   * hold worker slots other hosts could use, so the rest are delayed.
   */
  waitersPerSlot: number;
}

export const DEFAULT_GATE_OPTIONS: GateOptions = {
  leaseMs: 5_000,
  maxInlineWaitMs: 3_000,
  waitersPerSlot: 4,
};

/** A busy host is asked again after this even when no release was heard (a lost message). */
const BUSY_RECHECK_MS = 250;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class PolitenessGate {
  private readonly opts: GateOptions;
  /** Lease renewal timers of the slots this process holds, by token. */
  private readonly renewals = new Map<string, NodeJS.Timeout>();
  /** Jobs of this process inside `acquireOrDelay`, by host. */
  private readonly pending = new Map<string, number>();
  /** Wake-ups of jobs waiting here for a release, by host. */
  private readonly waiters = new Map<string, Set<() => void>>();
  private subscriber: Redis | undefined;
  private subscribed: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    opts: Partial<GateOptions> | number = {},
  ) {
    this.opts = { ...DEFAULT_GATE_OPTIONS, ...(typeof opts === 'number' ? { leaseMs: opts } : opts) };
  }

  private keys(host: string): [string, string, string, string] {
    const base = `${this.prefix}:crawler:gate:${host}`;
    return [`${base}:slots`, `${base}:last`, `${base}:backoff`, `${base}:free`];
  }

  async tryAcquire(host: string, limits: HostLimits): Promise<GateAnswer> {
    const token = randomBytes(8).toString('hex');
    const [slots, last, backoff] = this.keys(host);
    const [ok, waitMs, reason] = (await this.redis.eval(
      ACQUIRE,
      3,
      slots,
      last,
      backoff,
      Math.max(1, limits.maxInFlight),
      Math.max(0, limits.minIntervalMs),
      token,
      this.opts.leaseMs,
    )) as [number, number, string];
    if (ok === 1) return { ok: true, token };
    return { ok: false, waitMs, reason: reason as 'backoff' | 'busy' | 'interval' };
  }

  /**
   * A slot for `host`, its lease renewed until `release`. Short waits are spent here (a busy
   * host wakes its waiters on release; an interval is slept to the millisecond); a back-off, a
   * wait past `maxInlineWaitMs`, or a host with enough waiters already throws DelayJobError: the
   * job goes back to the delayed set without using an attempt, and its worker slot serves others.
   */
  async acquireOrDelay(host: string, limits: HostLimits): Promise<string> {
    const waiting = this.pending.get(host) ?? 0;
    this.pending.set(host, waiting + 1);
    try {
      return await this.acquireWaiting(host, limits, waiting);
    } finally {
      const n = (this.pending.get(host) ?? 1) - 1;
      if (n > 0) this.pending.set(host, n);
      else this.pending.delete(host);
    }
  }

  private async acquireWaiting(host: string, limits: HostLimits, waiting: number): Promise<string> {
    const slots = Math.max(1, limits.maxInFlight);
    const deadline = Date.now() + this.opts.maxInlineWaitMs;
    for (let first = true; ; first = false) {
      const a = await this.tryAcquire(host, limits);
      if (a.ok) {
        this.holdLease(host, a.token);
        return a.token;
      }
      const left = deadline - Date.now();
      const tooMany = first && waiting >= slots * this.opts.waitersPerSlot;
      if (a.reason === 'backoff' || tooMany || left <= 0 || a.waitMs > left) {
        throw this.delay(host, a, limits, waiting);
      }
      if (a.reason === 'interval') await sleep(a.waitMs);
      else await this.releaseHeard(host, Math.min(left, BUSY_RECHECK_MS));
    }
  }

  /** The delay of a job that will not wait here: about when its turn may come, jittered. */
  private delay(host: string, a: Extract<GateAnswer, { ok: false }>, limits: HostLimits, queue: number) {
    const turn = a.reason === 'busy' ? Math.max(limits.minIntervalMs, 100) * (1 + queue) : a.waitMs;
    const wait = turn + Math.floor(Math.random() * Math.min(250, turn / 4 + 10));
    return new DelayJobError(Date.now() + wait, `host ${host} ${a.reason}: wait ${wait} ms`);
  }

  private holdLease(host: string, token: string): void {
    const [slots] = this.keys(host);
    const every = Math.max(50, Math.floor(this.opts.leaseMs / 3));
    const timer = setInterval(() => {
      this.redis.eval(RENEW, 1, slots, token, this.opts.leaseMs).catch(() => undefined);
    }, every);
    timer.unref();
    this.renewals.set(token, timer);
  }

  /** Resolves when a release of `host` is published, or after `ms`. */
  private async releaseHeard(host: string, ms: number): Promise<void> {
    await this.subscribe().catch(() => undefined);
    await new Promise<void>((resolve) => {
      const set = this.waiters.get(host) ?? new Set<() => void>();
      this.waiters.set(host, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(host);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  private subscribe(): Promise<void> {
    if (this.subscribed) return this.subscribed;
    const sub = this.redis.duplicate();
    this.subscriber = sub;
    const pattern = `${this.prefix}:crawler:gate:*:free`;
    sub.on('pmessage', (_p: string, _channel: string, host: string) => {
      for (const wake of [...(this.waiters.get(host) ?? [])]) wake();
    });
    sub.on('error', () => undefined);
    this.subscribed = sub.psubscribe(pattern).then(() => undefined);
    return this.subscribed;
  }

  async release(host: string, token: string): Promise<void> {
    const timer = this.renewals.get(token);
    if (timer) clearInterval(timer);
    this.renewals.delete(token);
    const [slots, last, , free] = this.keys(host);
    await this.redis.eval(RELEASE, 3, slots, last, free, token, host);
  }

  /** Backs the whole host off for `ms` (never shortens a longer back-off); returns the wait. */
  async backOff(host: string, ms: number): Promise<number> {
    return (await this.redis.eval(BACKOFF, 1, this.keys(host)[2], Math.max(1, Math.round(ms)))) as number;
  }

  /** Stops renewing leases (they expire on their own) and closes the release subscription. */
  async close(): Promise<void> {
    for (const t of this.renewals.values()) clearInterval(t);
    this.renewals.clear();
    for (const set of this.waiters.values()) for (const wake of [...set]) wake();
    const sub = this.subscriber;
    this.subscriber = undefined;
    this.subscribed = undefined;
    if (sub) sub.disconnect();
  }
}
