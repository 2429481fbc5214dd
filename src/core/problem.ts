import type { ErrorCode } from '../errors.js';

/**
 * Anything that kept one file (or one source) from being compared. Problems
 * are collected, stored and reported; they never stop the other files.
 * A message never contains a secret value: it names the file, line and key.
 */
export interface Problem {
  /** Path relative to the source root (`/` separators); `""` for the source itself. */
  file: string;
  code: ErrorCode;
  message: string;
  line?: number;
  column?: number;
  /** JSON Pointer of the key concerned, when there is one. */
  key?: string;
}
