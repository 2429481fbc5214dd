import type { PruneResult, RetentionPolicy } from '../store.js';
import { lock } from './postgres-locks.js';
import type { Client, PgDatabase } from './with-transaction.js';

/**
 * Retention, the same rules as pruneSqlite, in one transaction that holds
 * the `prune` lock exclusively: every recordSnapshot and setBaseline in
 * flight has committed before it reads, and none starts until it commits.
 * So the baselines, each source's newest snapshots and the content they name
 * are exactly what it sees. A snapshot goes when it is older than maxAge AND
 * not among its source's newest max(keepLast, 1) AND not a baseline; content
 * goes when no remaining snapshot refers to it; events and checks older than
 * events.maxAge go (each source's latest check stays).
 *
 * Alert decisions are not touched here: they live in the alert outbox and
 * age out through pruneAlerts, which keeps the sliding hour and the cooldowns.
 */
export async function prunePostgres(c: Client, db: PgDatabase, policy: RetentionPolicy, now: number): Promise<PruneResult> {
  await lock(c, db, 'prune');
  const snapshots = (await c.query(`
    DELETE FROM snapshots WHERE id IN (
      SELECT r.id FROM (
        SELECT id, taken_at, row_number() OVER (PARTITION BY source_id ORDER BY id DESC) AS newest FROM snapshots
      ) r
      WHERE r.taken_at < $1 AND r.newest > GREATEST($2::int, 1)
        AND NOT EXISTS (SELECT 1 FROM baselines b WHERE b.snapshot_id = r.id)
    )`, [now - policy.snapshots.maxAgeMs, policy.snapshots.keepLast])).rowCount ?? 0;
  const contents = (await c.query(`
    DELETE FROM contents c WHERE NOT EXISTS (SELECT 1 FROM snapshot_files f WHERE f.content_id = c.id)`)).rowCount ?? 0;
  const events = (await c.query(`DELETE FROM events WHERE detected_at < $1`, [now - policy.events.maxAgeMs])).rowCount ?? 0;
  // A source's latest check says how it is now; older ones age out with the events.
  const checks = (await c.query(`
    DELETE FROM checks WHERE at < $1 AND id NOT IN (SELECT max(id) FROM checks GROUP BY source_id)`, [now - policy.events.maxAgeMs])).rowCount ?? 0;
  return { snapshots, contents, events, checks };
}
