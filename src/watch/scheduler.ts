export interface SchedulerOptions {
  /** One detection cycle of one source; a throw is a failed cycle, tried again after a pause. */
  run: (source: string) => Promise<void>;
  /** A cycle starts once a source has had no event for this long... */
  debounceMs: number;
  /** ...or this long after the first event of a burst that does not settle. */
  maxWaitMs: number;
  /** First pause after a failed cycle; doubles up to `retryMaxMs`. Default 1000. */
  retryMs?: number;
  /** Default 60000. */
  retryMaxMs?: number;
  /** Told of every failed cycle, with when it is tried again. */
  onFailure?: (source: string, error: unknown, retryInMs: number, failures: number) => void;
  clock?: () => number;
}

export interface Scheduler {
  /** A file-system event for this source: a cycle will follow once the burst settles. */
  touch(source: string): void;
  /**
   * A cycle as soon as the source is free (periodic check, first scan, a
   * root that came back); resolves when a cycle that started after this call
   * has ended, whether it succeeded or failed.
   */
  runSoon(source: string): Promise<void>;
  /** Whether a source has work waiting or in flight. */
  busy(source: string): boolean;
  /**
   * Stops scheduling, waits for the cycles in flight, then runs one last
   * cycle for each source in `final` and each with work still waiting (no
   * retries); resolves with the last cycles that failed.
   */
  drain(final?: readonly string[]): Promise<{ source: string; error: unknown }[]>;
}

interface Slot {
  timer: NodeJS.Timeout | null;
  timerDueAt: number;
  /** First and last unserved event of the current burst; null when there is none. */
  firstTouchAt: number | null;
  lastTouchAt: number;
  /** A runSoon is waiting. */
  urgent: boolean;
  running: Promise<void> | null;
  failures: number;
  /** After a failure, nothing runs before this time. */
  retryAt: number;
  waiters: (() => void)[];
}

/**
 * Turns events into detection cycles, per source: events are debounced
 * (a cycle starts `debounceMs` after the last event, or `maxWaitMs` after the
 * first when they do not stop) and coalesced (any number of events, one
 * cycle); a source never has two cycles at once (events during a cycle make
 * exactly one more cycle after it); a failed cycle is retried with
 * exponential backoff, never dropped. State is a few numbers per source,
 * never a list of events, so a burst of thousands costs nothing.
 *
 * @example
 * const scheduler = createScheduler({ run: (s) => detector.check(s).then(() => {}), debounceMs: 300, maxWaitMs: 5000 });
 * scheduler.touch('app'); scheduler.touch('app'); // one cycle, 300 ms after the second
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? Date.now;
  const retryMs = options.retryMs ?? 1000;
  const retryMaxMs = options.retryMaxMs ?? 60_000;
  const slots = new Map<string, Slot>();
  let stopped = false;

  const slot = (source: string): Slot => {
    let s = slots.get(source);
    if (!s) {
      s = { timer: null, timerDueAt: 0, firstTouchAt: null, lastTouchAt: 0, urgent: false, running: null, failures: 0, retryAt: 0, waiters: [] };
      slots.set(source, s);
    }
    return s;
  };

  /** When the next cycle of this slot is due, or null when it has nothing to do. */
  const dueAt = (s: Slot): number | null => {
    let due: number | null = null;
    if (s.urgent) due = clock();
    else if (s.firstTouchAt !== null) due = Math.min(s.lastTouchAt + options.debounceMs, s.firstTouchAt + options.maxWaitMs);
    return due === null ? null : Math.max(due, s.retryAt);
  };

  const arm = (source: string, s: Slot): void => {
    if (stopped || s.running) return;
    const due = dueAt(s);
    if (due === null) return;
    const wait = due - clock();
    if (wait <= 0) {
      start(source, s);
      return;
    }
    // An earlier timer re-checks when it fires: events in a burst do not re-arm it each time.
    if (s.timer && s.timerDueAt <= due) return;
    if (s.timer) clearTimeout(s.timer);
    s.timerDueAt = due;
    s.timer = setTimeout(() => {
      s.timer = null;
      arm(source, s);
    }, wait);
  };

  const start = (source: string, s: Slot): void => {
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    s.urgent = false;
    s.firstTouchAt = null;
    const waiters = s.waiters.splice(0);
    s.running = (async () => {
      try {
        await options.run(source);
        s.failures = 0;
        s.retryAt = 0;
      } catch (error) {
        s.failures++;
        const pause = Math.min(retryMs * 2 ** (s.failures - 1), retryMaxMs);
        s.retryAt = clock() + pause;
        // The work is still to do: keep it waiting for the retry.
        s.urgent = true;
        options.onFailure?.(source, error, pause, s.failures);
      } finally {
        s.running = null;
        for (const resolve of waiters) resolve();
        arm(source, s);
      }
    })();
  };

  return {
    touch(source) {
      const s = slot(source);
      const now = clock();
      s.lastTouchAt = now;
      if (s.firstTouchAt === null) s.firstTouchAt = now;
      arm(source, s);
    },
    runSoon(source) {
      const s = slot(source);
      const done = new Promise<void>((resolve) => s.waiters.push(resolve));
      s.urgent = true;
      arm(source, s);
      return done;
    },
    busy(source) {
      const s = slots.get(source);
      return s !== undefined && (s.running !== null || s.urgent || s.firstTouchAt !== null);
    },
    async drain(final = []) {
      stopped = true;
      for (const s of slots.values()) {
        if (s.timer) clearTimeout(s.timer);
        s.timer = null;
      }
      await Promise.all([...slots.values()].map((s) => s.running));
      const last = new Set(final);
      for (const [source, s] of slots) if (s.urgent || s.firstTouchAt !== null) last.add(source);
      const failed: { source: string; error: unknown }[] = [];
      for (const source of last) {
        const s = slot(source);
        s.urgent = false;
        s.firstTouchAt = null;
        try {
          await options.run(source);
        } catch (error) {
          failed.push({ source, error });
        }
        for (const resolve of s.waiters.splice(0)) resolve();
      }
      return failed;
    },
  };
}
