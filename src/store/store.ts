import type { ChangeKind, DriftType, MetadataAttribute, Severity } from '../core/change.js';
import type { Problem } from '../core/problem.js';
import type { Encoding, FormatName } from '../formats/format.js';
import type { StatKey } from '../sources/file-entry.js';

/**
 * The one storage contract. SQLite and PostgreSQL both implement it and both
 * pass test/store/contract.ts. Every method is one atomic step: callers never
 * hold a transaction open across an await, so nothing here assumes a
 * synchronous backend, and every read-then-write happens inside the store
 * where it can be made atomic (an immediate transaction, a unique key).
 *
 * Times are epoch milliseconds from the caller's clock.
 */
export interface Store {
  /** The store's location with any password removed, for messages. */
  readonly location: string;

  ensureSource(input: SourceInput): Promise<SourceRecord>;
  listSources(): Promise<SourceRecord[]>;
  findSource(host: string, name: string): Promise<SourceRecord | undefined>;

  /** Which of these content ids the store does not hold yet. */
  missingContents(ids: readonly string[]): Promise<Set<string>>;
  getContents(ids: readonly string[]): Promise<Map<string, ContentRecord>>;

  loadScanCache(sourceId: number): Promise<Map<string, ScanCacheEntry>>;
  updateScanCache(sourceId: number, upserts: readonly ScanCacheEntry[], removals: readonly string[]): Promise<void>;

  /**
   * Stores a snapshot unless it equals the source's latest (same digest), in
   * which case nothing new is written and the latest comes back unchanged.
   * Contents are inserted if absent. One transaction: a reader never sees a
   * snapshot without all its files. If a file refers to content that is
   * neither given nor stored (pruned since the caller looked), nothing is
   * written and the ids come back, so the caller reads those files again.
   */
  recordSnapshot(input: SnapshotInput): Promise<RecordSnapshotResult>;
  latestSnapshot(sourceId: number): Promise<SnapshotRecord | undefined>;
  getSnapshot(id: number): Promise<SnapshotRecord | undefined>;
  /** The files of a snapshot; SNAPSHOT_NOT_FOUND when it is gone (pruned), never an empty list. */
  snapshotFiles(snapshotId: number): Promise<SnapshotFile[]>;
  listSnapshots(sourceId: number, limit?: number): Promise<SnapshotRecord[]>;

  getBaseline(sourceId: number): Promise<BaselineRecord | undefined>;
  /** With `onlyIfAbsent`, a racing first run keeps whichever baseline landed first and returns it. */
  setBaseline(input: BaselineInput): Promise<BaselineRecord>;

  /**
   * Inserts events whose identity is new and returns the stored row for every
   * identity given (new or already there), in store sequence order. Any
   * number of concurrent callers with the same input store each event once.
   */
  recordEvents(events: readonly EventInput[]): Promise<EventRecord[]>;
  listEvents(filter?: EventFilter): Promise<EventRecord[]>;

  recordCheck(input: CheckInput): Promise<CheckRecord>;
  latestChecks(): Promise<CheckRecord[]>;

  /**
   * Decides atomically whether an alert may go out now: not when its key sent
   * one within the cooldown, not when `maxPerHour` alerts were sent in the
   * sliding hour before `now`. The decision is recorded either way, so
   * suppressed alerts are counted, never dropped silently.
   */
  decideAlert(input: AlertDecisionInput): Promise<AlertDecision>;

  addSilence(input: SilenceInput): Promise<SilenceRecord>;
  /** Silences live at `now` (not expired), or every silence when `now` is not given, newest first. */
  listSilences(now?: number): Promise<SilenceRecord[]>;
  /** Ends a silence now (it stays in the history); false when there is no such silence. */
  expireSilence(id: number, now: number): Promise<boolean>;

  /** What an agent last said about a source (watch mode): replaces the previous report. */
  putHealth(sourceId: number, health: SourceHealth, now: number): Promise<void>;
  listHealth(): Promise<{ sourceId: number; updatedAt: number; health: SourceHealth }[]>;

  /** Counts read from one point in time. */
  summary(now: number): Promise<StoreSummary>;
  /** Applies retention; never removes a baseline, a source's latest snapshot, or referenced content. */
  prune(policy: RetentionPolicy, now: number): Promise<PruneResult>;

  close(): Promise<void>;

  // ---------------------------------------------------------------------------
  // Alerts: decisions, the outbox and its deliveries (src/alerts/, docs/alerts.md).
  // A decision and the rows it creates are one transaction, so the limits hold
  // exactly across processes and an alert decided is never lost.
  // ---------------------------------------------------------------------------

  /**
   * Decides one group of changes (one source, one detection cycle): items
   * whose key alerted within the cooldown are held back (`cooldown`); the
   * others become ONE alert, sent when the sliding hour has room (with a
   * pending delivery for each receiver that takes it), else held back
   * (`rate_limited`). With `onlyNew`, items whose event was decided before
   * are skipped. Held-back alerts wait for a digest.
   */
  decideAlerts(input: AlertGroupInput): Promise<AlertGroupDecision>;
  /**
   * Creates the digests that are due: one global digest counting every alert
   * held back since the last one, when one of them is due and the hour has
   * room (it takes a place under the limit); and for each receiver with its
   * own limit, one digest of the deliveries it held back, when its hour has room.
   */
  flushDigests(input: DigestInput): Promise<DigestRecord[]>;
  /**
   * Leases up to `limit` due pending deliveries to these receivers, oldest
   * first, for `leaseMs`: no other caller gets them until the lease ends.
   */
  claimDeliveries(input: ClaimInput): Promise<ClaimedDelivery[]>;
  /**
   * Records how a claimed delivery went. `sent` wins whoever holds the lease
   * (it did go out); the others apply only while `owner` holds it. False when
   * nothing changed.
   */
  finishDelivery(input: FinishDeliveryInput): Promise<boolean>;
  /** Alert history, newest first: every alert decided, with its deliveries. */
  listAlerts(filter?: AlertFilter): Promise<AlertHistoryEntry[]>;
  /**
   * Removes finished alerts decided before `before` (nothing pending or
   * waiting for a digest) and cooldowns that ended before it. Callers keep at
   * least the last hour and the cooldown: `before <= now - max(cooldown, 1h)`.
   */
  pruneAlerts(before: number): Promise<number>;
}

export interface SourceInput {
  host: string;
  name: string;
  kind: string;
  /** Where it reads from: a path, a command line; for display. */
  origin: string;
  now: number;
}

export interface SourceRecord extends Omit<SourceInput, 'now'> {
  id: number;
  createdAt: number;
}

/** One parsed file version, stored once however many snapshots hold it. */
export interface ContentRecord {
  /** Keyed hash of format + bytes: equal ids mean equal content. */
  id: string;
  format: FormatName;
  size: number;
  encoding: Encoding;
  /** The redacted document (value-codec text); absent for binary content. */
  document?: string;
  /** The original bytes, kept only when the file holds no secret. */
  raw?: Buffer;
  /** Whether redaction masked anything in this content. */
  secret: boolean;
}

export interface SnapshotFile {
  file: string;
  type: 'file' | 'symlink';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  contentId: string | null;
  target: string | null;
}

export interface SnapshotInput {
  sourceId: number;
  takenAt: number;
  /** Hash of everything that can drift; equal digests mean equal state. */
  digest: string;
  /** Which fingerprint key made this snapshot's secret fingerprints and content ids. */
  keyId: string;
  files: readonly SnapshotFile[];
  /** Contents the files refer to that may not be stored yet. */
  contents: readonly ContentRecord[];
}

export type RecordSnapshotResult =
  | { status: 'created' | 'unchanged'; snapshot: SnapshotRecord }
  | { status: 'missing-contents'; ids: string[] };

export interface SnapshotRecord {
  id: number;
  sourceId: number;
  takenAt: number;
  digest: string;
  keyId: string;
  fileCount: number;
}

export interface BaselineInput {
  sourceId: number;
  snapshotId: number;
  acceptedAt: number;
  acceptedBy: string;
  reason: string | null;
  onlyIfAbsent?: boolean;
}

export type BaselineRecord = Omit<BaselineInput, 'onlyIfAbsent'>;

export interface EventInput {
  /** Hash of (source, snapshot compared against, file, path, kind, attribute, new value's fingerprint). */
  identity: string;
  sourceId: number;
  againstSnapshotId: number;
  snapshotId: number;
  file: string;
  /** JSON Pointer. */
  path: string;
  kind: ChangeKind;
  attribute: MetadataAttribute | null;
  /** value-codec text of the values, secrets already masked; null when absent. */
  before: string | null;
  after: string | null;
  severity: Severity;
  type: DriftType;
  secret: boolean;
  detectedAt: number;
}

/** A recorded event; `id` is the store sequence that orders events. */
export interface EventRecord extends EventInput {
  id: number;
}

export interface EventFilter {
  sourceId?: number;
  since?: number;
  minSeverity?: Severity;
  limit?: number;
  afterId?: number;
}

export type CheckStatus = 'baseline_recorded' | 'drift' | 'problems' | 'clean' | 'error';

export interface CheckInput {
  sourceId: number;
  snapshotId: number | null;
  at: number;
  status: CheckStatus;
  changes: number;
  problems: readonly Problem[];
}

export interface CheckRecord extends CheckInput {
  id: number;
}

export interface RetentionPolicy {
  snapshots: { maxAgeMs: number; keepLast: number };
  events: { maxAgeMs: number };
  /** Alert decisions younger than this are the memory of the rate limit and cooldowns: never pruned. */
  alerts?: { keepMs: number };
}

export interface PruneResult {
  snapshots: number;
  contents: number;
  events: number;
  checks: number;
}

export interface StoreSummary {
  sources: number;
  snapshots: number;
  events: number;
  events24h: number;
  severity24h: Record<Severity, number>;
  /** Events of the last 24 h whose values are not secret: `restore` can undo them. */
  restorable24h: number;
  lastCheckAt: number | null;
  /** Every source with its latest check, read in the same transaction as the counts. */
  sourceChecks: { source: SourceRecord; check: CheckRecord | undefined }[];
}

export interface AlertDecisionInput {
  key: string;
  eventId: number | null;
  now: number;
  cooldownMs: number;
  maxPerHour: number;
}

export interface AlertDecision {
  send: boolean;
  reason: 'sent' | 'cooldown' | 'rate_limited';
  id: number;
}

/**
 * Drift matching a live silence is recorded but not alerted. `match` uses the
 * fields of an ignore rule (source, file, path globs; kind; attribute).
 */
export interface SilenceInput {
  match: { source?: string; file?: string; path?: string; kind?: string | string[]; attribute?: string | string[] };
  owner: string;
  reason: string;
  createdAt: number;
  expiresAt: number;
}

export interface SilenceRecord extends SilenceInput {
  id: number;
}

/** An agent's account of one source it watches. */
export interface SourceHealth {
  /** `events` (file-system events plus the periodic check) or `polling`. */
  mode: 'events' | 'polling' | 'interval';
  filesWatched: number;
  lastCycleAt: number | null;
  lastCycleMs: number | null;
  problems: number;
  /** Free text for what the numbers do not say (`root missing since 10:42`). */
  note?: string;
}

export type ScanCacheEntry = StatKey & { file: string; contentId: string | null };

// -----------------------------------------------------------------------------
// Alerts: the types of the outbox (see the Store methods above, docs/alerts.md).
// -----------------------------------------------------------------------------

/** Why an alert went out (`sent`, `digest`) or was held back (`cooldown`, `rate_limited`). */
export type AlertReason = 'sent' | 'cooldown' | 'rate_limited' | 'digest';

/** Where an alert stands: held back, waiting for a receiver, given up on by one, or delivered to all. */
export type AlertState = 'sent' | 'pending' | 'failed' | 'suppressed';

/** A delivery to one receiver. `suppressed`: held back by the receiver's own limit (reason `receiver_rate_limited`). */
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'suppressed';

/**
 * decideAlert also writes the outbox when given `alert`: the alert row, its
 * item and a pending delivery per receiver, in the decision's transaction.
 * (Declaration merging adds this field to AlertDecisionInput above.)
 */
export interface AlertDecisionInput {
  alert?: {
    host: string;
    source: string;
    item: Omit<AlertItemInput, 'key'>;
    receivers: readonly ReceiverLimit[];
  };
}

/** One change offered for alerting. */
export interface AlertItemInput {
  eventId: number | null;
  /** The cooldown key (alerts.cooldownKey of the change). */
  key: string;
  severity: Severity;
  type: DriftType;
  detectedAt: number;
  /** JSON text describing the change, values already masked (src/alerts/alert-item.ts). */
  detail: string;
}

/** A receiver as decisions see it: its name and its own limits, never its address or secret. */
export interface ReceiverLimit {
  name: string;
  minSeverity: Severity;
  maxPerHour: number | null;
}

export interface AlertGroupInput {
  host: string;
  source: string;
  now: number;
  cooldownMs: number;
  maxPerHour: number;
  items: readonly AlertItemInput[];
  /** Skip items whose event was decided before (drift that persists is alerted once). */
  onlyNew?: boolean;
  receivers: readonly ReceiverLimit[];
}

export interface DecidedAlert {
  id: number;
  reason: AlertReason;
  /** True when it goes out (deliveries were queued for the receivers that take it). */
  send: boolean;
  items: number;
  deliveries: number;
}

export interface AlertGroupDecision {
  /** At most two: the alert of the fresh items (sent or rate_limited), the items held by cooldown. */
  alerts: DecidedAlert[];
  /** Items skipped by `onlyNew`. */
  skipped: number;
}

export interface DigestInput {
  now: number;
  maxPerHour: number;
  receivers: readonly ReceiverLimit[];
}

/** What a digest counts: the alerts held back since the previous one. Times are epoch ms. */
export interface DigestCounts {
  alerts: number;
  changes: number;
  byReason: Record<string, number>;
  bySeverity: Record<Severity, number>;
  /** The sources with the most held-back alerts, at most ten. */
  sources: { host: string | null; source: string | null; alerts: number }[];
  since: number;
  until: number;
}

export interface DigestRecord {
  id: number;
  /** A receiver's own digest goes to it alone; null for the global digest. */
  receiver: string | null;
  counts: DigestCounts;
  deliveries: number;
}

export interface ClaimInput {
  /** Who holds the lease (unique per dispatcher). */
  owner: string;
  receivers: readonly string[];
  now: number;
  leaseMs: number;
  limit: number;
}

export interface AlertItemRecord {
  eventId: number | null;
  key: string;
  severity: Severity;
  type: DriftType;
  detectedAt: number;
  detail: string;
}

/** A decided alert or digest. */
export interface AlertRecord {
  id: number;
  kind: 'alert' | 'digest';
  host: string | null;
  source: string | null;
  severity: Severity;
  decidedAt: number;
  reason: AlertReason;
  /** Held back: waiting for (or counted by) a digest. */
  suppressed: boolean;
  /** Held back: the digest that counted it. */
  digestId: number | null;
  /** A receiver's own digest: the receiver. */
  receiver: string | null;
  items: AlertItemRecord[];
  digest: DigestCounts | null;
}

export interface ClaimedDelivery {
  id: number;
  alertId: number;
  receiver: string;
  /** Stable for the delivery's whole life: retries and crashes repeat it. */
  idempotencyKey: string;
  /** Failed attempts before this one. */
  failures: number;
  createdAt: number;
  alert: AlertRecord;
}

export type FinishDeliveryInput = { id: number; owner: string; now: number } & (
  | { outcome: 'sent' }
  | { outcome: 'retry'; error: string; nextAttemptAt: number }
  | { outcome: 'failed'; error: string }
  /** Give the lease back without counting an attempt (not tried: its receiver just failed). */
  | { outcome: 'release' }
);

export interface DeliveryRecord {
  id: number;
  receiver: string;
  status: DeliveryStatus;
  /** Why it is suppressed, or the last failure. */
  reason: string | null;
  failures: number;
  createdAt: number;
  nextAttemptAt: number;
  sentAt: number | null;
  idempotencyKey: string;
  /** Suppressed: the receiver digest that counted it. */
  digestId: number | null;
}

export interface AlertFilter {
  state?: AlertState;
  source?: string;
  limit?: number;
}

export type AlertHistoryEntry = AlertRecord & { state: AlertState; deliveries: DeliveryRecord[] };
