import type { Severity } from '../core/change.js';
import type { CheckStatus, SourceHealth, Store } from '../store/store.js';

/** The drift summary of SPEC section 5. */
export interface DriftSummary {
  enabled: boolean;
  /** Sources known to the store. */
  sources: number;
  /** Snapshots stored. */
  snapshots: number;
  events: number;
  events24h: number;
  /** Events of the last 24 h by severity; sums to events24h. */
  severity: Record<Severity, number>;
  /** Events of the last 24 h that `driftwatch restore` can undo (their values are not secret). */
  autoRemediable: number;
  /** When the last check of any source ran (ISO 8601), or null. */
  lastRun: string | null;
  /** Files that could not be compared in each source's latest check. */
  problems: number;
  perSource: SourceStatus[];
}

export interface SourceStatus {
  source: string;
  host: string;
  status: CheckStatus | 'never_checked';
  lastCheck: string | null;
  changes: number;
  problems: number;
  /** What the watch agent last reported of this source, or null when no agent ever watched it. */
  watch: WatchHealth | null;
}

/** A watch agent's account of one source (`driftwatch watch` writes it after every cycle). */
export interface WatchHealth {
  /** `events` (file-system events plus the periodic check), `polling`, or `interval` (env and command sources). */
  mode: SourceHealth['mode'];
  filesWatched: number;
  /** When the agent's last cycle of the source ran (ISO 8601), or null. */
  lastCycle: string | null;
  lastCycleMs: number | null;
  problems: number;
  /** What the numbers do not say: a missing root, why it is polled, a failing store, a stopped agent. */
  note: string | null;
  /** When the agent wrote this report (ISO 8601). */
  reportedAt: string;
}

/** Reads the summary; the counts come from one read transaction. */
export async function driftSummary(store: Store, now: number, enabled: boolean): Promise<DriftSummary> {
  const counts = await store.summary(now);
  const health = new Map((await store.listHealth()).map((h) => [h.sourceId, h]));
  const perSource = counts.sourceChecks.map(({ source: s, check }): SourceStatus => {
    const h = health.get(s.id);
    return {
      source: s.name, host: s.host, status: check?.status ?? 'never_checked',
      lastCheck: check ? new Date(check.at).toISOString() : null,
      changes: check?.changes ?? 0, problems: check?.problems.length ?? 0,
      watch: h ? {
        mode: h.health.mode, filesWatched: h.health.filesWatched,
        lastCycle: h.health.lastCycleAt === null ? null : new Date(h.health.lastCycleAt).toISOString(),
        lastCycleMs: h.health.lastCycleMs, problems: h.health.problems, note: h.health.note ?? null,
        reportedAt: new Date(h.updatedAt).toISOString(),
      } : null,
    };
  });
  return {
    enabled, sources: counts.sources, snapshots: counts.snapshots, events: counts.events, events24h: counts.events24h,
    severity: counts.severity24h, autoRemediable: counts.restorable24h,
    lastRun: counts.lastCheckAt === null ? null : new Date(counts.lastCheckAt).toISOString(),
    problems: perSource.reduce((n, s) => n + s.problems, 0), perSource,
  };
}
