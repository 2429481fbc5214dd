/**
 * Snapshots, their contents, baselines and the scan cache in PostgreSQL.
 * Each function runs inside the transaction the store opened for it
 * (withTransaction, READ COMMITTED) and takes, first, the locks that make
 * its read-then-write exact across hosts (see postgres-locks.ts).
 */
import { DriftError } from '../../errors.js';
import { decodeScanCache, encodeScanCache } from '../scan-cache-codec.js';
import type { BaselineInput, BaselineRecord, RecordSnapshotResult, ScanCacheEntry, SnapshotFile, SnapshotInput, SnapshotRecord } from '../store.js';
import { lock } from './postgres-locks.js';
import * as rows from './postgres-rows.js';
import type { Client, PgDatabase } from './with-transaction.js';

/**
 * Store#recordSnapshot. Locks: `prune` shared (no content or snapshot it
 * relies on can be pruned until it commits), then `snapshot:<source>`, so
 * "does this equal the latest?" and the insert are one step per source:
 * N agents recording one unchanged state store it once.
 */
export async function recordSnapshotPg(c: Client, db: PgDatabase, input: SnapshotInput): Promise<RecordSnapshotResult> {
  await lock(c, db, 'prune', 'shared');
  await lock(c, db, `snapshot:${input.sourceId}`);
  const latest = (await c.query(`SELECT * FROM snapshots WHERE source_id = $1 ORDER BY id DESC LIMIT 1`, [input.sourceId])).rows[0];
  if (latest !== undefined && latest.digest === input.digest) return { status: 'unchanged', snapshot: rows.toSnapshot(latest) };

  const given = new Set(input.contents.map((content) => content.id));
  const referenced = [...new Set(input.files.flatMap((f) => (f.contentId !== null && !given.has(f.contentId) ? [f.contentId] : [])))];
  if (referenced.length > 0) {
    const stored = new Set((await c.query<{ id: string }>(`SELECT id FROM contents WHERE id = ANY($1::text[])`, [referenced])).rows.map((r) => r.id));
    const missing = referenced.filter((id) => !stored.has(id));
    if (missing.length > 0) return { status: 'missing-contents', ids: missing };
  }
  await insertContents(c, input);
  const { rows: [inserted] } = await c.query<{ id: number }>(
    `INSERT INTO snapshots (source_id, taken_at, digest, key_id, file_count) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [input.sourceId, input.takenAt, input.digest, input.keyId, input.files.length]);
  const id = inserted!.id;
  await insertFiles(c, id, input.files);
  const snapshot: SnapshotRecord = {
    id, sourceId: input.sourceId, takenAt: input.takenAt, digest: input.digest, keyId: input.keyId, fileCount: input.files.length,
  };
  return { status: 'created', snapshot };
}

async function insertContents(c: Client, input: SnapshotInput): Promise<void> {
  if (input.contents.length === 0) return;
  // Sorted by id: two agents inserting overlapping contents wait for each other in one order, never in a cycle.
  const list = [...new Map(input.contents.map((content) => [content.id, content])).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await c.query(`INSERT INTO contents (id, format, size, bom, eol, document, raw, secret)
    SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::boolean[], $5::text[], $6::text[], $7::bytea[], $8::boolean[])
    ON CONFLICT (id) DO NOTHING`, [
    list.map((x) => x.id), list.map((x) => x.format), list.map((x) => x.size), list.map((x) => x.encoding.bom),
    list.map((x) => x.encoding.eol), list.map((x) => x.document ?? null), list.map((x) => x.raw ?? null), list.map((x) => x.secret),
  ]);
}

async function insertFiles(c: Client, snapshotId: number, files: readonly SnapshotFile[]): Promise<void> {
  if (files.length === 0) return;
  await c.query(`INSERT INTO snapshot_files (snapshot_id, file, type, mode, uid, gid, size, mtime_ms, content_id, target)
    SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::float8[], $9::text[], $10::text[])`, [
    snapshotId, files.map((f) => f.file), files.map((f) => f.type), files.map((f) => f.mode), files.map((f) => f.uid), files.map((f) => f.gid),
    files.map((f) => f.size), files.map((f) => f.mtimeMs), files.map((f) => f.contentId), files.map((f) => f.target),
  ]);
}

/**
 * Store#snapshotFiles: one statement, so one point in time: the snapshot row
 * and its files are read together, and a pruned snapshot is SNAPSHOT_NOT_FOUND.
 */
export async function snapshotFilesPg(c: Client, snapshotId: number): Promise<SnapshotFile[]> {
  const { rows: found } = await c.query(`SELECT s.id AS found, f.* FROM snapshots s LEFT JOIN snapshot_files f ON f.snapshot_id = s.id
    WHERE s.id = $1 ORDER BY f.file`, [snapshotId]);
  if (found.length === 0) throw new DriftError('SNAPSHOT_NOT_FOUND', `snapshot #${snapshotId} is no longer in the store (pruned)`);
  return found.filter((r) => r.file !== null).map(rows.toSnapshotFile);
}

/**
 * Store#setBaseline. Locks: `prune` shared, so the snapshot it names stays
 * until the baseline protects it. With `onlyIfAbsent`, the unique key on
 * baselines.source_id decides a racing first run: the loser gets the
 * winner's baseline back.
 */
export async function setBaselinePg(c: Client, db: PgDatabase, input: BaselineInput): Promise<BaselineRecord> {
  await lock(c, db, 'prune', 'shared');
  const existing = async () => (await c.query(`SELECT * FROM baselines WHERE source_id = $1`, [input.sourceId])).rows[0];
  if (input.onlyIfAbsent) {
    const row = await existing();
    if (row !== undefined) return rows.toBaseline(row);
  }
  if ((await c.query(`SELECT 1 FROM snapshots WHERE id = $1`, [input.snapshotId])).rowCount === 0) {
    throw new DriftError('SNAPSHOT_NOT_FOUND', `snapshot #${input.snapshotId} is no longer in the store (pruned); it cannot become the baseline`);
  }
  const args = [input.sourceId, input.snapshotId, input.acceptedAt, input.acceptedBy, input.reason];
  const upsert = input.onlyIfAbsent
    ? `ON CONFLICT (source_id) DO NOTHING`
    : `ON CONFLICT (source_id) DO UPDATE SET snapshot_id = excluded.snapshot_id, accepted_at = excluded.accepted_at, accepted_by = excluded.accepted_by, reason = excluded.reason`;
  const written = await c.query(`INSERT INTO baselines (source_id, snapshot_id, accepted_at, accepted_by, reason) VALUES ($1, $2, $3, $4, $5) ${upsert}`, args);
  if (written.rowCount === 0) return rows.toBaseline(await existing());
  await c.query(`INSERT INTO baseline_history (source_id, snapshot_id, accepted_at, accepted_by, reason) VALUES ($1, $2, $3, $4, $5)`, args);
  const { onlyIfAbsent: _, ...record } = input;
  return record;
}

/**
 * Store#updateScanCache. Lock: `scan-cache:<source>`, so two scans of one
 * source merge their rows instead of one overwriting the other's.
 */
export async function updateScanCachePg(c: Client, db: PgDatabase, sourceId: number, upserts: readonly ScanCacheEntry[], removals: readonly string[]): Promise<void> {
  await lock(c, db, `scan-cache:${sourceId}`);
  const blob = (await c.query<{ data: Buffer }>(`SELECT data FROM scan_caches WHERE source_id = $1`, [sourceId])).rows[0]?.data;
  const cache = blob === undefined ? new Map<string, ScanCacheEntry>() : decodeScanCache(blob);
  for (const file of removals) cache.delete(file);
  for (const entry of upserts) cache.set(entry.file, entry);
  await c.query(`INSERT INTO scan_caches (source_id, data) VALUES ($1, $2) ON CONFLICT (source_id) DO UPDATE SET data = excluded.data`,
    [sourceId, encodeScanCache(cache.values())]);
}
