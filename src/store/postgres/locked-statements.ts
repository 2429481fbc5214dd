/**
 * Transactions under advisory locks that hold their locks for as few round
 * trips as possible: other hosts queue behind a lock for as long as it is
 * held, and every round trip to this client while holding it is time they
 * wait. The statements carry their values inline (sql-literal.ts), since the
 * simple query protocol that lets BEGIN, a lock, a read or COMMIT share one
 * round trip takes no parameters. Each is retried whole, like withTransaction.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { lockStatement, tryLockStatement, type Lock, type LockName } from './postgres-locks.js';
import { onClient, retrying, type Client, type PgDatabase } from './with-transaction.js';

type Row = Record<string, unknown>;

/** A read-then-write under locks, made of statements with inline literals. */
export interface Decision<T> {
  /** One statement, run as soon as the locks are granted, in the same round trip as BEGIN and the locks. */
  read: string;
  /**
   * What to write given the read's first row: statements (each may return an
   * `id`), run with COMMIT in one round trip, and the answer once they ran.
   */
  decide(row: Row): { write: readonly string[]; answer(ids: (number | undefined)[]): T };
}

const BEGIN = 'BEGIN ISOLATION LEVEL READ COMMITTED';

/**
 * Two round trips: BEGIN, the locks and the read; then the writes and
 * COMMIT. The locks are held across one wait for this client (while it
 * decides), not one per statement.
 *
 * @example await withDecision(db, 'deciding an alert', [{ name: 'alerts' }], decideAlertPlan(input))
 */
export function withDecision<T>(db: PgDatabase, what: string, locks: readonly Lock[], decision: Decision<T>): Promise<T> {
  return inTransaction(db, what, async (client) => {
    const read = await simple(client, [BEGIN, ...locks.map((lock) => lockStatement(db.schema, lock)), decision.read]);
    const plan = decision.decide(read.at(-1)![0] ?? {});
    const written = await simple(client, [...plan.write, 'COMMIT']);
    return plan.answer(written.slice(0, -1).map((rows) => (rows[0]?.id === undefined ? undefined : Number(rows[0].id))));
  });
}

/**
 * One round trip: BEGIN, the locks, `statements` and COMMIT; the locks are
 * never held while waiting for this client. Returns each statement's rows.
 */
export function withStatements(db: PgDatabase, what: string, locks: readonly Lock[], statements: readonly string[]): Promise<Row[][]> {
  return inTransaction(db, what, async (client) => {
    const begin = [BEGIN, ...locks.map((lock) => lockStatement(db.schema, lock))];
    return (await simple(client, [...begin, ...statements, 'COMMIT'])).slice(begin.length, -1);
  });
}

/**
 * Like withStatements under one exclusive lock, but it does not queue for
 * the lock at first: while others hold it (shared or not) it backs off and
 * asks again, and only after `patienceMs` does it wait in line. For
 * maintenance such as prune: a waiting exclusive request makes every new
 * request for the lock queue behind it, so a prune that queued at once would
 * stall the fleet's snapshot writes until the longest one in flight ended.
 */
export function withStatementsWhenFree(db: PgDatabase, what: string, name: LockName, statements: readonly string[], patienceMs = 1000): Promise<Row[][]> {
  return inTransaction(db, what, async (client) => {
    const until = Date.now() + patienceMs;
    for (let delay = 2; Date.now() < until; delay = Math.min(delay * 2, 100)) {
      const [, granted] = await simple(client, [BEGIN, tryLockStatement(db.schema, name)]);
      if (granted?.[0]?.locked === true) return (await simple(client, [...statements, 'COMMIT'])).slice(0, -1);
      await client.query('ROLLBACK');
      await sleep(delay / 2 + Math.random() * delay);
    }
    const begin = [BEGIN, lockStatement(db.schema, { name })];
    return (await simple(client, [...begin, ...statements, 'COMMIT'])).slice(begin.length, -1);
  });
}

/** Runs `work` (which starts its own transaction) on one connection, rolling back whatever it left open on failure. */
function inTransaction<T>(db: PgDatabase, what: string, work: (client: Client) => Promise<T>): Promise<T> {
  return retrying(db, what, () => onClient(db, async (client) => {
    try {
      return await work(client);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }));
}

/** Runs statements (no parameters) in one round trip and returns each one's rows. */
async function simple(client: Client, statements: readonly string[]): Promise<Row[][]> {
  const result = (await client.query(statements.join(';\n'))) as unknown as { rows: Row[] } | { rows: Row[] }[];
  return (Array.isArray(result) ? result : [result]).map((r) => r.rows);
}
