import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { DriftError } from '../../src/errors.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { storeContract } from './contract.js';

const tempDir = useTempDir();

storeContract('sqlite', async () => new SqliteStore(path.join(tempDir(), 'nested', 'drift.db')));

function openError(file: string): DriftError {
  try {
    new SqliteStore(file);
  } catch (error) {
    return error as DriftError;
  }
  throw new Error('expected the store to refuse to open');
}

describe('SqliteStore opening', () => {
  it('refuses a file that is not a database as STORE_CORRUPT', () => {
    const file = path.join(tempDir(), 'drift.db');
    fs.writeFileSync(file, 'this is not sqlite at all, just some text that is long enough to look like a header');
    expect(openError(file).code).toBe('STORE_CORRUPT');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^this is not sqlite/);
  });

  it("refuses someone else's SQLite database as STORE_CORRUPT without touching it", () => {
    const file = path.join(tempDir(), 'other.db');
    const other = new Database(file);
    other.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    other.close();
    expect(openError(file).code).toBe('STORE_CORRUPT');
    const again = new Database(file);
    expect(again.prepare('SELECT x FROM t').pluck().get()).toBe(1);
    again.close();
  });

  it('refuses a store from a newer schema as STORE_TOO_NEW', async () => {
    const file = path.join(tempDir(), 'drift.db');
    await new SqliteStore(file).close();
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    expect(openError(file).code).toBe('STORE_TOO_NEW');
  });

  it('reports a store path under a file as STORE_UNWRITABLE', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'plain-file'), 'x');
    expect(openError(path.join(dir, 'plain-file', 'drift.db')).code).toBe('STORE_UNWRITABLE');
  });

  it('uses WAL so readers run beside a writer', async () => {
    const file = path.join(tempDir(), 'drift.db');
    await new SqliteStore(file).close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
