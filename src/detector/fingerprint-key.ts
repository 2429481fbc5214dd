import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DriftError } from '../errors.js';

/** The key that makes fingerprints and content ids; it never enters the store. */
export interface FingerprintKey {
  /** Short public id of the key, recorded with each snapshot to notice a rotated key. */
  id: string;
  /** Where the key came from, for messages (never the key itself). */
  origin: string;
  /** Keyed hash of the parts, in order, hex. */
  hmac(...parts: (string | Uint8Array)[]): string;
}

export const KEY_ENV = 'DRIFTWATCH_SECRET_KEY';

/**
 * Loads the fingerprint key: from DRIFTWATCH_SECRET_KEY (hex or base64, at
 * least 16 bytes) when set, else from `file`, which is created with a fresh
 * random key and mode 0600 on first use. Agents sharing a store must share
 * the key (same file contents or same variable).
 */
export function loadFingerprintKey(file: string, env: NodeJS.ProcessEnv = process.env): FingerprintKey {
  const fromEnv = env[KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return makeKey(decodeKey(fromEnv, `$${KEY_ENV}`), `$${KEY_ENV}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new DriftError('SECRET_KEY_INVALID', `cannot read the fingerprint key ${file}: ${(error as Error).message}`, { file, cause: error });
    }
    text = createKeyFile(file);
  }
  return makeKey(decodeKey(text.trim(), file), file);
}

/** A key that lives only in memory, for work that stores nothing (a stateless diff). */
export function ephemeralFingerprintKey(): FingerprintKey {
  return makeKey(randomBytes(32), 'memory');
}

function createKeyFile(file: string): string {
  const text = randomBytes(32).toString('hex') + '\n';
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    chmodSync(temp, 0o600);
    // A hard link appears whole or not at all, and never replaces a key another process made first.
    try {
      linkSync(temp, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
      writeFileSync(file, text, { mode: 0o600, flag: 'wx' }); // a file system without hard links
    }
    return text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8');
    throw new DriftError('SECRET_KEY_INVALID', `cannot create the fingerprint key ${file}: ${(error as Error).message}; set ${KEY_ENV} or make the directory writable`, { file, cause: error });
  } finally {
    rmSync(temp, { force: true });
  }
}

function decodeKey(text: string, origin: string): Buffer {
  const key = /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length < 16) {
    throw new DriftError('SECRET_KEY_INVALID', `the fingerprint key from ${origin} is shorter than 16 bytes; use 32 random bytes as hex`, { file: origin });
  }
  return key;
}

function makeKey(key: Buffer, origin: string): FingerprintKey {
  return {
    id: createHash('sha256').update(key).digest('hex').slice(0, 16),
    origin,
    hmac: (...parts) => {
      const mac = createHmac('sha256', key);
      for (const part of parts) mac.update(part);
      return mac.digest('hex').slice(0, 40);
    },
  };
}
