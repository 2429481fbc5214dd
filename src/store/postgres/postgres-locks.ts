import pg from 'pg';

/**
 * The advisory locks the PostgreSQL store serialises its decisions on. Each
 * is a transaction lock (released at COMMIT or ROLLBACK, or when a killed
 * client's connection drops), keyed by the schema and what it guards, so
 * stores in different schemas of one database never wait for each other.
 *
 * - `migrate`: opening a store that needs its schema created or upgraded.
 * - `prune`: held exclusively by prune (which never queues for it, see
 *   withStatementsWhenFree); shared by every write that relies on a snapshot
 *   or a content staying put until it commits (recordSnapshot, setBaseline).
 *   Always the first lock a transaction takes.
 * - `snapshot:<sourceId>`: "is this snapshot new?" for one source.
 * - `scan-cache:<sourceId>`: the read-modify-write of one source's scan cache.
 * - `events`: inserting new events, so ids are handed out in commit order.
 * - `alerts`: every alert decision, digest and alert prune, so the sliding
 *   hour and the cooldowns are counted exactly across hosts.
 */
export type LockName = 'migrate' | 'prune' | 'events' | 'alerts' | `snapshot:${number}` | `scan-cache:${number}`;

export interface Lock {
  name: LockName;
  /** Default exclusive. */
  shared?: boolean;
}

/**
 * The statement that takes a lock, its key written inline (no parameters),
 * so it travels in one round trip with BEGIN: a lock held across fewer round
 * trips is a lock other hosts wait less for.
 */
export function lockStatement(schema: string, lock: Lock): string {
  const fn = lock.shared ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  return `SELECT ${fn}(hashtextextended(${pg.escapeLiteral(`driftwatch:${schema}:${lock.name}`)}, 0))`;
}

/** The statement that asks for an exclusive lock without waiting: it returns `locked`, true when granted. */
export function tryLockStatement(schema: string, name: LockName): string {
  return `SELECT pg_try_advisory_xact_lock(hashtextextended(${pg.escapeLiteral(`driftwatch:${schema}:${name}`)}, 0)) AS locked`;
}
