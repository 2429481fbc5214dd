import path from 'node:path';
import { DriftError } from '../errors.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/**
 * Opens the store a URL names: a file path or `sqlite:PATH` (relative to
 * `baseDir`) for the embedded store.
 *
 * @example await openStore('sqlite:./state/drift.db')
 */
export async function openStore(url: string, baseDir = process.cwd()): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    throw new DriftError('STORE_UNREACHABLE', 'PostgreSQL stores are not supported by this version yet; use a SQLite path', { key: 'store' });
  }
  return new SqliteStore(sqlitePath(url, baseDir));
}

/** The absolute file behind a SQLite store URL. */
export function sqlitePath(url: string, baseDir = process.cwd()): string {
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : url;
  if (file === '') throw new DriftError('USAGE', 'the store URL "sqlite:" names no file; write sqlite:PATH', { key: 'store' });
  return path.resolve(baseDir, file);
}
