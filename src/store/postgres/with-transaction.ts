import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { DriftError } from '../../errors.js';
import { failureKind, isConnectionLost, toStoreError } from './postgres-errors.js';
import { lockStatement, type Lock } from './postgres-locks.js';
import type { PostgresTarget } from './postgres-url.js';

/** One open store: its pool, where it points, and the schema its tables live in. */
export interface PgDatabase {
  pool: pg.Pool;
  target: PostgresTarget;
  /** The schema name, resolved at open (never null here): it scopes the advisory locks. */
  schema: string;
  /** Total time a step keeps retrying lost races before STORE_BUSY. */
  busyLimitMs: number;
}

export type Client = pg.PoolClient;

export interface TransactionOptions {
  /** Default READ COMMITTED: every read-then-write below serialises on a lock it takes first. */
  isolation?: 'read committed' | 'repeatable read';
  readOnly?: boolean;
  /** Advisory locks taken, in this order, before `step` runs (in the same round trip as BEGIN). */
  locks?: readonly Lock[];
}

/**
 * Runs `step` in one transaction on one pooled connection and commits it.
 * A transaction that loses a race PostgreSQL detects (serialization failure,
 * deadlock) or finds no free connection slot is rolled back and run again,
 * whole, with jittered backoff; past `busyLimitMs` it is STORE_BUSY, never a
 * hang. `step` must therefore only touch the database (and may run twice).
 *
 * @example await withTransaction(db, 'recording a check', async (c) => (await c.query('INSERT ...')).rows[0])
 */
export function withTransaction<T>(db: PgDatabase, what: string, step: (client: Client) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  // One simple-protocol query: BEGIN and the locks, in order. Under READ COMMITTED every statement
  // of `step` then reads what was committed before the locks were granted.
  const begin = [
    `BEGIN ISOLATION LEVEL ${(options.isolation ?? 'read committed').toUpperCase()}${options.readOnly ? ' READ ONLY' : ''}`,
    ...(options.locks ?? []).map((lock) => lockStatement(db.schema, lock)),
  ].join('; ');
  return retrying(db, what, () => onClient(db, async (client) => {
    try {
      await client.query(begin);
      const result = await step(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A failed ROLLBACK means the connection is gone; onClient then drops it.
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }));
}

/** Runs `step` on one pooled connection without a transaction: for a single statement, atomic by itself. */
export function withClient<T>(db: PgDatabase, what: string, step: (client: Client) => Promise<T>): Promise<T> {
  return retrying(db, what, () => onClient(db, step));
}

/** Runs `step` on a connection checked out of the pool, and gives it back (or destroys it, if it failed). */
export async function onClient<T>(db: PgDatabase, step: (client: Client) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  let lost: Error | undefined;
  // The pool listens for errors only on idle connections: one that dies while checked out must not crash the process.
  const onError = (error: Error) => { lost = error; };
  client.on('error', onError);
  try {
    return await step(client);
  } catch (error) {
    if (isConnectionLost(error)) lost ??= error as Error;
    throw error;
  } finally {
    client.off('error', onError);
    // A connection that failed is destroyed, never handed to the next caller.
    client.release(lost);
  }
}

/**
 * Runs `attempt` again, with jittered backoff, while it loses a race PostgreSQL
 * detects (past the busy limit: STORE_BUSY) or its connection was ended by the
 * server (past the limit: STORE_UNREACHABLE).
 */
export async function retrying<T>(db: PgDatabase, what: string, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + db.busyLimitMs;
  let delay = 5;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const kind = failureKind(error);
      if (kind !== 'retry' && kind !== 'reconnect') throw toStoreError(error, db.target, what);
      if (Date.now() >= deadline) {
        if (kind === 'reconnect') throw toStoreError(error, db.target, what);
        throw new DriftError('STORE_BUSY', `the PostgreSQL store ${db.target.location} kept failing transactions on contention for more than ${db.busyLimitMs} ms while ${what}; retry later`, { key: 'store', cause: error });
      }
      await sleep(delay / 2 + Math.random() * delay);
      delay = Math.min(delay * 2, 250);
    }
  }
}
