/**
 * Drift events, checks and the summary in PostgreSQL. Each function runs on
 * the connection (and in the transaction, where it needs one) the store
 * opened for it.
 */
import { SEVERITIES, type Severity } from '../../core/change.js';
import type { CheckInput, CheckRecord, EventFilter, EventInput, EventRecord, StoreSummary } from '../store.js';
import * as rows from '../store-rows.js';
import { sql } from './sql-literal.js';
import { withStatements } from './locked-statements.js';
import { withClient, type Client, type PgDatabase } from './with-transaction.js';

const DAY_MS = 86_400_000;

/** The stored rows of these identities, in store order; undefined when some are not stored yet. */
export async function findEventsPg(c: Client, events: readonly EventInput[]): Promise<EventRecord[] | undefined> {
  const identities = events.map((e) => e.identity);
  const stored = new Map((await c.query(`SELECT * FROM events WHERE identity = ANY($1::text[])`, [identities])).rows
    .map((row) => [row.identity as string, rows.toEvent(row)]));
  if (identities.some((identity) => !stored.has(identity))) return undefined;
  return identities.map((identity) => stored.get(identity)!).sort((a, b) => a.id - b.id);
}

/**
 * Store#recordEvents for identities not all stored yet, as one statement
 * (inline literals) run with BEGIN, the `events` lock and COMMIT in one
 * round trip (PostgresStore#recordEvents). It inserts the new identities in
 * the order given and returns the row of every identity. The unique key on
 * `identity` with ON CONFLICT DO NOTHING stores each event once however many
 * agents record it; the lock makes the inserts one at a time across hosts, so
 * ids are handed out in commit order, and every row another inserter stored
 * has committed before this statement reads.
 */
export function recordEventsSql(events: readonly EventInput[]): string {
  const col = <K extends keyof EventInput>(key: K) => events.map((e) => e[key]);
  return sql`WITH given AS (
      SELECT * FROM unnest(${col('identity')}::text[], ${col('sourceId')}::bigint[], ${col('againstSnapshotId')}::bigint[], ${col('snapshotId')}::bigint[],
        ${col('file')}::text[], ${col('path')}::text[], ${col('kind')}::text[], ${col('attribute')}::text[], ${col('before')}::text[], ${col('after')}::text[],
        ${col('severity')}::text[], ${col('type')}::text[], ${col('secret')}::boolean[], ${col('detectedAt')}::bigint[])
        WITH ORDINALITY AS e (identity, source_id, against_snapshot_id, snapshot_id, file, path, kind, attribute, before, after, severity, type, secret, detected_at, n)
    ), inserted AS (
      INSERT INTO events (identity, source_id, against_snapshot_id, snapshot_id, file, path, kind, attribute, before, after, severity, type, secret, detected_at)
      SELECT identity, source_id, against_snapshot_id, snapshot_id, file, path, kind, attribute, before, after, severity, type, secret, detected_at
      FROM given ORDER BY n
      ON CONFLICT (identity) DO NOTHING
      RETURNING *
    )
    SELECT * FROM inserted UNION ALL SELECT * FROM events WHERE identity IN (SELECT identity FROM given)`;
}

/** The rows recordEventsSql returned, one per identity given, in store order. */
function toRecordedEvents(events: readonly EventInput[], found: readonly Record<string, unknown>[]): EventRecord[] | undefined {
  const stored = new Map(found.map((row) => [row.identity as string, rows.toEvent(row)]));
  if (events.some((e) => !stored.has(e.identity))) return undefined;
  return events.map((e) => stored.get(e.identity)!).sort((a, b) => a.id - b.id);
}

/**
 * Store#recordEvents: identities all stored already (a comparison asked
 * again) are one read, with no lock; otherwise recordEventsSql under the
 * `events` lock, in one round trip.
 */
export async function recordEventsPg(db: PgDatabase, events: readonly EventInput[]): Promise<EventRecord[]> {
  const find = () => withClient(db, 'recording drift events', (c) => findEventsPg(c, events));
  const stored = await find();
  if (stored) return stored;
  const [found] = await withStatements(db, 'recording drift events', [{ name: 'events' }], [recordEventsSql(events)]);
  // Only a row stored without the lock could be missing; a statement of its own sees it.
  return toRecordedEvents(events, found!) ?? (await find())!;
}

/** Store#listEvents: one statement. */
export async function listEventsPg(c: Client, filter: EventFilter): Promise<EventRecord[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (value: unknown) => `$${args.push(value)}`;
  if (filter.sourceId !== undefined) where.push(`source_id = ${arg(filter.sourceId)}`);
  if (filter.since !== undefined) where.push(`detected_at >= ${arg(filter.since)}`);
  if (filter.afterId !== undefined) where.push(`id > ${arg(filter.afterId)}`);
  if (filter.minSeverity !== undefined) where.push(`severity = ANY(${arg(SEVERITIES.slice(SEVERITIES.indexOf(filter.minSeverity)))}::text[])`);
  const sql = `SELECT * FROM events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ${arg(filter.limit ?? 1000)}`;
  return (await c.query(sql, args)).rows.map(rows.toEvent).reverse();
}

/** Store#recordCheck: the check and its problems in one statement, so atomic without a transaction. */
export async function recordCheckPg(c: Client, input: CheckInput): Promise<CheckRecord> {
  const p = input.problems;
  const { rows: [row] } = await c.query<{ id: number }>(`WITH c AS (
      INSERT INTO checks (source_id, snapshot_id, at, status, changes, problem_count) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
    ), p AS (
      INSERT INTO problems (check_id, seq, file, code, line, col, key, message)
      SELECT c.id, n - 1, file, code, line, col, key, message
      FROM c, unnest($7::text[], $8::text[], $9::int[], $10::int[], $11::text[], $12::text[]) WITH ORDINALITY AS p (file, code, line, col, key, message, n)
    )
    SELECT id FROM c`, [
    input.sourceId, input.snapshotId, input.at, input.status, input.changes, p.length,
    p.map((x) => x.file), p.map((x) => x.code), p.map((x) => x.line ?? null), p.map((x) => x.column ?? null), p.map((x) => x.key ?? null), p.map((x) => x.message),
  ]);
  return { ...input, id: row!.id };
}

/** Each source's latest check with its problems, in one statement. */
export async function latestChecksPg(c: Client): Promise<CheckRecord[]> {
  const { rows: found } = await c.query(`SELECT c.*, (SELECT coalesce(json_agg(p ORDER BY p.seq), '[]'::json) FROM problems p WHERE p.check_id = c.id) AS problems
    FROM (SELECT DISTINCT ON (source_id) * FROM checks ORDER BY source_id, id DESC) c ORDER BY c.source_id`);
  return found.map((row) => rows.toCheck(row));
}

/**
 * Store#summary as ONE statement: PostgreSQL reads a whole statement from
 * one snapshot of the database, so every count, the latest check of every
 * source and the sources themselves come from one point in time, in one
 * round trip.
 */
export async function summaryPg(c: Client, now: number): Promise<StoreSummary> {
  const latestCheck = `SELECT k.*, (SELECT coalesce(json_agg(p ORDER BY p.seq), '[]'::json) FROM problems p WHERE p.check_id = k.id) AS problems
    FROM checks k WHERE k.source_id = s.id ORDER BY k.id DESC LIMIT 1`;
  const { rows: [row] } = await c.query(`SELECT
      (SELECT count(*) FROM sources) AS sources,
      (SELECT count(*) FROM snapshots) AS snapshots,
      (SELECT count(*) FROM events) AS events,
      (SELECT count(*) FROM events WHERE detected_at > $1 AND NOT secret) AS restorable,
      (SELECT max(at) FROM checks) AS last_check_at,
      (SELECT coalesce(json_object_agg(severity, n), '{}'::json) FROM (
        SELECT severity, count(*) AS n FROM events WHERE detected_at > $1 GROUP BY severity) e) AS severity,
      (SELECT coalesce(json_agg(x ORDER BY x.name, x.host), '[]'::json) FROM (
        SELECT s.*, (SELECT row_to_json(c) FROM (${latestCheck}) c) AS latest_check FROM sources s) x) AS source_checks`, [now - DAY_MS]);
  const severity24h = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const [severity, n] of Object.entries(row.severity as Record<string, number>)) severity24h[severity as Severity] = Number(n);
  return {
    sources: Number(row.sources),
    snapshots: Number(row.snapshots),
    events: Number(row.events),
    events24h: Object.values(severity24h).reduce((a, b) => a + b, 0),
    severity24h,
    restorable24h: Number(row.restorable),
    lastCheckAt: row.last_check_at === null ? null : Number(row.last_check_at),
    sourceChecks: (row.source_checks as Record<string, unknown>[]).map((x) => ({
      source: rows.toSource(x), check: x.latest_check === null ? undefined : rows.toCheck(x.latest_check),
    })),
  };
}
