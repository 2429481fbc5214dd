import type { PruneResult, RetentionPolicy } from '../store.js';
import { sql } from './sql-literal.js';

/**
 * Retention, the same rules as pruneSqlite: four statements that run with
 * BEGIN, the `prune` lock (exclusive) and COMMIT in one round trip
 * (PostgresStore#prune). Every recordSnapshot and setBaseline in flight has
 * committed before they read, and none starts until they commit, so the
 * baselines, each source's newest snapshots and the content they name are
 * exactly what they see. A snapshot goes when it is older than maxAge AND
 * not among its source's newest max(keepLast, 1) AND not a baseline; content
 * goes when no remaining snapshot refers to it; events and checks older than
 * events.maxAge go (each source's latest check stays). Each statement
 * returns how many rows it removed.
 *
 * Alert decisions are not touched here: they live in the alert outbox and
 * age out through pruneAlerts, which keeps the sliding hour and the cooldowns.
 */
export function pruneStatements(policy: RetentionPolicy, now: number): string[] {
  const count = (deletion: string) => `WITH d AS (${deletion} RETURNING 1) SELECT count(*) AS n FROM d`;
  return [
    count(sql`DELETE FROM snapshots WHERE id IN (
      SELECT r.id FROM (
        SELECT id, taken_at, row_number() OVER (PARTITION BY source_id ORDER BY id DESC) AS newest FROM snapshots
      ) r
      WHERE r.taken_at < ${now - policy.snapshots.maxAgeMs} AND r.newest > GREATEST(${policy.snapshots.keepLast}, 1)
        AND NOT EXISTS (SELECT 1 FROM baselines b WHERE b.snapshot_id = r.id)
    )`),
    count(`DELETE FROM contents c WHERE NOT EXISTS (SELECT 1 FROM snapshot_files f WHERE f.content_id = c.id)`),
    count(sql`DELETE FROM events WHERE detected_at < ${now - policy.events.maxAgeMs}`),
    // A source's latest check says how it is now; older ones age out with the events.
    count(sql`DELETE FROM checks WHERE at < ${now - policy.events.maxAgeMs} AND id NOT IN (SELECT max(id) FROM checks GROUP BY source_id)`),
  ];
}

export function toPruneResult(counts: readonly Record<string, unknown>[][]): PruneResult {
  const [snapshots, contents, events, checks] = counts.map((rows) => Number(rows[0]?.n ?? 0));
  return { snapshots: snapshots!, contents: contents!, events: events!, checks: checks! };
}
