import type { FileProblem } from '../formats/format.js';

const OS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a parent is no longer a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'replaced by a symbolic link',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
};

/**
 * The OS error code of a thrown fs error, or `UNKNOWN`.
 *
 * @example osErrorCode(Object.assign(new Error(), { code: 'EACCES' })); // 'EACCES'
 */
export function osErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/**
 * Gone, or replaced by something else, between two calls of one scan.
 *
 * @example isVanishedError('ENOENT'); // true; isVanishedError('EACCES') is false
 */
export function isVanishedError(code: string): boolean {
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}

function describe(code: string): string {
  const text = OS_ERRORS[code];
  return text === undefined ? code : `${code} (${text})`;
}

/**
 * A per-file problem for an fs error: vanished or unreadable, naming the
 * path and the OS code, never the content.
 *
 * @example fsProblem('etc/app.yaml', Object.assign(new Error(), { code: 'EACCES' }))
 * // { code: 'SOURCE_UNREADABLE', message: 'Cannot read "etc/app.yaml": EACCES (permission denied); ...' }
 */
export function fsProblem(file: string, error: unknown): FileProblem {
  const code = osErrorCode(error);
  if (isVanishedError(code)) return vanishedProblem(file, describe(code));
  return {
    code: 'SOURCE_UNREADABLE',
    message: `Cannot read "${file}": ${describe(code)}; check its permissions, or run driftwatch as a user that can read it.`,
  };
}

/**
 * A file that was deleted or replaced while the scan ran.
 *
 * @example vanishedProblem('app.yaml', 'no longer a regular file').code; // 'SOURCE_VANISHED'
 */
export function vanishedProblem(file: string, why: string): FileProblem {
  return {
    code: 'SOURCE_VANISHED',
    message: `"${file}" changed while it was being scanned (${why}); the next scan will see its new state.`,
  };
}

/**
 * A file above the size limit: reported, never read.
 *
 * @example tooLargeProblem('dump.json', 20_000_000, 16_777_216).code; // 'SOURCE_TOO_LARGE'
 */
export function tooLargeProblem(file: string, size: number, limit: number): FileProblem {
  return {
    code: 'SOURCE_TOO_LARGE',
    message: `"${file}" is ${size} bytes, above the limit of ${limit} bytes; exclude it or raise maxFileSize.`,
  };
}
