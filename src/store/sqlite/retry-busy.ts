import { setTimeout as sleep } from 'node:timers/promises';
import { DriftError } from '../../errors.js';

export interface BusyRetryOptions {
  /** Give up after this long in total. */
  limitMs: number;
  /** First pause; doubles each time up to maxDelayMs, with jitter. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs `step` again while SQLite reports the store busy or locked. SQLite's
 * own busy timeout already waits inside each statement; this loop covers what
 * it cannot (a deferred transaction that must restart, a long writer) without
 * ever hanging: past the limit it is a STORE_BUSY error.
 */
export async function retryBusy<T>(step: () => T, options: BusyRetryOptions, what: string): Promise<T> {
  const deadline = Date.now() + options.limitMs;
  let delay = options.initialDelayMs ?? 5;
  for (;;) {
    try {
      return step();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() >= deadline) {
        throw new DriftError('STORE_BUSY', `the store stayed locked by other writers for more than ${options.limitMs} ms while ${what}; retry, or raise store.busyTimeout`, { cause: error });
      }
      await sleep(delay / 2 + Math.random() * delay);
      delay = Math.min(delay * 2, options.maxDelayMs ?? 250);
    }
  }
}

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
