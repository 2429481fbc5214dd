/**
 * Drift events, checks and the summary in PostgreSQL. Each function runs on
 * the connection (and in the transaction, where it needs one) the store
 * opened for it.
 */
import { SEVERITIES, type Severity } from '../../core/change.js';
import type { CheckInput, CheckRecord, EventFilter, EventInput, EventRecord, StoreSummary } from '../store.js';
import { lock } from './postgres-locks.js';
import * as rows from './postgres-rows.js';
import type { Client, PgDatabase } from './with-transaction.js';

const DAY_MS = 86_400_000;

/**
 * Store#recordEvents. The unique key on `identity` with ON CONFLICT DO
 * NOTHING stores each event once however many agents record it. When some
 * are new, the `events` lock makes the inserts one at a time across hosts,
 * so ids are handed out in commit order: a reader paging by id never sees a
 * later id before an earlier one. Identities all stored already (the usual
 * repeat of a comparison) take no lock.
 */
export async function recordEventsPg(c: Client, db: PgDatabase, events: readonly EventInput[]): Promise<EventRecord[]> {
  const identities = events.map((e) => e.identity);
  const read = async () => new Map((await c.query(`SELECT * FROM events WHERE identity = ANY($1::text[])`, [identities])).rows
    .map((row) => [row.identity as string, rows.toEvent(row)]));
  let stored = await read();
  if (identities.some((identity) => !stored.has(identity))) {
    await lock(c, db, 'events');
    // Ids in the order given, as one process calling in a loop would get them.
    await c.query(`INSERT INTO events (identity, source_id, against_snapshot_id, snapshot_id, file, path, kind, attribute, before, after, severity, type, secret, detected_at)
      SELECT identity, source_id, against_snapshot_id, snapshot_id, file, path, kind, attribute, before, after, severity, type, secret, detected_at
      FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
        $11::text[], $12::text[], $13::boolean[], $14::bigint[])
        WITH ORDINALITY AS e (identity, source_id, against_snapshot_id, snapshot_id, file, path, kind, attribute, before, after, severity, type, secret, detected_at, n)
      ORDER BY n
      ON CONFLICT (identity) DO NOTHING`, [
      identities, events.map((e) => e.sourceId), events.map((e) => e.againstSnapshotId), events.map((e) => e.snapshotId),
      events.map((e) => e.file), events.map((e) => e.path), events.map((e) => e.kind), events.map((e) => e.attribute),
      events.map((e) => e.before), events.map((e) => e.after), events.map((e) => e.severity), events.map((e) => e.type),
      events.map((e) => e.secret), events.map((e) => e.detectedAt),
    ]);
    stored = await read();
  }
  return identities.map((identity) => stored.get(identity)!).sort((a, b) => a.id - b.id);
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

/** Store#recordCheck: the check and its problems in the caller's transaction. */
export async function recordCheckPg(c: Client, input: CheckInput): Promise<CheckRecord> {
  const { rows: [row] } = await c.query<{ id: number }>(`INSERT INTO checks (source_id, snapshot_id, at, status, changes, problem_count)
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, [input.sourceId, input.snapshotId, input.at, input.status, input.changes, input.problems.length]);
  const id = row!.id;
  if (input.problems.length > 0) {
    const p = input.problems;
    await c.query(`INSERT INTO problems (check_id, seq, file, code, line, col, key, message)
      SELECT $1, n - 1, file, code, line, col, key, message
      FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[]) WITH ORDINALITY AS p (file, code, line, col, key, message, n)`,
    [id, p.map((x) => x.file), p.map((x) => x.code), p.map((x) => x.line ?? null), p.map((x) => x.column ?? null), p.map((x) => x.key ?? null), p.map((x) => x.message)]);
  }
  return { ...input, id };
}

/** Each source's latest check with its problems, in one statement. */
export async function latestChecksPg(c: Client): Promise<CheckRecord[]> {
  const { rows: found } = await c.query(`SELECT c.*, (SELECT coalesce(json_agg(p ORDER BY p.seq), '[]'::json) FROM problems p WHERE p.check_id = c.id) AS problems
    FROM (SELECT DISTINCT ON (source_id) * FROM checks ORDER BY source_id, id DESC) c ORDER BY c.source_id`);
  return found.map(rows.toCheck);
}

/**
 * Store#summary. Runs inside a REPEATABLE READ read-only transaction (see
 * PostgresStore#summary): every statement below reads the same snapshot of
 * the database, so the counts come from one point in time.
 */
export async function summaryPg(c: Client, now: number): Promise<StoreSummary> {
  const since = now - DAY_MS;
  const { rows: [counts] } = await c.query(`SELECT
      (SELECT count(*) FROM sources) AS sources,
      (SELECT count(*) FROM snapshots) AS snapshots,
      (SELECT count(*) FROM events) AS events,
      (SELECT count(*) FROM events WHERE detected_at > $1 AND NOT secret) AS restorable,
      (SELECT max(at) FROM checks) AS last_check_at`, [since]);
  const severity24h = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const row of (await c.query(`SELECT severity, count(*) AS n FROM events WHERE detected_at > $1 GROUP BY severity`, [since])).rows) {
    severity24h[row.severity as Severity] = Number(row.n);
  }
  const checks = new Map((await latestChecksPg(c)).map((check) => [check.sourceId, check]));
  const sources = (await c.query(`SELECT * FROM sources ORDER BY name, host`)).rows.map(rows.toSource);
  return {
    sources: Number(counts.sources),
    snapshots: Number(counts.snapshots),
    events: Number(counts.events),
    events24h: Object.values(severity24h).reduce((a, b) => a + b, 0),
    severity24h,
    restorable24h: Number(counts.restorable),
    lastCheckAt: counts.last_check_at === null ? null : Number(counts.last_check_at),
    sourceChecks: sources.map((source) => ({ source, check: checks.get(source.id) })),
  };
}
