import type Database from 'better-sqlite3';
import type { PruneResult, RetentionPolicy } from '../store.js';

/**
 * Retention, run inside the caller's immediate transaction so it sees a
 * fixed state: a snapshot goes when it is older than maxAge AND not among its
 * source's newest keepLast AND not a baseline (the latest is always among the
 * newest). Content goes when no remaining snapshot refers to it.
 */
export function pruneSqlite(db: Database.Database, policy: RetentionPolicy, now: number): PruneResult {
  const snapshots = db.prepare(`
    DELETE FROM snapshots WHERE id IN (
      SELECT s.id FROM snapshots s
      WHERE s.taken_at < ?
        AND s.id NOT IN (SELECT snapshot_id FROM baselines)
        AND (SELECT count(*) FROM snapshots n WHERE n.source_id = s.source_id AND n.id > s.id) >= max(?, 1)
    )`).run(now - policy.snapshots.maxAgeMs, policy.snapshots.keepLast).changes;
  const contents = db.prepare(`
    DELETE FROM contents WHERE id NOT IN (SELECT content_id FROM snapshot_files WHERE content_id IS NOT NULL)`).run().changes;
  const events = db.prepare(`DELETE FROM events WHERE detected_at < ?`).run(now - policy.events.maxAgeMs).changes;
  // A source's latest check says how it is now; older ones age out with the events.
  const checks = db.prepare(`
    DELETE FROM checks WHERE at < ? AND id NOT IN (SELECT max(id) FROM checks GROUP BY source_id)`).run(now - policy.events.maxAgeMs).changes;
  // Alert decisions are the memory of the sliding hour and of cooldowns: never younger than those.
  const keepAlerts = Math.max(policy.events.maxAgeMs, policy.alerts?.keepMs ?? 0, 3_600_000);
  db.prepare(`DELETE FROM alert_decisions WHERE decided_at < ?`).run(now - keepAlerts);
  return { snapshots, contents, events, checks };
}
