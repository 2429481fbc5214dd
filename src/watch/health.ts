import type { SourceHealth } from '../store/store.js';

/** What the agent knows of one source between cycles. */
export interface HealthFacts {
  mode: SourceHealth['mode'];
  filesWatched: number;
  lastCycleAt: number | null;
  lastCycleMs: number | null;
  problems: number;
  /** When the root was found missing, or null while it is there. */
  missingSince: number | null;
  /** Why this source is polled instead of watched (`inotify watch limit reached`), or null. */
  pollingReason: string | null;
  /** The last cycle's failure (`STORE_BUSY: ...`), or null when it succeeded. */
  failure: string | null;
  /** The agent stopped (a clean stop): the report is no longer kept current. */
  stopped: boolean;
}

/**
 * The health report the agent writes to the store for a source, and
 * `driftwatch summary` shows: mode, files watched, last cycle, problems,
 * and a note for what the numbers do not say.
 *
 * @example
 * sourceHealth({ mode: 'events', filesWatched: 12, lastCycleAt: 0, lastCycleMs: 8, problems: 0, missingSince: null, pollingReason: null, failure: null, stopped: false })
 * // { mode: 'events', filesWatched: 12, lastCycleAt: 0, lastCycleMs: 8, problems: 0 }
 */
export function sourceHealth(facts: HealthFacts): SourceHealth {
  const notes: string[] = [];
  if (facts.missingSince !== null) notes.push(`root missing since ${new Date(facts.missingSince).toISOString()}`);
  if (facts.pollingReason !== null) notes.push(`polling: ${facts.pollingReason}`);
  if (facts.failure !== null) notes.push(`last cycle failed: ${facts.failure}`);
  if (facts.stopped) notes.push('agent stopped');
  const health: SourceHealth = {
    mode: facts.mode, filesWatched: facts.filesWatched, lastCycleAt: facts.lastCycleAt, lastCycleMs: facts.lastCycleMs, problems: facts.problems,
  };
  if (notes.length > 0) health.note = notes.join('; ');
  return health;
}
