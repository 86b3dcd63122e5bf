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
    const limits = { maxInFlight: 5, minIntervalMs: 2_000 };
    const first = await gate.tryAcquire('slow.gov.cn', limits);
    expect(first.ok).toBe(true);
    const second = await gate.tryAcquire('slow.gov.cn', limits);
    expect(second).toMatchObject({ ok: false, reason: 'interval' });
    if (!second.ok) {
      expect(second.waitMs).toBeGreaterThan(1_500);
      expect(second.waitMs).toBeLessThanOrEqual(2_000);
    }
    const before = Date.now();
    const err = await gate.acquireOrDelay('slow.gov.cn', limits).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DelayJobError);
    expect((err as DelayJobError).untilMs).toBeGreaterThan(before + 1_500);
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
