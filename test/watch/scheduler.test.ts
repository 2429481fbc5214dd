// The scheduler alone, with a fake cycle: debounce, coalescing, no overlap
// per source, maxWait under a stream of events, retry with backoff, drain.
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/watch/scheduler.js';
import { sleep, waitFor } from './watch-helpers.js';

function recorder(cycleMs = 0, fail?: (n: number) => boolean) {
  const runs: { source: string; start: number; end: number }[] = [];
  let active = 0;
  let maxActive = 0;
  return {
    runs,
    get maxActive() { return maxActive; },
    async run(source: string) {
      const start = Date.now();
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        await sleep(cycleMs);
        if (fail?.(runs.length)) throw new Error('store down');
      } finally {
        active--;
        runs.push({ source, start, end: Date.now() });
      }
    },
  };
}

describe('scheduler', () => {
  it('coalesces a burst of events into one cycle that starts after the burst settles', async () => {
    const r = recorder();
    const s = createScheduler({ run: (src) => r.run(src), debounceMs: 80, maxWaitMs: 5000 });
    const t0 = Date.now();
    for (let i = 0; i < 1000; i++) s.touch('a');
    await sleep(40);
    s.touch('a');
    await waitFor(() => r.runs.length === 1);
    await sleep(250);
    expect(r.runs).toHaveLength(1);
    // Debounced from the last event, not the first.
    expect(r.runs[0]!.start - t0).toBeGreaterThanOrEqual(115);
  });

  it('sources are independent: each has its own debounce and cycle', async () => {
    const r = recorder();
    const s = createScheduler({ run: (src) => r.run(src), debounceMs: 30, maxWaitMs: 5000 });
    s.touch('a');
    s.touch('b');
    s.touch('a');
    await waitFor(() => r.runs.length === 2);
    await sleep(100);
    expect(r.runs.map((x) => x.source).sort()).toEqual(['a', 'b']);
  });

  it('never runs two cycles of one source at once; events during a cycle make exactly one more', async () => {
    const r = recorder(150);
    const s = createScheduler({ run: (src) => r.run(src), debounceMs: 10, maxWaitMs: 5000 });
    s.touch('a');
    await waitFor(() => s.busy('a') && r.maxActive === 1);
    await sleep(30);
    for (let i = 0; i < 50; i++) {
      s.touch('a');
      void s.runSoon('a');
    }
    await waitFor(() => r.runs.length === 2, 5000);
    await sleep(300);
    expect(r.runs).toHaveLength(2);
    expect(r.maxActive).toBe(1);
    expect(r.runs[1]!.start).toBeGreaterThanOrEqual(r.runs[0]!.end);
  });

  it('a stream of events that never settles still gets a cycle every maxWait', async () => {
    const r = recorder();
    const s = createScheduler({ run: (src) => r.run(src), debounceMs: 100, maxWaitMs: 300 });
    const until = Date.now() + 1100;
    while (Date.now() < until) {
      s.touch('a');
      await sleep(20);
    }
    // ~1.1 s of events 20 ms apart: never 100 ms of quiet, so only maxWait starts cycles.
    expect(r.runs.length).toBeGreaterThanOrEqual(2);
    expect(r.runs.length).toBeLessThanOrEqual(5);
  });

  it('runSoon skips the debounce and resolves after a cycle that started after the call', async () => {
    const r = recorder(50);
    const s = createScheduler({ run: (src) => r.run(src), debounceMs: 10_000, maxWaitMs: 10_000 });
    s.touch('a');
    const called = Date.now();
    await s.runSoon('a');
    expect(r.runs).toHaveLength(1);
    expect(r.runs[0]!.start).toBeGreaterThanOrEqual(called);
    expect(Date.now() - called).toBeLessThan(2000);
  });

  it('a failed cycle is retried with backoff until it succeeds, and reported each time', async () => {
    const r = recorder(0, (n) => n < 3);
    const failures: number[] = [];
    const s = createScheduler({
      run: (src) => r.run(src), debounceMs: 10, maxWaitMs: 1000, retryMs: 40,
      onFailure: (_source, _error, retryInMs, n) => failures.push(n * 1000 + retryInMs),
    });
    s.touch('a');
    await waitFor(() => r.runs.length === 4, 5000);
    expect(failures).toEqual([1040, 2080, 3160]);
    // Backoff: each retry waits at least as long as the pause announced.
    expect(r.runs[1]!.start - r.runs[0]!.end).toBeGreaterThanOrEqual(35);
    expect(r.runs[3]!.start - r.runs[2]!.end).toBeGreaterThanOrEqual(150);
    await sleep(300);
    expect(r.runs).toHaveLength(4);
  });

  it('drain waits for the cycle in flight, then runs one last cycle for waiting and named sources', async () => {
    const r = recorder(100);
    const s = createScheduler({ run: (src) => r.run(src), debounceMs: 10_000, maxWaitMs: 10_000 });
    void s.runSoon('a');
    await waitFor(() => s.busy('a') && r.maxActive === 1);
    s.touch('b');
    const failed = await s.drain(['c']);
    expect(failed).toEqual([]);
    expect(r.runs[0]!.source).toBe('a');
    expect(r.runs.map((x) => x.source).sort()).toEqual(['a', 'b', 'c']);
    s.touch('a');
    await sleep(50);
    expect(r.runs).toHaveLength(3);
  });
});
