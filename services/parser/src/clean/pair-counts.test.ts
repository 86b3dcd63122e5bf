import { describe, expect, it } from 'vitest';
import { PairCounts } from './pair-counts';

describe('PairCounts', () => {
  it('counts keys, grows, and lists each distinct key once', () => {
    const t = new PairCounts(2);
    const keys = [0, 5, 32768 * 7 + 3, (1 << 30) - 1, 5, 5, 0];
    for (let k = 0; k < 100; k++) keys.push(k * 32768 + 1);
    for (const k of keys) t.add(k);
    expect(t.get(5)).toBe(3);
    expect(t.get(0)).toBe(2);
    expect(t.get((1 << 30) - 1)).toBe(1);
    expect(t.get(6)).toBeUndefined();
    expect(t.has(32768 * 99 + 1)).toBe(true);
    expect(t.size).toBe(new Set(keys).size);
    const seen: number[] = [];
    t.forEachKey((k) => seen.push(k));
    expect(seen.sort((a, b) => a - b)).toEqual([...new Set(keys)].sort((a, b) => a - b));
  });

  it('hands a released table on cleared', () => {
    const a = new PairCounts(100);
    for (let k = 0; k < 150; k++) a.add(k * 3);
    a.release();
    const b = new PairCounts(100);
    expect(b.size).toBe(0);
    for (let k = 0; k < 150; k++) expect(b.has(k * 3)).toBe(false);
    b.add(3);
    expect(b.get(3)).toBe(1);
  });
});
