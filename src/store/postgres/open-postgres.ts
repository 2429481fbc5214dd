import pg from 'pg';
import { DriftError } from '../../errors.js';
import { POSTGRES_APPLICATION, POSTGRES_META_TABLES, POSTGRES_MIGRATIONS } from './postgres-schema.js';
import type { PostgresTarget } from './postgres-url.js';
import { withClient, withTransaction, type Client, type PgDatabase } from './with-transaction.js';

const INT8_OID = 20;
// A transaction left open by a stopped (not killed) agent would hold its locks forever; the server ends it.
const IDLE_IN_TRANSACTION_MS = 60_000;

/**
 * Connects to the store a PostgreSQL URL names and brings its schema up to
 * date. Concurrent first opens (a fleet starting at once) migrate once: the
 * migration runs under an advisory lock and looks again once it holds it.
 * A schema with tables that are not ours is refused (STORE_CORRUPT) and never
 * modified; one migrated by a newer driftwatch is refused (STORE_TOO_NEW).
 */
export async function openPostgres(target: PostgresTarget, busyLimitMs: number): Promise<PgDatabase> {
  const options = [
    target.schema === null ? '' : `-c search_path=${target.schema}`,
    // Waiting for a lock counts toward the same limit as retrying: past it, STORE_BUSY.
    `-c lock_timeout=${busyLimitMs}`,
    `-c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS}`,
    target.serverOptions,
  ].filter(Boolean).join(' ');
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: target.poolSize,
    idleTimeoutMillis: 5_000,
    connectionTimeoutMillis: target.connectTimeoutMs,
    allowExitOnIdle: true,
    keepAlive: true,
    application_name: 'driftwatch',
    options,
    // BIGINT ids, times and counts are plain numbers: every one of them is below 2^53.
    types: { getTypeParser: (oid: number, format?: string) => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format as 'text')) } as pg.CustomTypesConfig,
  });
  // An idle connection the server drops must not crash the process; the next query opens another.
  pool.on('error', () => undefined);
  const db: PgDatabase = { pool, target, schema: target.schema ?? '', busyLimitMs };
  try {
    if (target.schema === null) db.schema = await withClient(db, 'opening the store', defaultSchema(target));
    const state = await withClient(db, 'opening the store', (c) => readState(c, db.schema));
    if (!isCurrent(state, db)) await withTransaction(db, 'migrating the store', (c) => migrate(c, db), { locks: [{ name: 'migrate' }] });
    return db;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

function defaultSchema(target: PostgresTarget): (c: Client) => Promise<string> {
  return async (c) => {
    const schema = (await c.query<{ schema: string | null }>('SELECT current_schema() AS schema')).rows[0]?.schema;
    if (!schema) {
      throw new DriftError('STORE_UNWRITABLE', `the PostgreSQL store ${target.location} has no schema on its search_path to create tables in; add ?schema=driftwatch to the URL`, { key: 'store' });
    }
    return schema;
  };
}

interface SchemaState {
  tables: number;
  /** driftwatch_meta's application row; undefined when there is no such table. */
  application: string | null | undefined;
  /** schema_version's version; undefined when there is no such table. */
  version: number | undefined;
}

async function readState(c: Client, schema: string): Promise<SchemaState> {
  const { rows } = await c.query<{ tables: number; has_meta: boolean | null; has_version: boolean | null }>(`
    SELECT count(*) AS tables, bool_or(c.relname = 'driftwatch_meta') AS has_meta, bool_or(c.relname = 'schema_version') AS has_version
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`, [schema]);
  const found = rows[0]!;
  const qualified = (table: string) => `${c.escapeIdentifier(schema)}.${table}`;
  const state: SchemaState = { tables: found.tables, application: undefined, version: undefined };
  if (found.has_meta) {
    const meta = await c.query<{ value: string }>(`SELECT value FROM ${qualified('driftwatch_meta')} WHERE key = 'application'`);
    state.application = meta.rows[0]?.value ?? null;
  }
  if (found.has_version) {
    state.version = (await c.query<{ version: number }>(`SELECT version FROM ${qualified('schema_version')}`)).rows[0]?.version ?? 0;
  }
  return state;
}

/** Up to date and ours; anything else is decided under the lock. */
function isCurrent(state: SchemaState, db: PgDatabase): boolean {
  if (state.application !== undefined) checkOwner(state, db);
  return state.application === POSTGRES_APPLICATION && state.version === POSTGRES_MIGRATIONS.length;
}

/** Runs under the `migrate` lock (see openPostgres). */
async function migrate(c: Client, db: PgDatabase): Promise<void> {
  const name = c.escapeIdentifier(db.schema);
  // Only when missing: CREATE SCHEMA needs CREATE on the database even with IF NOT EXISTS, and a schema a DBA made needs no more.
  if ((await c.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [db.schema])).rowCount === 0) await c.query(`CREATE SCHEMA ${name}`);
  await c.query(`SET LOCAL search_path = ${name}`);
  // Looked at again under the lock: another agent may have migrated while this one waited.
  const state = await readState(c, db.schema);
  if (state.application === undefined) {
    if (state.tables > 0) notOurs(db);
    await c.query(POSTGRES_META_TABLES);
    await c.query(`INSERT INTO driftwatch_meta (key, value) VALUES ('application', $1)`, [POSTGRES_APPLICATION]);
    await c.query(`INSERT INTO schema_version (version) VALUES (0)`);
    state.application = POSTGRES_APPLICATION;
    state.version = 0;
  }
  checkOwner(state, db);
  for (let v = state.version ?? 0; v < POSTGRES_MIGRATIONS.length; v++) await c.query(POSTGRES_MIGRATIONS[v]!);
  await c.query(`UPDATE schema_version SET version = $1`, [POSTGRES_MIGRATIONS.length]);
}

function checkOwner(state: SchemaState, db: PgDatabase): void {
  if (state.application !== POSTGRES_APPLICATION || state.version === undefined) notOurs(db);
  if (state.version > POSTGRES_MIGRATIONS.length) {
    throw new DriftError('STORE_TOO_NEW', `the PostgreSQL store ${db.target.location} has schema version ${state.version}, newer than this driftwatch understands (${POSTGRES_MIGRATIONS.length}); upgrade driftwatch`, { key: 'store' });
  }
}

function notOurs(db: PgDatabase): never {
  throw new DriftError('STORE_CORRUPT', `the schema "${db.schema}" of the PostgreSQL store ${db.target.location} holds tables that are not a driftwatch store; ` +
    'point the URL at an empty database, or add ?schema=driftwatch to keep the store in a schema of its own', { key: 'store' });
}
