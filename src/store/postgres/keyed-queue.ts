/**
 * Runs work for one key one at a time, in the order it was asked for. The
 * store puts it in front of its advisory locks: calls from one process that
 * would wait for the same lock wait here instead, in call order (as they do
 * on SQLite), each holding no connection while it waits; only one call per
 * process then competes with other processes for the lock in the database.
 *
 * @example const inOrder = createKeyedQueue(); await inOrder('alerts', () => decide());
 */
export function createKeyedQueue(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(work);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
