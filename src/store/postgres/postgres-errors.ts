import { DriftError } from '../../errors.js';
import type { PostgresTarget } from './postgres-url.js';

/**
 * What a failure from PostgreSQL (or the way to it) means for a caller:
 * - `retry`: the transaction lost a race (serialization failure, deadlock) or the
 *   server has no connection slot free; running the whole step again is safe;
 * - `reconnect`: the server ended this connection (an administrator, a
 *   restart) or is starting up: the statement did not run, or its transaction
 *   was rolled back, so the step runs again on a new connection;
 * - `unreachable`, `unwritable`, `busy`: a DriftError of that code;
 * - `other`: a bug or an unexpected state, passed on as it is.
 */
export type FailureKind = 'retry' | 'reconnect' | 'unreachable' | 'unwritable' | 'busy' | 'other';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const NETWORK_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|connection timeout|Client has encountered a connection error|server closed the connection/i;

export function failureKind(error: unknown): FailureKind {
  if (error instanceof DriftError) return 'other';
  const code = (error as { code?: unknown } | null)?.code;
  const message = String((error as { message?: unknown } | null)?.message ?? '');
  if (typeof code === 'string') {
    // 40001 serialization_failure, 40P01 deadlock_detected, 53300 too_many_connections.
    if (code === '40001' || code === '40P01' || code === '53300') return 'retry';
    // 55P03 lock_not_available (lock_timeout), 57014 query_canceled (statement_timeout).
    if (code === '55P03' || code === '57014') return 'busy';
    // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now.
    if (code === '57P01' || code === '57P02' || code === '57P03') return 'reconnect';
    if (NETWORK_CODES.has(code) || code.startsWith('08') || code === '3D000') return 'unreachable';
    // 28xxx authentication, 42501 insufficient_privilege, 25006 read-only transaction (a standby), 53100 disk_full.
    if (code.startsWith('28') || code === '42501' || code === '25006' || code === '53100') return 'unwritable';
  }
  return NETWORK_MESSAGES.test(message) ? 'unreachable' : 'other';
}

/** Whether the connection the error came from is no longer usable (it must be destroyed, not pooled again). */
export function isConnectionLost(error: unknown): boolean {
  const kind = failureKind(error);
  return kind === 'unreachable' || kind === 'reconnect';
}

/**
 * Turns a failure into the DriftError a user reads: one line, naming the
 * store by its masked URL, never its password.
 */
export function toStoreError(error: unknown, target: PostgresTarget, what: string): unknown {
  const kind = failureKind(error);
  if (kind === 'other' || kind === 'retry') return error;
  const reason = scrub(oneLine(error), target.password);
  const code = (error as { code?: string }).code;
  if (kind === 'unreachable' || kind === 'reconnect') {
    const hint = code === '3D000'
      ? 'create the database, or name an existing one in the URL'
      : 'check that the server runs and that the host, port and database in the URL are right';
    return new DriftError('STORE_UNREACHABLE', `cannot reach the PostgreSQL store ${target.location} while ${what}: ${reason}; ${hint}`, { key: 'store', cause: error });
  }
  if (kind === 'unwritable') {
    const hint = code?.startsWith('28')
      ? 'check the user and its password (in the URL, PGPASSWORD or ~/.pgpass) and pg_hba.conf'
      : 'grant the user CREATE on the database (or the schema) and write access to the store\'s tables, and use a primary, not a standby';
    return new DriftError('STORE_UNWRITABLE', `the PostgreSQL store ${target.location} refused ${what}: ${reason}; ${hint}`, { key: 'store', cause: error });
  }
  return new DriftError('STORE_BUSY', `the PostgreSQL store ${target.location} stayed locked by other writers while ${what}: ${reason}; retry later`, { key: 'store', cause: error });
}

function oneLine(error: unknown): string {
  const message = String((error as { message?: unknown } | null)?.message ?? error);
  return message.replace(/\s+/g, ' ').trim() || String((error as { code?: unknown }).code ?? 'unknown error');
}

/** Removes the URL's password from text that might echo it (a driver message quoting its input). */
export function scrub(text: string, password: string): string {
  return password.length >= 3 ? text.split(password).join('***') : text;
}
