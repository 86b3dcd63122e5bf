import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher';

/** A run that records the batches it got and answers each item with its double (odd ones fail). */
function recordingRun() {
  const batches: number[][] = [];
  const run = async (items: number[]) => {
    batches.push(items);
    return items.map((n): PromiseSettledResult<number> =>
      n % 2 ? { status: 'rejected', reason: new Error(`odd ${n}`) } : { status: 'fulfilled', value: n * 2 },
    );
  };
  return { batches, run };
}

describe('createBatcher', () => {
  it('runs a batch as soon as it is full, and each submitter gets its own outcome', async () => {
    const { batches, run } = recordingRun();
    const b = createBatcher({ maxItems: 3, maxWaitMs: 60_000, run });
    const outcomes = await Promise.allSettled([2, 3, 4].map((n) => b.submit(n)));
    expect(batches).toEqual([[2, 3, 4]]);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 4 });
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { message: 'odd 3' } });
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: 8 });
  });

  it('runs what it has after the wait when no more items come', async () => {
    const { batches, run } = recordingRun();
    const b = createBatcher({ maxItems: 50, maxWaitMs: 5, run });
    await expect(Promise.all([b.submit(2), b.submit(4)])).resolves.toEqual([4, 8]);
    expect(batches).toEqual([[2, 4]]);
    await expect(b.submit(6)).resolves.toBe(12);
    expect(batches).toEqual([[2, 4], [6]]);
  });

  it('a batch that fails as a whole fails each of its items with that error', async () => {
    const b = createBatcher<number, number>({
      maxItems: 2,
      maxWaitMs: 5,
      run: () => Promise.reject(new Error('database down')),
    });
    const outcomes = await Promise.allSettled([b.submit(1), b.submit(2)]);
    expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as Error).message)).toEqual([
      'database down',
      'database down',
    ]);
  });
});
