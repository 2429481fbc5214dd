import type {
  AlertDecision, AlertDecisionInput, AlertFilter, AlertGroupDecision, AlertGroupInput, AlertHistoryEntry, BaselineInput, BaselineRecord, CheckInput,
  CheckRecord, ClaimedDelivery, ClaimInput, ContentRecord, DigestInput, DigestRecord, EventFilter, EventInput, EventRecord, FinishDeliveryInput,
  PruneResult, RecordSnapshotResult, RetentionPolicy, ScanCacheEntry, SilenceInput, SilenceRecord, SnapshotFile, SnapshotInput, SnapshotRecord,
  SourceHealth, SourceInput, SourceRecord, Store, StoreSummary,
} from '../store.js';
import { createBatchQueue } from './batch-queue.js';
import { createKeyedQueue } from './keyed-queue.js';
import type { Lock, LockName } from './postgres-locks.js';
import { openPostgres } from './open-postgres.js';
import * as alerts from './postgres-alerts.js';
import * as deliveries from './postgres-deliveries.js';
import * as events from './postgres-events.js';
import * as healthPg from './postgres-health.js';
import * as silences from './postgres-silences.js';
import * as sources from './postgres-sources.js';
import * as snapshots from './postgres-snapshots.js';
import { pruneStatements, toPruneResult } from './prune-postgres.js';
import { parsePostgresUrl } from './postgres-url.js';
import { withDecision, withStatements, withStatementsWhenFree, type Decision } from './locked-statements.js';
import { withClient, withTransaction, type Client, type PgDatabase } from './with-transaction.js';

export interface PostgresStoreOptions {
  /** Total time an operation keeps retrying lost races (or waits for a lock) before STORE_BUSY. */
  busyLimitMs?: number;
}

/**
 * The fleet store: one PostgreSQL database (or one schema of it) that agents
 * on many hosts write to at once. Every method is one atomic step, of one of
 * three kinds:
 * - one statement (the reads, ensureSource, recordCheck, summary): PostgreSQL
 *   reads a whole statement from one snapshot of the database;
 * - a read-then-write: a READ COMMITTED transaction that first takes the
 *   advisory lock its decision rests on (named on each method below, and in
 *   postgres-locks.ts), so it reads everything committed before the lock was
 *   granted; its statements share round trips with BEGIN and COMMIT
 *   (locked-statements.ts), so the lock is held as briefly as possible;
 * - listAlerts: several reads in one REPEATABLE READ read-only transaction.
 * Calls of this process that need the same lock wait in the process, in call
 * order; alert decisions that wait so are decided together, in one transaction.
 *
 * @example
 * const store = await PostgresStore.open('postgres://driftwatch@db.internal/fleet?schema=driftwatch');
 * await store.listSources();
 * await store.close();
 */
export class PostgresStore implements Store {
  readonly location: string;
  #db: PgDatabase;
  // Calls of this process that would wait for one advisory lock wait here instead, in call order.
  #inOrder = createKeyedQueue();
  // Alert decisions queued in this process are decided together, in order, under one `alerts` lock.
  #alerts = createBatchQueue<alerts.AlertPlan<unknown>>((plans) =>
    withDecision(this.#db, 'deciding alerts', [{ name: 'alerts' }], alerts.batchDecision(plans)));

  private constructor(db: PgDatabase) {
    this.#db = db;
    this.location = db.target.location;
  }

  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    return new PostgresStore(await openPostgres(parsePostgresUrl(url), options.busyLimitMs ?? 30_000));
  }

  /** One statement (or a few independent ones), each atomic by itself. */
  #run<T>(what: string, step: (c: Client) => Promise<T>): Promise<T> {
    return withClient(this.#db, what, step);
  }

  /** One READ COMMITTED transaction that first takes `locks`, in order. */
  #write<T>(what: string, step: (c: Client) => Promise<T>, locks: readonly Lock[] = []): Promise<T> {
    return withTransaction(this.#db, what, step, { locks });
  }

  /**
   * A read-then-write under the lock `name` (after `prune` shared when `prune`
   * is set), in two round trips (withDecision); in call order within this process.
   */
  #decideLocked<T>(name: LockName, what: string, decision: Decision<T>, { prune = false } = {}): Promise<T> {
    const locks: Lock[] = prune ? [{ name: 'prune', shared: true }, { name }] : [{ name }];
    return this.#inOrder(name, () => withDecision(this.#db, what, locks, decision));
  }

  /** Several statements, one snapshot of the database. */
  #readAll<T>(what: string, step: (c: Client) => Promise<T>): Promise<T> {
    return withTransaction(this.#db, what, step, { isolation: 'repeatable read', readOnly: true });
  }

  /** Unique key (host, name): an upsert, and the row that won. */
  ensureSource(input: SourceInput): Promise<SourceRecord> {
    return this.#run('registering a source', (c) => sources.ensureSourcePg(c, input));
  }

  listSources(): Promise<SourceRecord[]> {
    return this.#run('listing sources', (c) => sources.listSourcesPg(c));
  }

  findSource(host: string, name: string): Promise<SourceRecord | undefined> {
    return this.#run('finding a source', (c) => sources.findSourcePg(c, host, name));
  }

  missingContents(ids: readonly string[]): Promise<Set<string>> {
    return this.#run('looking up contents', (c) => snapshots.missingContentsPg(c, ids));
  }

  getContents(ids: readonly string[]): Promise<Map<string, ContentRecord>> {
    return this.#run('reading contents', (c) => snapshots.getContentsPg(c, ids));
  }

  loadScanCache(sourceId: number): Promise<Map<string, ScanCacheEntry>> {
    return this.#run('reading the scan cache', (c) => snapshots.loadScanCachePg(c, sourceId));
  }

  /** Lock `scan-cache:<source>`: read, merge, write. */
  updateScanCache(sourceId: number, upserts: readonly ScanCacheEntry[], removals: readonly string[]): Promise<void> {
    if (upserts.length === 0 && removals.length === 0) return Promise.resolve();
    return this.#decideLocked(`scan-cache:${sourceId}`, 'updating the scan cache', snapshots.updateScanCachePlan(sourceId, upserts, removals));
  }

  /** Locks `prune` (shared) and `snapshot:<source>`: compare with the latest, then insert. */
  recordSnapshot(input: SnapshotInput): Promise<RecordSnapshotResult> {
    return this.#decideLocked(`snapshot:${input.sourceId}`, 'recording a snapshot', snapshots.recordSnapshotPlan(input), { prune: true });
  }

  latestSnapshot(sourceId: number): Promise<SnapshotRecord | undefined> {
    return this.#run('reading the latest snapshot', (c) => snapshots.latestSnapshotPg(c, sourceId));
  }

  getSnapshot(id: number): Promise<SnapshotRecord | undefined> {
    return this.#run('reading a snapshot', (c) => snapshots.getSnapshotPg(c, id));
  }

  /** One statement: the snapshot and its files from one point in time. */
  snapshotFiles(snapshotId: number): Promise<SnapshotFile[]> {
    return this.#run('reading snapshot files', (c) => snapshots.snapshotFilesPg(c, snapshotId));
  }

  listSnapshots(sourceId: number, limit = 1000): Promise<SnapshotRecord[]> {
    return this.#run('listing snapshots', (c) => snapshots.listSnapshotsPg(c, sourceId, limit));
  }

  getBaseline(sourceId: number): Promise<BaselineRecord | undefined> {
    return this.#run('reading the baseline', (c) => snapshots.getBaselinePg(c, sourceId));
  }

  /** Lock `prune` (shared); unique key baselines.source_id decides a racing first run. */
  setBaseline(input: BaselineInput): Promise<BaselineRecord> {
    return this.#write('setting the baseline', (c) => snapshots.setBaselinePg(c, input), [{ name: 'prune', shared: true }]);
  }

  /**
   * Unique key events.identity (ON CONFLICT DO NOTHING). Identities all stored
   * already (a comparison asked again) are one read; otherwise lock `events`,
   * so new ids are handed out in commit order.
   */
  recordEvents(input: readonly EventInput[]): Promise<EventRecord[]> {
    if (input.length === 0) return Promise.resolve([]);
    return this.#inOrder('events', () => events.recordEventsPg(this.#db, input));
  }

  listEvents(filter: EventFilter = {}): Promise<EventRecord[]> {
    return this.#run('listing events', (c) => events.listEventsPg(c, filter));
  }

  /** Inserts only: the check and its problems in one statement. */
  recordCheck(input: CheckInput): Promise<CheckRecord> {
    return this.#run('recording a check', (c) => events.recordCheckPg(c, input));
  }

  latestChecks(): Promise<CheckRecord[]> {
    return this.#run('reading checks', (c) => events.latestChecksPg(c));
  }

  /** Lock `alerts`: the hour's count and the key's cooldown, then the decision. */
  decideAlert(input: AlertDecisionInput): Promise<AlertDecision> {
    return this.#alerts.batch(alerts.decideAlertPlan(input));
  }

  addSilence(input: SilenceInput): Promise<SilenceRecord> {
    return this.#run('adding a silence', (c) => silences.addSilencePg(c, input));
  }

  listSilences(now?: number): Promise<SilenceRecord[]> {
    return this.#run('listing silences', (c) => silences.listSilencesPg(c, now));
  }

  expireSilence(id: number, now: number): Promise<boolean> {
    return this.#run('ending a silence', (c) => silences.expireSilencePg(c, id, now));
  }

  putHealth(sourceId: number, health: SourceHealth, now: number): Promise<void> {
    return this.#run('recording source health', (c) => healthPg.putHealthPg(c, sourceId, health, now));
  }

  listHealth(): Promise<{ sourceId: number; updatedAt: number; health: SourceHealth }[]> {
    return this.#run('reading source health', (c) => healthPg.listHealthPg(c));
  }

  /** One statement: every count from the same snapshot of the database. */
  summary(now: number): Promise<StoreSummary> {
    return this.#run('summarising', (c) => events.summaryPg(c, now));
  }

  /**
   * Lock `prune` (exclusive, taken only when free: it never makes writers queue
   * behind it): no snapshot or baseline write is in flight while it decides.
   */
  prune(policy: RetentionPolicy, now: number): Promise<PruneResult> {
    return withStatementsWhenFree(this.#db, 'pruning', 'prune', pruneStatements(policy, now)).then(toPruneResult);
  }

  async close(): Promise<void> {
    await this.#db.pool.end().catch(() => undefined);
  }

  // --- Alerts: the outbox; the SQL is in postgres-alerts.ts and postgres-deliveries.ts. ---

  /** Lock `alerts`: cooldowns, the hour's count and what was decided before, then one alert. */
  decideAlerts(input: AlertGroupInput): Promise<AlertGroupDecision> {
    return this.#alerts.batch(alerts.decideAlertsPlan(input));
  }

  /** Lock `alerts`: what waits for a digest and the hour's room, then the digests. */
  flushDigests(input: DigestInput): Promise<DigestRecord[]> {
    return this.#alerts.alone(() => this.#write('creating alert digests', (c) => alerts.flushDigestsPg(c, input), [{ name: 'alerts' }]));
  }

  /** Row locks: FOR UPDATE SKIP LOCKED on the due deliveries, then their lease. */
  claimDeliveries(input: ClaimInput): Promise<ClaimedDelivery[]> {
    return this.#write('claiming alert deliveries', (c) => deliveries.claimDeliveriesPg(c, input));
  }

  /** One guarded UPDATE: atomic by itself. */
  finishDelivery(input: FinishDeliveryInput): Promise<boolean> {
    return this.#run('recording an alert delivery', (c) => deliveries.finishDeliveryPg(c, input));
  }

  listAlerts(filter: AlertFilter = {}): Promise<AlertHistoryEntry[]> {
    return this.#readAll('listing alerts', (c) => deliveries.listAlertsPg(c, filter));
  }

  /** Lock `alerts`: never removes what a concurrent digest is about to count. */
  pruneAlerts(before: number): Promise<number> {
    return this.#alerts.alone(() => withStatements(this.#db, 'pruning alerts', [{ name: 'alerts' }], deliveries.pruneAlertsStatements(before)))
      .then(([removed]) => Number(removed?.[0]?.n ?? 0));
  }
}
