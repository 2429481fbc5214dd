import { severityRank, type DriftType, type Severity } from '../core/change.js';
import type { AlertItemRecord, ClaimedDelivery, DigestCounts } from '../store/store.js';
import type { AlertChange } from './alert-item.js';

/** Changes carried in one alert; the rest are counted (`omittedChanges`) and a command shows them. */
export const MAX_CHANGES_PER_ALERT = 100;

/**
 * What every receiver is sent, as JSON: the alert (or digest), its
 * idempotency key, and the commands to see more or accept the drift.
 * Values are masked; times are ISO 8601 in UTC.
 */
export interface AlertDocument {
  version: 1;
  kind: 'alert' | 'digest';
  /** The alert's id in the store (`driftwatch alerts`). */
  id: number;
  /** The same for every retry of this delivery: a receiver drops a repeat by it. */
  idempotencyKey: string;
  receiver: string;
  host: string | null;
  source: string | null;
  severity: Severity;
  types: DriftType[];
  decidedAt: string;
  /** When the earliest change was detected (a digest: the first alert it counts). */
  since: string;
  changeCount: number;
  omittedChanges: number;
  digest: (Omit<DigestCounts, 'since' | 'until'> & { since: string; until: string }) | null;
  commands: { show: string; accept: string | null };
  changes: AlertChange[];
}

export interface RenderedAlert {
  document: AlertDocument;
  /** The document as JSON text, with every value exactly as stored (integers beyond 2^53 keep their digits). */
  json: string;
}

/**
 * The document of a claimed delivery. `now` only shapes the suggested
 * `--since` window of the command that shows more.
 *
 * @example const { document, json } = renderAlertDocument(claimed, Date.now());
 */
export function renderAlertDocument(delivery: ClaimedDelivery, now: number): RenderedAlert {
  const { alert } = delivery;
  const items = mostSevere(alert.items, MAX_CHANGES_PER_ALERT);
  const changes = items.map((item) => JSON.parse(item.detail) as AlertChange);
  const iso = (ms: number) => new Date(ms).toISOString();
  const sinceMs = alert.digest ? alert.digest.since : alert.items.reduce((min, i) => Math.min(min, i.detectedAt), alert.decidedAt);
  const head: Omit<AlertDocument, 'changes'> = {
    version: 1,
    kind: alert.kind,
    id: alert.id,
    idempotencyKey: delivery.idempotencyKey,
    receiver: delivery.receiver,
    host: alert.host,
    source: alert.source,
    severity: alert.severity,
    types: [...new Set(alert.items.map((i) => i.type))],
    decidedAt: iso(alert.decidedAt),
    since: iso(sinceMs),
    changeCount: alert.digest ? alert.digest.changes : alert.items.length,
    omittedChanges: alert.items.length - items.length,
    digest: alert.digest ? { ...alert.digest, since: iso(alert.digest.since), until: iso(alert.digest.until) } : null,
    commands: commandsFor(alert.kind, alert.source, changes, sinceMs, now),
  };
  // The stored change texts go in verbatim: parsing and printing them again would round big integers.
  const json = JSON.stringify(head).slice(0, -1) + ',"changes":[' + items.map((i) => i.detail).join(',') + ']}';
  return { document: { ...head, changes }, json };
}

function commandsFor(kind: 'alert' | 'digest', source: string | null, changes: AlertChange[], sinceMs: number, now: number): AlertDocument['commands'] {
  const window = sinceWindow(now - sinceMs);
  if (kind === 'digest' || source === null) {
    return { show: `driftwatch alerts --status suppressed && driftwatch events --since ${window}`, accept: null };
  }
  const files = [...new Set(changes.flatMap((c) => (c.file === undefined ? [] : [c.file])))];
  // A zero-config source is named by its absolute path, which is what `baseline accept` takes.
  const target = source.startsWith('/') ? ` ${shellQuote(source)}` : '';
  const only = files.length > 0 && files.length <= 5 ? ` --file ${files.map(shellQuote).join(' ')}` : '';
  return {
    show: `driftwatch events --source ${shellQuote(source)} --since ${window}`,
    accept: `driftwatch baseline accept${target}${only} --reason 'why this change is right'`,
  };
}

/** The `max` most severe items, in their own order. */
function mostSevere(items: readonly AlertItemRecord[], max: number): AlertItemRecord[] {
  if (items.length <= max) return [...items];
  const keep = new Set(items.map((item, i) => ({ item, i }))
    .sort((a, b) => severityRank(b.item.severity) - severityRank(a.item.severity) || a.i - b.i)
    .slice(0, max).map((x) => x.i));
  return items.filter((_, i) => keep.has(i));
}

/** A `--since` window that covers `ms`, rounded up to whole hours (days past two days). */
function sinceWindow(ms: number): string {
  const hours = Math.max(1, Math.ceil(ms / 3_600_000) + 1);
  return hours > 48 ? `${Math.ceil(hours / 24)}d` : `${hours}h`;
}

/** An argument a POSIX shell reads back as itself. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_\/.,:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
