import { SEVERITIES, type Severity } from '../core/change.js';
import type { AlertReason, DigestCounts } from '../store/store.js';

/**
 * What a digest counts, tallied from the alerts it covers: pure, the same
 * arithmetic for both stores' outboxes.
 */
export interface Tally extends Omit<DigestCounts, 'sources'> {
  sources: Map<string, { host: string | null; source: string | null; alerts: number }>;
}

/** The fields of an alert a tally reads. */
export interface TalliedAlert {
  host: string | null;
  source: string | null;
  severity: Severity;
  reason: AlertReason;
  decided_at: number;
}

export function emptyCounts(now: number): Tally {
  return {
    alerts: 0, changes: 0, byReason: {}, bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>,
    sources: new Map(), since: now, until: 0,
  };
}

export function addAlert(t: Tally, alert: TalliedAlert, changes: number, alerts: number, reason: string = alert.reason): void {
  t.alerts += alerts;
  t.changes += changes;
  t.byReason[reason] = (t.byReason[reason] ?? 0) + alerts;
  t.bySeverity[alert.severity] += alerts;
  const key = `${alert.host ?? ''}\0${alert.source ?? ''}`;
  const entry = t.sources.get(key) ?? { host: alert.host, source: alert.source, alerts: 0 };
  entry.alerts += alerts;
  t.sources.set(key, entry);
  t.since = Math.min(t.since, alert.decided_at);
  t.until = Math.max(t.until, alert.decided_at);
}

/** Adds what an earlier digest counted (a receiver's digest that covers a held-back global digest). */
export function mergeCounts(t: Tally, c: DigestCounts): void {
  t.alerts += c.alerts;
  t.changes += c.changes;
  for (const [reason, n] of Object.entries(c.byReason)) t.byReason[reason] = (t.byReason[reason] ?? 0) + n;
  for (const s of SEVERITIES) t.bySeverity[s] += c.bySeverity[s] ?? 0;
  for (const s of c.sources) {
    const key = `${s.host ?? ''}\0${s.source ?? ''}`;
    const entry = t.sources.get(key) ?? { host: s.host, source: s.source, alerts: 0 };
    entry.alerts += s.alerts;
    t.sources.set(key, entry);
  }
  t.since = Math.min(t.since, c.since);
  t.until = Math.max(t.until, c.until);
}

/** The counts as stored and returned: the ten sources with the most alerts. */
export function finish(t: Tally): DigestCounts {
  const sources = [...t.sources.values()].sort((a, b) => b.alerts - a.alerts).slice(0, 10);
  return { ...t, sources, until: t.until || t.since };
}

/** The one source a tally covers, when it covers only one. */
export function onlySource(t: Tally): { host: string | null; source: string | null } | null {
  return t.sources.size === 1 ? [...t.sources.values()][0]! : null;
}
