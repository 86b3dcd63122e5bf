/**
 * Gathers items submitted one at a time (one per BullMQ job: BullMQ has no batch API) into
 * batches: a batch is run when it holds `maxItems`, or `maxWaitMs` after its first item, whichever
 * comes first. Each submitter awaits its own item's outcome, so each job still completes, fails
 * or is delayed on its own. Batches run concurrently; one flush does not wait for another.
 */
export interface Batcher<I, R> {
  submit(item: I): Promise<R>;
  /** Runs what is gathered now (shutdown: nothing waits for a timer). */
  flush(): void;
}

export interface BatcherOptions<I, R> {
  maxItems: number;
  maxWaitMs: number;
  /** One outcome per item, in order; a rejection of the whole batch rejects every item. */
  run: (items: I[]) => Promise<PromiseSettledResult<R>[]>;
}

interface Pending<I, R> {
  item: I;
  resolve: (r: R) => void;
  reject: (err: unknown) => void;
}

export function createBatcher<I, R>(opts: BatcherOptions<I, R>): Batcher<I, R> {
  let pending: Pending<I, R>[] = [];
  let timer: NodeJS.Timeout | null = null;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    opts.run(batch.map((p) => p.item)).then(
      (settled) =>
        batch.forEach((p, i) => {
          const s = settled[i];
          if (!s) p.reject(new Error('the batch returned no outcome for this item'));
          else if (s.status === 'fulfilled') p.resolve(s.value);
          else p.reject(s.reason);
        }),
      (err: unknown) => batch.forEach((p) => p.reject(err)),
    );
  };

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        if (pending.length >= Math.max(1, opts.maxItems)) flush();
        else timer ??= setTimeout(flush, opts.maxWaitMs);
      });
    },
    flush,
  };
}
