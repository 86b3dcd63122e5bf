import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DelayJobError, createRedis } from '@govwire/shared';
import { deleteQueuePrefix, testConfig } from '@govwire/shared/testing';
import type { Redis } from 'ioredis';
import { PolitenessGate } from '../src/politeness/gate';

const config = testConfig();
let redis: Redis;

beforeAll(() => {
  redis = createRedis(config.REDIS_URL, () => undefined);
});
afterAll(async () => {
  redis.disconnect();
  await deleteQueuePrefix(config.REDIS_URL, config.QUEUE_PREFIX);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PolitenessGate', () => {
  it('holds at most maxInFlight slots per host, independently per host', async () => {
    const gate = new PolitenessGate(redis, config.QUEUE_PREFIX, 60_000);
    const limits = { maxInFlight: 2, minIntervalMs: 0 };
    const a = await gate.tryAcquire('www.zj.gov.cn', limits);
    const b = await gate.tryAcquire('www.zj.gov.cn', limits);
    const c = await gate.tryAcquire('www.zj.gov.cn', limits);
    expect([a.ok, b.ok, c.ok]).toEqual([true, true, false]);
    expect(c).toMatchObject({ ok: false, reason: 'busy' });
    expect((await gate.tryAcquire('www.kq.gov.cn', limits)).ok).toBe(true);
    if (a.ok) await gate.release('www.zj.gov.cn', a.token);
    expect((await gate.tryAcquire('www.zj.gov.cn', limits)).ok).toBe(true);
  });

  it('lets a slot of a crashed process expire after its TTL', async () => {
    const gate = new PolitenessGate(redis, config.QUEUE_PREFIX, 300);
    const limits = { maxInFlight: 1, minIntervalMs: 0 };
    expect((await gate.tryAcquire('crashed.gov.cn', limits)).ok).toBe(true); // never released
    expect((await gate.tryAcquire('crashed.gov.cn', limits)).ok).toBe(false);
    await sleep(350);
    expect((await gate.tryAcquire('crashed.gov.cn', limits)).ok).toBe(true);
  });

  it('answers the remaining interval, and delays rather than waits when it is long', async () => {
    const gate = new PolitenessGate(redis, config.QUEUE_PREFIX, 60_000);
    const limits = { maxInFlight: 5, minIntervalMs: 5_000 };
    const first = await gate.tryAcquire('slow.gov.cn', limits);
    expect(first.ok).toBe(true);
    const second = await gate.tryAcquire('slow.gov.cn', limits);
    expect(second).toMatchObject({ ok: false, reason: 'interval' });
    if (!second.ok) {
      expect(second.waitMs).toBeGreaterThan(4_500);
      expect(second.waitMs).toBeLessThanOrEqual(5_000);
    }
    const before = Date.now();
    const err = await gate.acquireOrDelay('slow.gov.cn', limits).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DelayJobError);
    // It comes back shortly (at most maxInlineWaitMs, 1 s) before its turn, not at once.
    expect((err as DelayJobError).untilMs).toBeGreaterThan(before + 3_500);
    await gate.close();
  });

  it('spends a short wait in-process and is woken by the release of a busy host', async () => {
    const gate = new PolitenessGate(redis, config.QUEUE_PREFIX, 60_000);
    const other = new PolitenessGate(redis, config.QUEUE_PREFIX, 60_000);
    const limits = { maxInFlight: 1, minIntervalMs: 50 };
    const held = await gate.acquireOrDelay('wake.gov.cn', limits);
    let granted = 0;
    const waiting = other.acquireOrDelay('wake.gov.cn', limits).then((t) => ((granted = Date.now()), t));
    await sleep(300);
    expect(granted).toBe(0); // still busy: no second slot
    const released = Date.now();
    await gate.release('wake.gov.cn', held);
    const token = await waiting; // no DelayJobError: it waited here
    // Granted the interval after the release, not at the next poll of a busy host.
    expect(granted - released).toBeGreaterThanOrEqual(45);
    await other.release('wake.gov.cn', token);
    await Promise.all([gate.close(), other.close()]);
  });

  it('gives jobs that cannot wait here turns spread at the rate of the host, kept when they come back', async () => {
    // No turn is near enough to wait for here: every job that cannot go now is delayed to its turn.
    const gate = new PolitenessGate(redis, config.QUEUE_PREFIX, { leaseMs: 60_000, inlineTurns: 0 });
    const limits = { maxInFlight: 1, minIntervalMs: 200 };
    const held = await gate.acquireOrDelay('line.gov.cn', limits, 'job-0');
    const until: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const err = await gate.acquireOrDelay('line.gov.cn', limits, `job-${i}`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DelayJobError);
      until.push((err as DelayJobError).untilMs);
    }
    // About one interval apart (200 ms, plus or minus the jitter of up to a tenth), not all at once.
    for (let i = 1; i < until.length; i++) {
      expect(until[i]! - until[i - 1]!).toBeGreaterThan(100);
      expect(until[i]! - until[i - 1]!).toBeLessThan(320);
    }
    // Job 3 asking again keeps its turn instead of going to the back of the line.
    const again = (await gate
      .acquireOrDelay('line.gov.cn', limits, 'job-3')
      .catch((e: unknown) => e)) as DelayJobError;
    expect(again.untilMs).toBeLessThan(until[3]!);
    await gate.release('line.gov.cn', held);
    await gate.close();
  });

  it('renews the lease of a slot held while a request runs', async () => {
    const gate = new PolitenessGate(redis, config.QUEUE_PREFIX, { leaseMs: 200 });
    const limits = { maxInFlight: 1, minIntervalMs: 0 };
    const token = await gate.acquireOrDelay('long.gov.cn', limits);
    await sleep(700); // three leases long: renewed, still held
    expect((await gate.tryAcquire('long.gov.cn', limits)).ok).toBe(false);
    await gate.release('long.gov.cn', token);
    expect((await gate.tryAcquire('long.gov.cn', limits)).ok).toBe(true);
    await gate.close();
  });

  it('backs a host off and never shortens a longer back-off', async () => {
    const gate = new PolitenessGate(redis, config.QUEUE_PREFIX, 60_000);
    const limits = { maxInFlight: 5, minIntervalMs: 0 };
    await gate.backOff('busy.gov.cn', 5_000);
    await gate.backOff('busy.gov.cn', 100);
    const a = await gate.tryAcquire('busy.gov.cn', limits);
    expect(a).toMatchObject({ ok: false, reason: 'backoff' });
    if (!a.ok) expect(a.waitMs).toBeGreaterThan(4_000);
  });
});
