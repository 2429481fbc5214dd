import { toJsonText } from '../core/json-text.js';
import type { DriftEvent } from '../detector/drift-event.js';
import { DriftError } from '../errors.js';

/**
 * ` 5432 → 6543` for a drift line; nothing for an addition or a removal.
 * Secrets are already masked in the event.
 *
 * @example driftValues({ kind: 'modified', before: 5432n, after: 6543n }) // ' 5432 → 6543'
 */
export function driftValues(e: Pick<DriftEvent, 'kind' | 'before' | 'after'>): string {
  const show = (v: DriftEvent['before']) => {
    const text = toJsonText(v);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  return e.kind === 'modified' || e.kind === 'metadata' ? ` ${show(e.before)} → ${show(e.after)}` : '';
}

/**
 * A duration for people.
 *
 * @example span(300_000) // '5m'; span(1500) // '1.5s'; span(300) // '300ms'
 */
export function span(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size) return `${Math.round((ms / size) * 10) / 10}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * `CODE: message` of an error, for a log line.
 *
 * @example describe(new DriftError('STORE_BUSY', 'locked')) // 'STORE_BUSY: locked'
 */
export function describe(error: unknown): string {
  if (error instanceof DriftError) return `${error.code}: ${error.message}`;
  const e = error as NodeJS.ErrnoException | undefined;
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? error);
}
