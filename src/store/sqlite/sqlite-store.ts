import type Database from 'better-sqlite3';
import { SEVERITIES, type Severity } from '../../core/change.js';
import { DriftError } from '../../errors.js';
import type {
  AlertDecision, AlertDecisionInput, BaselineInput, BaselineRecord, CheckInput, CheckRecord, ContentRecord, EventFilter, EventInput, EventRecord,
  PruneResult, RecordSnapshotResult, RetentionPolicy, ScanCacheEntry, SilenceInput, SilenceRecord, SnapshotFile, SourceHealth, SnapshotInput, SnapshotRecord, SourceInput,
  SourceRecord, Store, StoreSummary,
} from '../store.js';
import { decodeScanCache, encodeScanCache } from '../scan-cache-codec.js';
import { openError, openSqlite } from './open-sqlite.js';
import { retryBusy } from './retry-busy.js';
import { pruneSqlite } from './prune-sqlite.js';
import * as rows from '../store-rows.js';
import * as alertsSql from './sqlite-alerts.js';
import type {
  AlertFilter, AlertGroupDecision, AlertGroupInput, AlertHistoryEntry, ClaimedDelivery, ClaimInput, DigestInput, DigestRecord, FinishDeliveryInput,
} from '../store.js';

export interface SqliteStoreOptions {
  /** Total time an operation keeps retrying a busy store before STORE_BUSY. */
  busyLimitMs?: number;
}

const DAY_MS = 86_400_000;

/**
 * The embedded store: one SQLite file in WAL mode. Every write is an
 * immediate transaction, so a read-then-write (is this snapshot new? is this
 * event recorded?) holds the write lock from its first read and can never
 * race another process into a duplicate or a busy deadlock.
 */
export class SqliteStore implements Store {
  readonly location: string;
  #db: Database.Database;
  #busyLimitMs: number;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    this.location = file;
    this.#busyLimitMs = options.busyLimitMs ?? 30_000;
    this.#db = openSqlite(file, { busyLimitMs: this.#busyLimitMs });
  }

  #read<T>(what: string, step: (db: Database.Database) => T): Promise<T> {
    return retryBusy(() => step(this.#db), { limitMs: this.#busyLimitMs }, what).catch((error) => this.#fail(error));
  }

  #write<T>(what: string, step: (db: Database.Database) => T): Promise<T> {
    return retryBusy(() => this.#db.transaction(() => step(this.#db)).immediate(), { limitMs: this.#busyLimitMs }, what)
      .catch((error) => this.#fail(error));
  }

  // A page gone bad or a full disk mid-run is STORE_CORRUPT or STORE_UNWRITABLE, one line, never a stack trace.
  #fail(error: unknown): never {
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof DriftError || typeof code !== 'string' || !code.startsWith('SQLITE_')) throw error;
    throw openError(this.location, error);
  }

  ensureSource(input: SourceInput): Promise<SourceRecord> {
    return this.#write('registering a source', (db) => {
      db.prepare(`INSERT INTO sources (host, name, kind, origin, created_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (host, name) DO UPDATE SET kind = excluded.kind, origin = excluded.origin
        WHERE kind IS NOT excluded.kind OR origin IS NOT excluded.origin`)
        .run(input.host, input.name, input.kind, input.origin, input.now);
      return rows.toSource(db.prepare(`SELECT * FROM sources WHERE host = ? AND name = ?`).get(input.host, input.name));
    });
  }

  listSources(): Promise<SourceRecord[]> {
    return this.#read('listing sources', (db) => db.prepare(`SELECT * FROM sources ORDER BY name, host`).all().map(rows.toSource));
  }

  findSource(host: string, name: string): Promise<SourceRecord | undefined> {
    return this.#read('finding a source', (db) => {
      const row = db.prepare(`SELECT * FROM sources WHERE host = ? AND name = ?`).get(host, name);
      return row === undefined ? undefined : rows.toSource(row);
    });
  }

  missingContents(ids: readonly string[]): Promise<Set<string>> {
    return this.#read('looking up contents', (db) => {
      const has = db.prepare(`SELECT 1 FROM contents WHERE id = ?`).pluck();
      return new Set(ids.filter((id) => has.get(id) === undefined));
    });
  }

  getContents(ids: readonly string[]): Promise<Map<string, ContentRecord>> {
    return this.#read('reading contents', (db) => {
      const get = db.prepare(`SELECT * FROM contents WHERE id = ?`);
      const out = new Map<string, ContentRecord>();
      for (const id of new Set(ids)) {
        const row = get.get(id);
        if (row !== undefined) out.set(id, rows.toContent(row));
      }
      return out;
    });
  }

  loadScanCache(sourceId: number): Promise<Map<string, ScanCacheEntry>> {
    return this.#read('reading the scan cache', (db) => {
      const blob = db.prepare(`SELECT data FROM scan_caches WHERE source_id = ?`).pluck().get(sourceId) as Buffer | undefined;
      return blob === undefined ? new Map() : decodeScanCache(blob);
    });
  }

  updateScanCache(sourceId: number, upserts: readonly ScanCacheEntry[], removals: readonly string[]): Promise<void> {
    if (upserts.length === 0 && removals.length === 0) return Promise.resolve();
    // Read-modify-write inside one immediate transaction: two scans of one source merge, never lose each other's rows.
    return this.#write('updating the scan cache', (db) => {
      const blob = db.prepare(`SELECT data FROM scan_caches WHERE source_id = ?`).pluck().get(sourceId) as Buffer | undefined;
      const cache = blob === undefined ? new Map<string, ScanCacheEntry>() : decodeScanCache(blob);
      for (const file of removals) cache.delete(file);
      for (const entry of upserts) cache.set(entry.file, entry);
      db.prepare(`INSERT OR REPLACE INTO scan_caches (source_id, data) VALUES (?, ?)`).run(sourceId, encodeScanCache(cache.values()));
    });
  }

  recordSnapshot(input: SnapshotInput): Promise<RecordSnapshotResult> {
    return this.#write('recording a snapshot', (db): RecordSnapshotResult => {
      const latest = db.prepare(`SELECT * FROM snapshots WHERE source_id = ? ORDER BY id DESC LIMIT 1`).get(input.sourceId);
      if (latest !== undefined && (latest as { digest: string }).digest === input.digest) {
        return { status: 'unchanged', snapshot: rows.toSnapshot(latest) };
      }
      const given = new Set(input.contents.map((c) => c.id));
      const stored = db.prepare(`SELECT 1 FROM contents WHERE id = ?`).pluck();
      const missing = new Set<string>();
      for (const f of input.files) {
        if (f.contentId !== null && !given.has(f.contentId) && stored.get(f.contentId) === undefined) missing.add(f.contentId);
      }
      if (missing.size > 0) return { status: 'missing-contents', ids: [...missing] };
      const putContent = db.prepare(`INSERT INTO contents (id, format, size, bom, eol, document, raw, secret)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`);
      for (const c of input.contents) {
        putContent.run(c.id, c.format, c.size, c.encoding.bom ? 1 : 0, c.encoding.eol, c.document ?? null, c.raw ?? null, c.secret ? 1 : 0);
      }
      const { lastInsertRowid } = db.prepare(`INSERT INTO snapshots (source_id, taken_at, digest, key_id, file_count) VALUES (?, ?, ?, ?, ?)`)
        .run(input.sourceId, input.takenAt, input.digest, input.keyId, input.files.length);
      const id = Number(lastInsertRowid);
      const putFile = db.prepare(`INSERT INTO snapshot_files (snapshot_id, file, type, mode, uid, gid, size, mtime_ms, content_id, target)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const f of input.files) putFile.run(id, f.file, f.type, f.mode, f.uid, f.gid, f.size, f.mtimeMs, f.contentId, f.target);
      const snapshot: SnapshotRecord = {
        id, sourceId: input.sourceId, takenAt: input.takenAt, digest: input.digest, keyId: input.keyId, fileCount: input.files.length,
      };
      return { status: 'created', snapshot };
    });
  }

  latestSnapshot(sourceId: number): Promise<SnapshotRecord | undefined> {
    return this.#read('reading the latest snapshot', (db) => {
      const row = db.prepare(`SELECT * FROM snapshots WHERE source_id = ? ORDER BY id DESC LIMIT 1`).get(sourceId);
      return row === undefined ? undefined : rows.toSnapshot(row);
    });
  }

  getSnapshot(id: number): Promise<SnapshotRecord | undefined> {
    return this.#read('reading a snapshot', (db) => {
      const row = db.prepare(`SELECT * FROM snapshots WHERE id = ?`).get(id);
      return row === undefined ? undefined : rows.toSnapshot(row);
    });
  }

  snapshotFiles(snapshotId: number): Promise<SnapshotFile[]> {
    return this.#read('reading snapshot files', (db) => db.transaction(() => {
      if (db.prepare(`SELECT 1 FROM snapshots WHERE id = ?`).get(snapshotId) === undefined) {
        throw new DriftError('SNAPSHOT_NOT_FOUND', `snapshot #${snapshotId} is no longer in the store (pruned)`);
      }
      return db.prepare(`SELECT * FROM snapshot_files WHERE snapshot_id = ? ORDER BY file`).all(snapshotId).map(rows.toSnapshotFile);
    }).deferred());
  }

  listSnapshots(sourceId: number, limit = 1000): Promise<SnapshotRecord[]> {
    return this.#read('listing snapshots', (db) =>
      db.prepare(`SELECT * FROM snapshots WHERE source_id = ? ORDER BY id DESC LIMIT ?`).all(sourceId, limit).map(rows.toSnapshot));
  }

  getBaseline(sourceId: number): Promise<BaselineRecord | undefined> {
    return this.#read('reading the baseline', (db) => {
      const row = db.prepare(`SELECT * FROM baselines WHERE source_id = ?`).get(sourceId);
      return row === undefined ? undefined : rows.toBaseline(row);
    });
  }

  setBaseline(input: BaselineInput): Promise<BaselineRecord> {
    return this.#write('setting the baseline', (db) => {
      const existing = db.prepare(`SELECT * FROM baselines WHERE source_id = ?`).get(input.sourceId);
      if (existing !== undefined && input.onlyIfAbsent) return rows.toBaseline(existing);
      const args = [input.sourceId, input.snapshotId, input.acceptedAt, input.acceptedBy, input.reason] as const;
      db.prepare(`INSERT OR REPLACE INTO baselines (source_id, snapshot_id, accepted_at, accepted_by, reason) VALUES (?, ?, ?, ?, ?)`).run(...args);
      db.prepare(`INSERT INTO baseline_history (source_id, snapshot_id, accepted_at, accepted_by, reason) VALUES (?, ?, ?, ?, ?)`).run(...args);
      const { onlyIfAbsent: _, ...record } = input;
      return record;
    });
  }

  recordEvents(events: readonly EventInput[]): Promise<EventRecord[]> {
    if (events.length === 0) return Promise.resolve([]);
    return this.#write('recording drift events', (db) => {
      const put = db.prepare(`INSERT INTO events (identity, source_id, against_snapshot_id, snapshot_id, file, path, kind, attribute,
        before, after, severity, type, secret, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (identity) DO NOTHING`);
      const get = db.prepare(`SELECT * FROM events WHERE identity = ?`);
      const out: EventRecord[] = [];
      for (const e of events) {
        put.run(e.identity, e.sourceId, e.againstSnapshotId, e.snapshotId, e.file, e.path, e.kind, e.attribute,
          e.before, e.after, e.severity, e.type, e.secret ? 1 : 0, e.detectedAt);
        out.push(rows.toEvent(get.get(e.identity)));
      }
      return out.sort((a, b) => a.id - b.id);
    });
  }

  listEvents(filter: EventFilter = {}): Promise<EventRecord[]> {
    return this.#read('listing events', (db) => {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (filter.sourceId !== undefined) { where.push('source_id = ?'); args.push(filter.sourceId); }
      if (filter.since !== undefined) { where.push('detected_at >= ?'); args.push(filter.since); }
      if (filter.afterId !== undefined) { where.push('id > ?'); args.push(filter.afterId); }
      if (filter.minSeverity !== undefined) {
        const allowed = SEVERITIES.slice(SEVERITIES.indexOf(filter.minSeverity));
        where.push(`severity IN (${allowed.map(() => '?').join(', ')})`);
        args.push(...allowed);
      }
      const sql = `SELECT * FROM events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
      return db.prepare(sql).all(...args, filter.limit ?? 1000).map(rows.toEvent).reverse();
    });
  }

  recordCheck(input: CheckInput): Promise<CheckRecord> {
    return this.#write('recording a check', (db) => {
      const { lastInsertRowid } = db.prepare(`INSERT INTO checks (source_id, snapshot_id, at, status, changes, problem_count) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(input.sourceId, input.snapshotId, input.at, input.status, input.changes, input.problems.length);
      const id = Number(lastInsertRowid);
      const put = db.prepare(`INSERT INTO problems (check_id, file, code, line, col, key, message) VALUES (?, ?, ?, ?, ?, ?, ?)`);
      for (const p of input.problems) put.run(id, p.file, p.code, p.line ?? null, p.column ?? null, p.key ?? null, p.message);
      return { ...input, id };
    });
  }

  latestChecks(): Promise<CheckRecord[]> {
    return this.#read('reading checks', (db) => readLatestChecks(db));
  }

  decideAlert(input: AlertDecisionInput): Promise<AlertDecision> {
    return this.#write('deciding an alert', (db) => alertsSql.decideAlertSql(db, input));
  }

  addSilence(input: SilenceInput): Promise<SilenceRecord> {
    return this.#write('adding a silence', (db) => {
      const { lastInsertRowid } = db.prepare(`INSERT INTO silences (match, owner, reason, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`)
        .run(JSON.stringify(input.match), input.owner, input.reason, input.createdAt, input.expiresAt);
      return { ...input, id: Number(lastInsertRowid) };
    });
  }

  listSilences(now?: number): Promise<SilenceRecord[]> {
    return this.#read('listing silences', (db) => {
      const rowsOut = now === undefined
        ? db.prepare(`SELECT * FROM silences ORDER BY id DESC`).all()
        : db.prepare(`SELECT * FROM silences WHERE expires_at > ? ORDER BY id DESC`).all(now);
      return (rowsOut as { id: number; match: string; owner: string; reason: string; created_at: number; expires_at: number }[]).map((r) => ({
        id: r.id, match: JSON.parse(r.match) as SilenceInput['match'], owner: r.owner, reason: r.reason, createdAt: r.created_at, expiresAt: r.expires_at,
      }));
    });
  }

  expireSilence(id: number, now: number): Promise<boolean> {
    return this.#write('ending a silence', (db) =>
      db.prepare(`UPDATE silences SET expires_at = min(expires_at, ?) WHERE id = ?`).run(now, id).changes > 0);
  }

  putHealth(sourceId: number, health: SourceHealth, now: number): Promise<void> {
    return this.#write('recording source health', (db) => {
      db.prepare(`INSERT OR REPLACE INTO source_health (source_id, updated_at, data) VALUES (?, ?, ?)`).run(sourceId, now, JSON.stringify(health));
    });
  }

  listHealth(): Promise<{ sourceId: number; updatedAt: number; health: SourceHealth }[]> {
    return this.#read('reading source health', (db) =>
      (db.prepare(`SELECT * FROM source_health ORDER BY source_id`).all() as { source_id: number; updated_at: number; data: string }[])
        .map((r) => ({ sourceId: r.source_id, updatedAt: r.updated_at, health: JSON.parse(r.data) as SourceHealth })));
  }

  summary(now: number): Promise<StoreSummary> {
    // One transaction: every count below comes from the same point in time.
    return this.#read('summarising', (db) => db.transaction(() => {
      const count = (sql: string, ...args: number[]) => db.prepare(sql).pluck().get(...args) as number;
      const severity24h = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
      for (const row of db.prepare(`SELECT severity, count(*) AS n FROM events WHERE detected_at > ? GROUP BY severity`).all(now - DAY_MS)) {
        const r = row as { severity: Severity; n: number };
        severity24h[r.severity] = r.n;
      }
      return {
        sources: count(`SELECT count(*) FROM sources`),
        snapshots: count(`SELECT count(*) FROM snapshots`),
        events: count(`SELECT count(*) FROM events`),
        events24h: Object.values(severity24h).reduce((a, b) => a + b, 0),
        severity24h,
        restorable24h: count(`SELECT count(*) FROM events WHERE detected_at > ? AND secret = 0`, now - DAY_MS),
        lastCheckAt: db.prepare(`SELECT max(at) FROM checks`).pluck().get() as number | null,
        sourceChecks: sourceChecks(db),
      };
    }).deferred());
  }

  prune(policy: RetentionPolicy, now: number): Promise<PruneResult> {
    return this.#write('pruning', (db) => pruneSqlite(db, policy, now));
  }

  close(): Promise<void> {
    if (this.#db.open) this.#db.close();
    return Promise.resolve();
  }

  // --- Alerts: the outbox; the SQL is in sqlite-alerts.ts. -------------------

  decideAlerts(input: AlertGroupInput): Promise<AlertGroupDecision> {
    return this.#write('deciding alerts', (db) => alertsSql.decideAlertsSql(db, input));
  }

  flushDigests(input: DigestInput): Promise<DigestRecord[]> {
    return this.#write('creating alert digests', (db) => alertsSql.flushDigestsSql(db, input));
  }

  claimDeliveries(input: ClaimInput): Promise<ClaimedDelivery[]> {
    return this.#write('claiming alert deliveries', (db) => alertsSql.claimDeliveriesSql(db, input));
  }

  finishDelivery(input: FinishDeliveryInput): Promise<boolean> {
    return this.#write('recording an alert delivery', (db) => alertsSql.finishDeliverySql(db, input));
  }

  listAlerts(filter: AlertFilter = {}): Promise<AlertHistoryEntry[]> {
    return this.#read('listing alerts', (db) => db.transaction(() => alertsSql.listAlertsSql(db, filter)).deferred());
  }

  pruneAlerts(before: number): Promise<number> {
    return this.#write('pruning alerts', (db) => alertsSql.pruneAlertsSql(db, before));
  }
}

function readLatestChecks(db: Database.Database): CheckRecord[] {
  const checks = db.prepare(`SELECT c.* FROM checks c JOIN (SELECT source_id, max(id) AS id FROM checks GROUP BY source_id) m ON c.id = m.id ORDER BY c.source_id`).all();
  const problems = db.prepare(`SELECT * FROM problems WHERE check_id = ?`);
  return checks.map((row) => rows.toCheck(row, problems.all((row as { id: number }).id)));
}

function sourceChecks(db: Database.Database): StoreSummary['sourceChecks'] {
  const checks = new Map(readLatestChecks(db).map((c) => [c.sourceId, c]));
  return db.prepare(`SELECT * FROM sources ORDER BY name, host`).all().map(rows.toSource)
    .map((source) => ({ source, check: checks.get(source.id) }));
}
