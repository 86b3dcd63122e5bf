import { describe, expect, it } from 'vitest';
import { OutageBackoff, servicePortsOf } from './outage';

describe('OutageBackoff', () => {
  it('waits about as long as the outage has lasted, between the floor and the cap', () => {
    const b = new OutageBackoff(2_000, 300_000);
    const t0 = 1_000_000;
    const first = b.delayMs(t0);
    expect(first).toBeGreaterThanOrEqual(2_000); // the floor, plus up to 50% jitter
    expect(first).toBeLessThanOrEqual(3_000);
    const later = b.delayMs(t0 + 60_000); // a minute into the outage
    expect(later).toBeGreaterThanOrEqual(60_000);
    expect(later).toBeLessThanOrEqual(90_000);
    expect(b.delayMs(t0 + 3_600_000)).toBe(300_000); // an hour in: the cap
  });

  it('starts over once a job completes', () => {
    const b = new OutageBackoff(1_000, 60_000);
    b.delayMs(0);
    expect(b.ongoingSince).toBe(0);
    b.ended();
    expect(b.ongoingSince).toBeUndefined();
    expect(b.delayMs(500_000)).toBeLessThanOrEqual(1_500);
  });
});

describe('servicePortsOf', () => {
  it('reads the ports of DATABASE_URL and REDIS_URL, with the defaults when absent', () => {
    expect(
      servicePortsOf({ DATABASE_URL: 'postgres://u@db:6543/x', REDIS_URL: 'redis://:pw@cache' }),
    ).toEqual([6543, 6379]);
    expect(servicePortsOf({ DATABASE_URL: 'postgres://db/x', REDIS_URL: 'redis://c:7000' })).toEqual([
      5432, 7000,
    ]);
  });
});
