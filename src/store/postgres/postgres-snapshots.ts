/**
 * Snapshots, their contents, baselines and the scan cache in PostgreSQL.
 * Each runs in a READ COMMITTED transaction that took first the locks named
 * on it (PostgresStore): they make its read-then-write exact across hosts
 * (postgres-locks.ts).
 */
import { DriftError } from '../../errors.js';
import { decodeScanCache, encodeScanCache } from '../scan-cache-codec.js';
import type {
  BaselineInput, BaselineRecord, ContentRecord, RecordSnapshotResult, ScanCacheEntry, SnapshotFile, SnapshotInput, SnapshotRecord,
} from '../store.js';
import type { Decision } from './locked-statements.js';
import { sql } from './sql-literal.js';
import * as rows from '../store-rows.js';
import type { Client } from './with-transaction.js';

/**
 * Store#recordSnapshot as a Decision, run under `prune` (shared: no content
 * or snapshot it relies on can be pruned until it commits) and then
 * `snapshot:<source>`, so "does this equal the latest?" and the insert are
 * one step per source: N agents recording one unchanged state store it once.
 * Unchanged, or referring to content no longer stored: nothing is written.
 */
export function recordSnapshotPlan(input: SnapshotInput): Decision<RecordSnapshotResult> {
  const given = new Set(input.contents.map((content) => content.id));
  const referenced = [...new Set(input.files.flatMap((f) => (f.contentId !== null && !given.has(f.contentId) ? [f.contentId] : [])))];
  return {
    read: sql`SELECT
      (SELECT row_to_json(s) FROM (SELECT * FROM snapshots WHERE source_id = ${input.sourceId} ORDER BY id DESC LIMIT 1) s) AS latest,
      (SELECT coalesce(json_agg(id), '[]'::json) FROM contents WHERE id = ANY(${referenced}::text[])) AS stored`,
    decide(row): { write: string[]; answer(ids: (number | undefined)[]): RecordSnapshotResult } {
      const latest = row.latest as { digest: string } | null | undefined;
      if (latest && latest.digest === input.digest) return { write: [], answer: () => ({ status: 'unchanged', snapshot: rows.toSnapshot(latest) }) };
      const stored = new Set(row.stored as string[]);
      const missing = referenced.filter((id) => !stored.has(id));
      if (missing.length > 0) return { write: [], answer: () => ({ status: 'missing-contents', ids: missing }) };
      const write = [...(input.contents.length > 0 ? [insertContentsSql(input)] : []), insertSnapshotSql(input)];
      return {
        write,
        answer: (ids) => ({
          status: 'created',
          snapshot: { id: ids.at(-1)!, sourceId: input.sourceId, takenAt: input.takenAt, digest: input.digest, keyId: input.keyId, fileCount: input.files.length },
        }),
      };
    },
  };
}

function insertContentsSql(input: SnapshotInput): string {
  // Sorted by id: two agents inserting overlapping contents wait for each other in one order, never in a cycle.
  const list = [...new Map(input.contents.map((content) => [content.id, content])).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sql`INSERT INTO contents (id, format, size, bom, eol, document, raw, secret)
    SELECT * FROM unnest(${list.map((x) => x.id)}::text[], ${list.map((x) => x.format)}::text[], ${list.map((x) => x.size)}::bigint[],
      ${list.map((x) => x.encoding.bom)}::boolean[], ${list.map((x) => x.encoding.eol)}::text[], ${list.map((x) => x.document ?? null)}::text[],
      ${list.map((x) => x.raw ?? null)}::bytea[], ${list.map((x) => x.secret)}::boolean[])
    ON CONFLICT (id) DO NOTHING`;
}

/** The snapshot row and all its file rows, in one statement that returns the snapshot's `id`. */
function insertSnapshotSql(input: SnapshotInput): string {
  const files = input.files;
  return sql`WITH s AS (
      INSERT INTO snapshots (source_id, taken_at, digest, key_id, file_count)
      VALUES (${input.sourceId}, ${input.takenAt}, ${input.digest}, ${input.keyId}, ${files.length}) RETURNING id
    ), f AS (
      INSERT INTO snapshot_files (snapshot_id, file, type, mode, uid, gid, size, mtime_ms, content_id, target)
      SELECT s.id, u.* FROM s, unnest(${files.map((f) => f.file)}::text[], ${files.map((f) => f.type)}::text[], ${files.map((f) => f.mode)}::bigint[],
        ${files.map((f) => f.uid)}::bigint[], ${files.map((f) => f.gid)}::bigint[], ${files.map((f) => f.size)}::bigint[],
        ${files.map((f) => f.mtimeMs)}::float8[], ${files.map((f) => f.contentId)}::text[], ${files.map((f) => f.target)}::text[]) AS u
    )
    SELECT id FROM s`;
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
export async function setBaselinePg(c: Client, input: BaselineInput): Promise<BaselineRecord> {
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
 * Store#updateScanCache as a Decision, run under `scan-cache:<source>`: two
 * scans of one source merge their rows instead of one overwriting the other's.
 */
export function updateScanCachePlan(sourceId: number, upserts: readonly ScanCacheEntry[], removals: readonly string[]): Decision<void> {
  return {
    read: sql`SELECT data FROM scan_caches WHERE source_id = ${sourceId}`,
    decide(row) {
      const blob = row.data as Buffer | undefined;
      const cache = blob === undefined ? new Map<string, ScanCacheEntry>() : decodeScanCache(blob);
      for (const file of removals) cache.delete(file);
      for (const entry of upserts) cache.set(entry.file, entry);
      const data = encodeScanCache(cache.values());
      return {
        write: [sql`INSERT INTO scan_caches (source_id, data) VALUES (${sourceId}, ${data}) ON CONFLICT (source_id) DO UPDATE SET data = excluded.data`],
        answer: () => undefined,
      };
    },
  };
}

// --- Reads: one statement each, atomic by itself. ---

export async function missingContentsPg(c: Client, ids: readonly string[]): Promise<Set<string>> {
  const stored = new Set((await c.query<{ id: string }>(`SELECT id FROM contents WHERE id = ANY($1::text[])`, [[...ids]])).rows.map((r) => r.id));
  return new Set(ids.filter((id) => !stored.has(id)));
}

export async function getContentsPg(c: Client, ids: readonly string[]): Promise<Map<string, ContentRecord>> {
  const found = await c.query(`SELECT * FROM contents WHERE id = ANY($1::text[])`, [[...new Set(ids)]]);
  return new Map(found.rows.map((row) => [row.id as string, rows.toContent(row)]));
}

export async function loadScanCachePg(c: Client, sourceId: number): Promise<Map<string, ScanCacheEntry>> {
  const blob = (await c.query<{ data: Buffer }>(`SELECT data FROM scan_caches WHERE source_id = $1`, [sourceId])).rows[0]?.data;
  return blob === undefined ? new Map() : decodeScanCache(blob);
}

export async function latestSnapshotPg(c: Client, sourceId: number): Promise<SnapshotRecord | undefined> {
  const row = (await c.query(`SELECT * FROM snapshots WHERE source_id = $1 ORDER BY id DESC LIMIT 1`, [sourceId])).rows[0];
  return row === undefined ? undefined : rows.toSnapshot(row);
}

export async function getSnapshotPg(c: Client, id: number): Promise<SnapshotRecord | undefined> {
  const row = (await c.query(`SELECT * FROM snapshots WHERE id = $1`, [id])).rows[0];
  return row === undefined ? undefined : rows.toSnapshot(row);
}

export async function listSnapshotsPg(c: Client, sourceId: number, limit: number): Promise<SnapshotRecord[]> {
  return (await c.query(`SELECT * FROM snapshots WHERE source_id = $1 ORDER BY id DESC LIMIT $2`, [sourceId, limit])).rows.map(rows.toSnapshot);
}

export async function getBaselinePg(c: Client, sourceId: number): Promise<BaselineRecord | undefined> {
  const row = (await c.query(`SELECT * FROM baselines WHERE source_id = $1`, [sourceId])).rows[0];
  return row === undefined ? undefined : rows.toBaseline(row);
}
