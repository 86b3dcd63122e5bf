import { describe, expect, it } from 'vitest';
import { RedisClock } from './redis-clock';

// Redis's clock stands 5_000 ms ahead of the local one in these tests: Redis time = local + 5_000.
const OFFSET = 5_000;
const us = (redisMs: number) => redisMs * 1000;

describe('RedisClock', () => {
  it('knows nothing before a reply', () => {
    const clock = new RedisClock();
    expect(clock.latestLocal(1_000)).toBeUndefined();
    expect(clock.latestRedis(1_000)).toBeUndefined();
  });

  it('converts to the latest time a moment can be, tightened by the quickest recent reply', () => {
    const clock = new RedisClock();
    // A slow call: sent at 100, read at 120, Redis stamped it at local 110.
    clock.observe(us(110 + OFFSET), 100, 120);
    // Redis's 6_000 is local 1_000; all the first reply allows is 1_000 + 10 (it may have been
    // stamped as early as 100 or as late as 120).
    expect(clock.latestLocal(6_000)).toBe(1_010);
    expect(clock.latestRedis(1_000)).toBe(6_010);
    // A quick call: sent at 200, read at 201, stamped at local 200.5.
    clock.observe(us(200.5 + OFFSET), 200, 201);
    expect(clock.latestLocal(6_000)).toBeCloseTo(1_000.5, 6);
    expect(clock.latestRedis(1_000)).toBeCloseTo(6_000.5, 6);
    // Never on the early side of the truth.
    expect(clock.latestLocal(6_000)!).toBeGreaterThanOrEqual(1_000);
    expect(clock.latestRedis(1_000)!).toBeGreaterThanOrEqual(6_000);
  });

  it('forgets old replies, and trusts only the new one when the clock of Redis was stepped', () => {
    const clock = new RedisClock();
    clock.observe(us(200.5 + OFFSET), 200, 201);
    // Redis's clock jumps 1 s ahead: the old bounds contradict the new reply.
    clock.observe(us(300 + OFFSET + 1_000), 299, 310);
    expect(clock.latestLocal(7_000)).toBe(1_010); // 7_000 - 6_000 + (310 - 300)
    // Ten seconds later the quick reply of long ago no longer counts either.
    const late = new RedisClock();
    late.observe(us(200.5 + OFFSET), 200, 201);
    late.observe(us(20_010 + OFFSET), 20_000, 20_020);
    expect(late.latestLocal(6_000)).toBe(1_010);
  });
});
