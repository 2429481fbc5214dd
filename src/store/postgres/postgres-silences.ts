/** Silences in PostgreSQL: each call is one statement, atomic by itself. */
import type { SilenceInput, SilenceRecord } from '../store.js';
import type { Client } from './with-transaction.js';

export async function addSilencePg(c: Client, input: SilenceInput): Promise<SilenceRecord> {
  const { rows: [row] } = await c.query<{ id: number }>(`INSERT INTO silences (match, owner, reason, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [JSON.stringify(input.match), input.owner, input.reason, input.createdAt, input.expiresAt]);
  return { ...input, id: row!.id };
}

/** Live at `now` (not expired), or every silence when `now` is not given; newest first. */
export async function listSilencesPg(c: Client, now?: number): Promise<SilenceRecord[]> {
  const found = now === undefined
    ? await c.query(`SELECT * FROM silences ORDER BY id DESC`)
    : await c.query(`SELECT * FROM silences WHERE expires_at > $1 ORDER BY id DESC`, [now]);
  return found.rows.map((r) => ({
    id: r.id, match: JSON.parse(r.match) as SilenceInput['match'], owner: r.owner, reason: r.reason, createdAt: r.created_at, expiresAt: r.expires_at,
  }));
}

/** Ends a silence at `now` (never later than it would have ended); false when there is no such silence. */
export async function expireSilencePg(c: Client, id: number, now: number): Promise<boolean> {
  return ((await c.query(`UPDATE silences SET expires_at = LEAST(expires_at, $1) WHERE id = $2`, [now, id])).rowCount ?? 0) > 0;
}
