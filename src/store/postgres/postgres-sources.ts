/** Sources in PostgreSQL: each call is one statement, atomic by itself. */
import type { SourceInput, SourceRecord } from '../store.js';
import * as rows from '../store-rows.js';
import type { Client } from './with-transaction.js';

/**
 * Store#ensureSource. The unique key (host, name) decides between agents
 * registering one source at once: the insert (or the update of what
 * changed) returns the row, else the statement reads the row already there.
 */
export async function ensureSourcePg(c: Client, input: SourceInput): Promise<SourceRecord> {
  const args = [input.host, input.name, input.kind, input.origin, input.now];
  const { rows: [row] } = await c.query(`WITH up AS (
      INSERT INTO sources (host, name, kind, origin, created_at) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (host, name) DO UPDATE SET kind = excluded.kind, origin = excluded.origin
      WHERE sources.kind IS DISTINCT FROM excluded.kind OR sources.origin IS DISTINCT FROM excluded.origin
      RETURNING *
    )
    SELECT * FROM up UNION ALL SELECT * FROM sources WHERE host = $1 AND name = $2 AND NOT EXISTS (SELECT 1 FROM up)`, args);
  // A row another agent committed after this statement began is not in its snapshot: read it with a statement of its own.
  return rows.toSource(row ?? (await c.query(`SELECT * FROM sources WHERE host = $1 AND name = $2`, [input.host, input.name])).rows[0]);
}

export async function listSourcesPg(c: Client): Promise<SourceRecord[]> {
  return (await c.query(`SELECT * FROM sources ORDER BY name, host`)).rows.map(rows.toSource);
}

export async function findSourcePg(c: Client, host: string, name: string): Promise<SourceRecord | undefined> {
  const row = (await c.query(`SELECT * FROM sources WHERE host = $1 AND name = $2`, [host, name])).rows[0];
  return row === undefined ? undefined : rows.toSource(row);
}
