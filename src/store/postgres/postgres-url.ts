import { DriftError } from '../../errors.js';

/** A PostgreSQL store URL, resolved: what pg connects with and what messages may show. */
export interface PostgresTarget {
  /** The URL for pg, without driftwatch's own parameters. */
  connectionString: string;
  /** The schema the store lives in; null: the connection's default schema (`current_schema()`, usually `public`). */
  schema: string | null;
  /** The URL with its password masked (`postgres://svc:***@db:5432/app`): the only form that is ever printed. */
  location: string;
  /** The password as written in the URL, kept only to scrub it from any message that might echo it. */
  password: string;
  /** Connections this store may hold open at once. */
  poolSize: number;
  connectTimeoutMs: number;
  /** Server options the URL asked for (`?options=...`), kept beside driftwatch's own. */
  serverOptions: string;
}

/** Query parameters driftwatch reads itself; every other one goes to pg (sslmode, application_name, ...). */
const OWN_PARAMS = ['schema', 'pool_size', 'connect_timeout', 'options'] as const;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const DEFAULT_POOL_SIZE = 4;
const DEFAULT_CONNECT_TIMEOUT_S = 10;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Reads a `postgres://` or `postgresql://` URL. `?schema=NAME` puts the
 * store in that schema (created on first open), so several stores can share
 * one database; `?pool_size=N` bounds the connections one store opens.
 *
 * @example parsePostgresUrl('postgres://svc:pw@db:5432/app?schema=driftwatch').location
 * // 'postgres://svc:***@db:5432/app?schema=driftwatch'
 */
export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DriftError('USAGE', `the store URL ${maskPostgresUrl(url)} is not a valid URL; write postgres://USER@HOST:PORT/DATABASE`, { key: 'store' });
  }
  const location = maskPostgresUrl(url);
  const params = parsed.searchParams;
  const schema = params.get('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new DriftError('USAGE', `the store URL ${location} names the schema "${schema}"; a schema name here is lower-case letters, digits and _ (at most 63), starting with a letter or _`, { key: 'store' });
  }
  const poolSize = positiveInt(params.get('pool_size'), DEFAULT_POOL_SIZE, 'pool_size', location);
  const connectTimeoutS = positiveInt(params.get('connect_timeout'), DEFAULT_CONNECT_TIMEOUT_S, 'connect_timeout', location);
  const serverOptions = params.get('options') ?? '';
  for (const name of OWN_PARAMS) params.delete(name);
  return {
    connectionString: parsed.toString(),
    schema,
    location,
    password: decodeURIComponent(parsed.password),
    poolSize,
    connectTimeoutMs: connectTimeoutS * 1000,
    serverOptions,
  };
}

/** The URL with the password of its user-info (and any `password=` parameter) replaced by `***`. */
export function maskPostgresUrl(url: string): string {
  return url
    // Greedy up to the last @ before the path: a password may hold an unescaped @.
    .replace(/^([a-z]+:\/\/[^/?#@:]*):[^/?#]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}

function positiveInt(raw: string | null, fallback: number, name: string, location: string): number {
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new DriftError('USAGE', `the store URL ${location} sets ${name}=${raw}; expected a whole number of at least 1`, { key: 'store' });
  }
  return n;
}
