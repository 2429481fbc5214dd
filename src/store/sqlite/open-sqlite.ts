import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DriftError } from '../../errors.js';
import { SQLITE_APPLICATION_ID, SQLITE_MIGRATIONS } from './schema.js';

export interface OpenSqliteOptions {
  /** How long one statement waits for a lock inside SQLite before our retry loop takes over. */
  statementBusyMs?: number;
  readonly?: boolean;
  /** Total time opening keeps retrying a busy store. */
  busyLimitMs?: number;
}

/**
 * Opens (creating if needed) a store file in WAL mode and brings its schema
 * up to date. Every failure becomes one clear DriftError: a directory that
 * cannot be written, a file that is not a database, a database that is not
 * ours, a store from a newer driftwatch.
 */
export function openSqlite(file: string, options: OpenSqliteOptions = {}): Database.Database {
  // Many agents starting at once on a fresh store contend for its first write (WAL switch, schema):
  // opening retries like every other operation, with a bounded wait, before it is STORE_BUSY.
  const deadline = Date.now() + (options.busyLimitMs ?? 30_000);
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    try {
      return openOnce(file, options);
    } catch (error) {
      if (!(error instanceof DriftError && error.code === 'STORE_BUSY') || Date.now() >= deadline) throw error;
      // Opening is synchronous (the constructor of a store); a short blocking pause is the honest wait here.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause / 2 + Math.random() * pause);
    }
  }
}

function openOnce(file: string, options: OpenSqliteOptions): Database.Database {
  let db: Database.Database;
  try {
    if (!options.readonly) mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw openError(file, error);
  }
  try {
    db.pragma(`busy_timeout = ${options.statementBusyMs ?? 2000}`);
    // WAL lets readers run beside one writer; NORMAL is durable across a killed process.
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    throw openError(file, error);
  }
}

function migrate(db: Database.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current === SQLITE_MIGRATIONS.length) return checkOwner(db, file);
  // Immediate: two processes opening a fresh store at once must not both migrate.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SQLITE_MIGRATIONS.length) {
      throw new DriftError('STORE_TOO_NEW', `${file} has schema version ${version}, newer than this driftwatch understands (${SQLITE_MIGRATIONS.length}); upgrade driftwatch`, { file });
    }
    if (version === 0) {
      const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).get() as { n: number };
      if (tables.n > 0) notOurs(file);
      db.pragma(`application_id = ${SQLITE_APPLICATION_ID}`);
    } else {
      checkOwner(db, file);
    }
    for (let v = version; v < SQLITE_MIGRATIONS.length; v++) db.exec(SQLITE_MIGRATIONS[v]!);
    db.pragma(`user_version = ${SQLITE_MIGRATIONS.length}`);
  }).immediate();
}

function checkOwner(db: Database.Database, file: string): void {
  if (db.pragma('application_id', { simple: true }) !== SQLITE_APPLICATION_ID) notOurs(file);
}

function notOurs(file: string): never {
  throw new DriftError('STORE_CORRUPT', `${file} is a SQLite database but not a driftwatch store; point --store at a new file`, { file });
}

/** A SQLite failure as the one clear error a user reads: corrupt, unwritable (full disk, read-only), busy. */
export function openError(file: string, error: unknown): DriftError {
  if (error instanceof DriftError) return error;
  const code = (error as { code?: string }).code ?? '';
  const reason = (error as Error).message;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT')) {
    return new DriftError('STORE_CORRUPT', `${file} is not a readable driftwatch store (${code}); move it aside and run again to start a new store`, { file, cause: error });
  }
  if (code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST' || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_FULL')) {
    return new DriftError('STORE_UNWRITABLE', `cannot create or write the store ${file}: ${reason}; choose a writable path with --store`, { file, cause: error });
  }
  if (code.startsWith('SQLITE_BUSY')) {
    return new DriftError('STORE_BUSY', `${file} stayed locked by another writer while opening`, { file, cause: error });
  }
  return new DriftError('STORE_UNWRITABLE', `cannot open the store ${file}: ${reason}`, { file, cause: error });
}
