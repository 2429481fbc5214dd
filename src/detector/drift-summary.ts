import type { Severity } from '../core/change.js';
import type { CheckStatus, Store } from '../store/store.js';

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
}

/** Reads the summary; the counts come from one read transaction. */
export async function driftSummary(store: Store, now: number, enabled: boolean): Promise<DriftSummary> {
  const counts = await store.summary(now);
  const perSource = counts.sourceChecks.map(({ source: s, check }): SourceStatus => {
    return {
      source: s.name, host: s.host, status: check?.status ?? 'never_checked',
      lastCheck: check ? new Date(check.at).toISOString() : null,
      changes: check?.changes ?? 0, problems: check?.problems.length ?? 0,
    };
  });
  return {
    enabled, sources: counts.sources, snapshots: counts.snapshots, events: counts.events, events24h: counts.events24h,
    severity: counts.severity24h, autoRemediable: counts.restorable24h,
    lastRun: counts.lastCheckAt === null ? null : new Date(counts.lastCheckAt).toISOString(),
    problems: perSource.reduce((n, s) => n + s.problems, 0), perSource,
  };
}
