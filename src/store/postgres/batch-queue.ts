/**
 * A queue in front of one lock that serves calls in the order they came,
 * gathering consecutive batchable ones into one run. While a run holds the
 * lock, calls queue here; the next run takes all of them at once (up to
 * `maxBatch`): one transaction, one lock wait, for a burst of calls. Calls
 * that must run by themselves (`alone`) keep their place in the order.
 *
 * @example
 * const queue = createBatchQueue((jobs) => decideAll(jobs));
 * await Promise.all([queue.batch(a), queue.batch(b)]); // decided together, a then b
 */
export interface BatchQueue<J> {
  /** Runs `job` in the next batch, after everything queued before it. */
  batch<R>(job: J): Promise<R>;
  /** Runs `work` by itself, after everything queued before it. */
  alone<R>(work: () => Promise<R>): Promise<R>;
}

type Entry<J> =
  | { job: J; resolve(value: unknown): void; reject(error: unknown): void }
  | { work: () => Promise<unknown>; resolve(value: unknown): void; reject(error: unknown): void };

export function createBatchQueue<J>(runBatch: (jobs: J[]) => Promise<unknown[]>, maxBatch = 100): BatchQueue<J> {
  const pending: Entry<J>[] = [];
  let draining = false;

  const drain = async () => {
    while (pending.length > 0) {
      const first = pending[0]!;
      if ('work' in first) {
        pending.shift();
        await first.work().then(first.resolve, first.reject);
        continue;
      }
      let n = 1;
      while (n < pending.length && n < maxBatch && 'job' in pending[n]!) n++;
      const batch = pending.splice(0, n) as Extract<Entry<J>, { job: J }>[];
      await runBatch(batch.map((e) => e.job)).then(
        (results) => batch.forEach((e, i) => e.resolve(results[i])),
        (error: unknown) => batch.forEach((e) => e.reject(error)),
      );
    }
    draining = false;
  };

  const enqueue = (entry: Entry<J>) => {
    pending.push(entry);
    if (draining) return;
    draining = true;
    // A tick later: calls made together (Promise.all over a list) join the first batch.
    queueMicrotask(() => void drain());
  };

  return {
    batch: <R>(job: J) => new Promise<R>((resolve, reject) => enqueue({ job, resolve: resolve as (v: unknown) => void, reject })),
    alone: <R>(work: () => Promise<R>) => new Promise<R>((resolve, reject) => enqueue({ work, resolve: resolve as (v: unknown) => void, reject })),
  };
}
