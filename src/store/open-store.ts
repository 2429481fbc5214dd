import path from 'node:path';
import { DriftError } from '../errors.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { isPostgresUrl } from './postgres/postgres-url.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/**
 * Opens the store a URL names: a file path or `sqlite:PATH` (relative to
 * `baseDir`) for the embedded store; `postgres://` or `postgresql://` for a
 * PostgreSQL database shared by a fleet (`?schema=NAME` keeps the store in
 * that schema; see docs/store.md).
 *
 * @example await openStore('sqlite:./state/drift.db')
 * @example await openStore('postgres://driftwatch@db.internal:5432/fleet?schema=driftwatch')
 */
export async function openStore(url: string, baseDir = process.cwd()): Promise<Store> {
  if (isPostgresUrl(url)) return PostgresStore.open(url);
  return new SqliteStore(sqlitePath(url, baseDir));
}

/** The absolute file behind a SQLite store URL. */
export function sqlitePath(url: string, baseDir = process.cwd()): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'sqlite') {
    throw new DriftError('USAGE', `unknown store URL scheme "${scheme}://": use a file path, sqlite:PATH or postgres://...`, { key: 'store' });
  }
  // sqlite:PATH, sqlite://PATH and sqlite:///ABSOLUTE all name a file; a relative one is relative to baseDir.
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\//, '') : url;
  if (file === '') throw new DriftError('USAGE', 'the store URL "sqlite:" names no file; write sqlite:PATH', { key: 'store' });
  return path.resolve(baseDir, file);
}
