import type { FileProblem } from '../formats/format.js';
import type { Problem } from '../core/problem.js';

/**
 * What a scan learns about one path without parsing it. `size`, `mtimeMs`,
 * `ctimeMs` and `ino` are recorded but never drift by themselves: they only
 * feed the stat fast path.
 */
export interface FileMeta {
  type: 'file' | 'symlink';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** Symlink target as stored in the link (never followed). */
  target?: string;
}

/** The stat fields that decide whether a file must be read again. */
export interface StatKey {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** Changed so close to the scan that a later change could keep the same mtime: always re-read. */
  racy: boolean;
}

export interface ScanEntry {
  /** Relative to the source root, `/` separators; for a single-file source, its base name. */
  file: string;
  meta: FileMeta;
  /** The file's bytes, when it was read in this scan (regular files whose stat did not match the cache). */
  bytes?: Buffer;
  /** The stat matched the cache entry and it was not racy: the content is what it was. */
  unchanged?: true;
  /** Set when the file could not be read; `bytes` is then absent. */
  problem?: FileProblem;
}

export interface FileScan {
  /** Absolute path of the root that was scanned. */
  root: string;
  rootType: 'file' | 'directory' | 'missing';
  entries: ScanEntry[];
  /** Problems not tied to one file entry (an unreadable directory, a missing root). */
  problems: Problem[];
  /** Clock reading when the scan started, for marking racy cache entries. */
  startedAtMs: number;
}
