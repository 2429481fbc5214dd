import type { Client, PgDatabase } from './with-transaction.js';

/**
 * The advisory locks the PostgreSQL store serialises its decisions on. Each
 * is a transaction lock (released at COMMIT or ROLLBACK, or when a killed
 * client's connection drops), keyed by the schema and what it guards, so
 * stores in different schemas of one database never wait for each other.
 *
 * - `migrate`: opening a store that needs its schema created or upgraded.
 * - `prune`: held exclusively by prune; shared by every write that relies on
 *   a snapshot or a content staying put until it commits (recordSnapshot,
 *   setBaseline). Take it before any other lock.
 * - `snapshot:<sourceId>`: "is this snapshot new?" for one source.
 * - `scan-cache:<sourceId>`: the read-modify-write of one source's scan cache.
 * - `events`: inserting new events, so ids are handed out in commit order.
 * - `alerts`: every alert decision, digest and alert prune, so the sliding
 *   hour and the cooldowns are counted exactly across hosts.
 */
export type LockName = 'migrate' | 'prune' | 'events' | 'alerts' | `snapshot:${number}` | `scan-cache:${number}`;

export async function lock(client: Client, db: Pick<PgDatabase, 'schema'>, name: LockName, mode: 'exclusive' | 'shared' = 'exclusive'): Promise<void> {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await client.query(`SELECT ${fn}(hashtextextended($1, 0))`, [`driftwatch:${db.schema}:${name}`]);
}
