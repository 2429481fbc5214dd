import type {
  AlertDecision, AlertDecisionInput, AlertFilter, AlertGroupDecision, AlertGroupInput, AlertHistoryEntry, ClaimedDelivery,
  ClaimInput, DigestInput, DigestRecord, FinishDeliveryInput,
} from './alert-records.js';
import type {
  BaselineInput, BaselineRecord, CheckInput, CheckRecord, ContentRecord, EventFilter, EventInput, EventRecord, PruneResult,
  RecordSnapshotResult, RetentionPolicy, ScanCacheEntry, SilenceInput, SilenceRecord, SnapshotFile, SnapshotInput,
  SnapshotRecord, SourceHealth, SourceInput, SourceRecord, StoreSummary,
} from './store-records.js';

export type * from './alert-records.js';
export type * from './store-records.js';

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
