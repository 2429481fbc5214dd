/**
 * Concurrent calls with the same key share one run instead of racing: the
 * second caller of takeSnapshot('app') while one is in flight gets the same
 * promise.
 *
 * @example const flight = createSingleFlight(); await flight.run('app', () => scan());
 */
export function createSingleFlight() {
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const running = inFlight.get(key);
      if (running) return running as Promise<T>;
      const started = work().finally(() => inFlight.delete(key));
      inFlight.set(key, started);
      return started;
    },
  };
}
