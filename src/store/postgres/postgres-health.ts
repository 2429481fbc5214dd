/** What agents report about the sources they watch, in PostgreSQL: one statement per call. */
import type { SourceHealth } from '../store.js';
import type { Client } from './with-transaction.js';

/** Replaces the previous report for the source (upsert on its key). */
export async function putHealthPg(c: Client, sourceId: number, health: SourceHealth, now: number): Promise<void> {
  await c.query(`INSERT INTO source_health (source_id, updated_at, data) VALUES ($1, $2, $3)
    ON CONFLICT (source_id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data`, [sourceId, now, JSON.stringify(health)]);
}

export async function listHealthPg(c: Client): Promise<{ sourceId: number; updatedAt: number; health: SourceHealth }[]> {
  return (await c.query(`SELECT * FROM source_health ORDER BY source_id`)).rows
    .map((r) => ({ sourceId: Number(r.source_id), updatedAt: Number(r.updated_at), health: JSON.parse(r.data) as SourceHealth }));
}
