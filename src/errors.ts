/**
 * One error class for the whole product, with a closed catalog of stable
 * codes. Codes are never renamed or reused: scripts match on them.
 *
 * The same codes name per-file problems (a parse error, an unreadable file):
 * those are collected and reported, not thrown, but share the catalog so a
 * user reads one vocabulary everywhere.
 */
export const ERROR_CATALOG = {
  USAGE: { exit: 1, http: 400, summary: 'The command line was not understood.' },
  CONFIG_INVALID: { exit: 1, http: 400, summary: 'The configuration file has a bad key or value.' },
  CONFIG_NOT_FOUND: { exit: 1, http: 400, summary: 'The configuration file named does not exist.' },
  PARSE_ERROR: { exit: 2, http: 422, summary: 'A file is not valid in its format.' },
  PARSE_DUPLICATE_KEY: { exit: 2, http: 422, summary: 'A key appears twice in one map or section.' },
  PARSE_ALIAS_LIMIT: { exit: 2, http: 422, summary: 'A YAML file expands aliases beyond the safety limit.' },
  PARSE_ENCODING: { exit: 2, http: 422, summary: 'A file is not valid UTF-8 text.' },
  SOURCE_MISSING: { exit: 2, http: 404, summary: 'A source root does not exist.' },
  SOURCE_UNREADABLE: { exit: 2, http: 403, summary: 'A file or directory could not be read.' },
  SOURCE_VANISHED: { exit: 2, http: 404, summary: 'A file disappeared while it was being scanned.' },
  SOURCE_TOO_LARGE: { exit: 2, http: 413, summary: 'A file is larger than the size limit.' },
  SOURCE_COMMAND_FAILED: { exit: 2, http: 502, summary: 'A command source failed, timed out or could not be started.' },
  SOURCE_NOT_FOUND: { exit: 1, http: 404, summary: 'No source has that name.' },
  STORE_UNWRITABLE: { exit: 1, http: 500, summary: 'The store cannot be created or written.' },
  STORE_CORRUPT: { exit: 1, http: 500, summary: 'The store file is damaged or not a driftwatch store.' },
  STORE_BUSY: { exit: 1, http: 503, summary: 'The store stayed locked by other writers past the retry limit.' },
  STORE_TOO_NEW: { exit: 1, http: 500, summary: 'The store was written by a newer driftwatch.' },
  STORE_UNREACHABLE: { exit: 1, http: 503, summary: 'The store could not be reached.' },
  SNAPSHOT_NOT_FOUND: { exit: 1, http: 404, summary: 'No snapshot matches.' },
  BASELINE_MISSING: { exit: 1, http: 409, summary: 'The source has no baseline yet.' },
  SECRET_KEY_INVALID: { exit: 1, http: 500, summary: 'The fingerprint key is unreadable or malformed.' },
  INTERNAL: { exit: 1, http: 500, summary: 'An unexpected failure inside driftwatch.' },
} as const satisfies Record<string, { exit: 0 | 1 | 2; http: number; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface DriftErrorDetails {
  /** The file the error is about, as the user would type it. */
  file?: string;
  /** 1-based line in that file. */
  line?: number;
  column?: number;
  /** The key path (config key, JSON Pointer) the error is about. */
  key?: string;
  cause?: unknown;
}

export class DriftError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly key?: string;

  constructor(code: ErrorCode, message: string, details: DriftErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DriftError';
    this.code = code;
    if (details.file !== undefined) this.file = details.file;
    if (details.line !== undefined) this.line = details.line;
    if (details.column !== undefined) this.column = details.column;
    if (details.key !== undefined) this.key = details.key;
  }

  get exitCode(): 0 | 1 | 2 {
    return ERROR_CATALOG[this.code].exit;
  }

  get httpStatus(): number {
    return ERROR_CATALOG[this.code].http;
  }
}

export function isDriftError(error: unknown): error is DriftError {
  return error instanceof DriftError;
}
