import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DelayJobError } from '@govwire/shared';
import { RedisClock } from './redis-clock';
import { waitUntil } from './wait';

/**
 * The per-host politeness gate, shared by every crawler process on every machine through Redis:
 * at most `maxInFlight` requests in flight per host and at least `minIntervalMs` between the moments
 * requests are written to the wire (the interval is the asker's: the last start is stored, so a
 * stricter Crawl-delay learnt after a request still applies to the gap after it), plus
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
 * idle: 92% of the allowed rate on a quiet machine, less under load. Counting the interval from
 * the previous answer instead of the previous send added the answer time and the wake-up to
 * every gap: 74-80% of the budget beside a CPU hog on a loaded machine.
 */
// A slot whose interval ends within ARGV[5] ms is granted at once, to start then: the caller
// sleeps until its start, and no second round trip after the wait stands between the end of the
// interval and the request.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local backoff = tonumber(redis.call('GET', KEYS[3]) or '0')
local us = tonumber(t[1]) * 1000000 + tonumber(t[2])
if backoff > now then return {0, backoff - now, 'backoff', us} end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return {0, -1, 'busy', us} end
local interval = tonumber(ARGV[2])
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
-- "last" is rounded up to the ms, so it may lie a moment ahead: no interval, no wait.
local wait = 0
if interval > 0 then wait = math.max(0, last + interval - now) end
if wait > tonumber(ARGV[5]) then return {0, wait, 'interval', us} end
local ttl = tonumber(ARGV[4])
redis.call('ZADD', KEYS[1], now + wait + ttl, ARGV[3])
redis.call('PEXPIRE', KEYS[1], wait + ttl)
redis.call('SET', KEYS[2], now + wait, 'PX', math.max(interval, 600000))
return {1, wait, 'ok', us, now + wait}
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

// Releasing moves "last" to when the request was written to its socket (now minus the caller's
// measured age of that, or the caller's bound of it on Redis's clock when earlier; now when it was
// never sent): the next request starts the interval after
// this one truly left, so one that left late (a busy event loop between grant and send) cannot be
// crowded, and neither the server's answer time nor the release round trip is added to every
// interval. "last" never moves back. The release is published so waiting jobs ask again at once.
const RELEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREM', KEYS[1], ARGV[1])
local exact = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local sent = math.ceil(exact - math.max(0, tonumber(ARGV[3])))
if ARGV[4] ~= '' then sent = math.min(sent, tonumber(ARGV[4])) end
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if sent > last then redis.call('SET', KEYS[2], sent, 'PX', 600000) end
redis.call('PUBLISH', KEYS[3], ARGV[2])
return 1
`;

// A job's place in the host's line, as the time its turn should come: its ticket if it has one,
// else a new ticket one spacing after the last one handed out (or after now, when the line is empty).
const TURN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local mine = tonumber(redis.call('GET', KEYS[2]) or '-1')
if mine >= 0 then return mine - now end
local at = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now) + tonumber(ARGV[1])
redis.call('SET', KEYS[1], at, 'PX', at - now + 60000)
redis.call('SET', KEYS[2], at, 'PX', at - now + 600000)
return at - now
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
  | {
      ok: true;
      token: string;
      /** ms until the granted slot's request may start */
      startInMs: number;
      /** `performance.now()` time it may start: never before Redis's start, however late the reply */
      startAt: number;
    }
  | { ok: false; waitMs: number; reason: 'backoff' | 'busy' | 'interval' };

export interface GrantedSlot {
  token: string;
  /** `performance.now()` time before which the slot's request must not be sent. */
  startAt: number;
}

export interface GateOptions {
  /** How long a slot lasts without renewal: a crashed holder frees its host after this. */
  leaseMs: number;
  /** Longest wait a job spends in its process before it goes to the delayed set instead. */
  maxInlineWaitMs: number;
  /**
   * Jobs whose turn is at most this many spacings away (spacing: the interval over the slots)
   * wait in their process; later ones are delayed until shortly before their turn, so a host's
   * waiting jobs hold few worker slots and come back spread at the rate the host is served.
   */
  inlineTurns: number;
}

export const DEFAULT_GATE_OPTIONS: GateOptions = { leaseMs: 5_000, maxInlineWaitMs: 1_000, inlineTurns: 10 };

/** A busy host is asked again after this even when no release was heard (a lost message). */
const BUSY_RECHECK_MS = 250;

export class PolitenessGate {
  private readonly opts: GateOptions;
  /** Lease renewal timers of the slots this process holds, by token. */
  private readonly renewals = new Map<string, NodeJS.Timeout>();
  /** Wake-ups of jobs waiting here for a release, by host. */
  private readonly waiters = new Map<string, Set<() => void>>();
  private subscriber: Redis | undefined;
  private subscribed: Promise<void> | undefined;
  private readonly clock = new RedisClock();

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

  private turnKeys(host: string, job: string): [string, string] {
    const base = `${this.prefix}:crawler:gate:${host}`;
    return [`${base}:line`, `${base}:turn:${job}`];
  }

  /** One ask; with `earlyMs`, a slot whose interval ends within that long is granted ahead. */
  async tryAcquire(host: string, limits: HostLimits, earlyMs = 0): Promise<GateAnswer> {
    const token = randomBytes(8).toString('hex');
    const [slots, last, backoff] = this.keys(host);
    const asked = performance.now();
    const [ok, waitMs, reason, redisUs, startMs] = (await this.redis.eval(
      ACQUIRE,
      3,
      slots,
      last,
      backoff,
      Math.max(1, limits.maxInFlight),
      Math.max(0, limits.minIntervalMs),
      token,
      this.opts.leaseMs,
      Math.max(0, Math.floor(earlyMs)),
    )) as [number, number, string, number, number?];
    const read = performance.now();
    this.clock.observe(redisUs, asked, read);
    if (ok === 1) {
      // The reply's own bound is the old rule (read + wait); a quicker recent reply tightens it.
      const startAt = Math.min(read + waitMs, this.clock.latestLocal(startMs!) ?? Infinity);
      return { ok: true, token, startInMs: waitMs, startAt };
    }
    return { ok: false, waitMs, reason: reason as 'backoff' | 'busy' | 'interval' };
  }

  /** `acquireSlot`, then waits until the slot's start. */
  async acquireOrDelay(host: string, limits: HostLimits, job?: string): Promise<string> {
    const slot = await this.acquireSlot(host, limits, job);
    await waitUntil(slot.startAt);
    return slot.token;
  }

  /**
   * A slot for `host`, its lease renewed until `release`, and when its request may start
   * (`startAt`, a `performance.now()` time, counted from when the grant's reply was read: never
   * earlier than Redis's start, even when the reply came late). The caller waits for it as late as
   * it can, just before it sends. A job that cannot have one now takes a
   * turn in the host's line (`job` names it, so a job that comes back keeps its place). A turn
   * near enough is waited for here: a busy host wakes its waiters on release, an interval is slept
   * to the millisecond. A later turn, a back-off, or a wait past `maxInlineWaitMs` throws
   * DelayJobError: the job goes back to the delayed set without using an attempt, timed to return
   * shortly before its turn, and its worker slot serves other hosts meanwhile.
   */
  async acquireSlot(host: string, limits: HostLimits, job?: string): Promise<GrantedSlot> {
    // Without an interval, a busy host frees a slot when a response ends: guess 100 ms.
    const spacing = Math.max(limits.minIntervalMs, 100) / Math.max(1, limits.maxInFlight);
    // Turns this near are waited for here; a later one comes back this long before its turn, so
    // the host has jobs ready at the gate even when what a job does before asking (the database)
    // is slow.
    const window = Math.min(this.opts.inlineTurns * spacing, this.opts.maxInlineWaitMs);
    // A slot granted ahead is safe with one slot only: the request before it has been released,
    // so "last" holds when it was really sent. With several, one granted but not yet sent could
    // be crowded by the next.
    const early = limits.maxInFlight <= 1 ? window : 0;
    const first = await this.tryAcquire(host, limits, early);
    if (first.ok) return this.granted(host, first);
    if (first.reason === 'backoff') throw this.delay(host, first.reason, first.waitMs);
    const [line, turnKey] = this.turnKeys(host, job ?? randomBytes(8).toString('hex'));
    const turn = (await this.redis.eval(TURN, 2, line, turnKey, Math.ceil(spacing))) as number;
    if (turn > window) throw this.delay(host, first.reason, turn - window);
    // A host served slower than its turns assumed (long responses) keeps its waiters a while
    // longer rather than sending them to the back of the line.
    const deadline = Date.now() + Math.max(0, turn) + 3 * this.opts.maxInlineWaitMs;
    for (;;) {
      // An interval wait may end early (it asks again); it counts from before the ask.
      const asked = performance.now();
      const a = await this.tryAcquire(host, limits, early);
      if (a.ok) {
        await this.redis.del(turnKey);
        return this.granted(host, a);
      }
      const left = deadline - Date.now();
      if (a.reason === 'backoff' || left <= 0 || a.waitMs > left) {
        await this.redis.del(turnKey); // waited its turn and more: it queues again when it returns
        throw this.delay(host, a.reason, Math.max(a.waitMs, window));
      }
      if (a.reason === 'interval') await waitUntil(asked + a.waitMs);
      else await this.releaseHeard(host, Math.min(left, BUSY_RECHECK_MS));
    }
  }

  private granted(host: string, a: Extract<GateAnswer, { ok: true }>): GrantedSlot {
    this.holdLease(host, a.token);
    return { token: a.token, startAt: a.startAt };
  }

  private delay(host: string, reason: string, ms: number): DelayJobError {
    const wait = Math.max(1, Math.round(ms)) + Math.floor(Math.random() * Math.min(100, ms / 10 + 5));
    return new DelayJobError(Date.now() + wait, `host ${host} ${reason}: wait ${wait} ms`);
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

  /**
   * Frees a slot. `sentAt` is `performance.now()` when the request was written to its socket;
   * without it (never sent, or not known) the interval counts from now.
   */
  async release(host: string, token: string, sentAt?: number): Promise<void> {
    const timer = this.renewals.get(token);
    if (timer) clearInterval(timer);
    this.renewals.delete(token);
    const [slots, last, , free] = this.keys(host);
    // Rounded up to whole milliseconds by the script: taken as sent no earlier than it was.
    const ago = sentAt === undefined ? 0 : performance.now() - sentAt;
    const onRedis = sentAt === undefined ? undefined : this.clock.latestRedis(sentAt);
    const sent = onRedis === undefined ? '' : String(Math.ceil(onRedis));
    await this.redis.eval(RELEASE, 3, slots, last, free, token, host, ago, sent);
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
