import { resolve } from 'node:path';
import type { StatKey } from './file-entry.js';
import { nodeFs, type FsLike } from './fs-like.js';

/** What a caller may pass to `scanFiles`. */
export interface ScanFilesOptions {
  /** A file or directory; resolved against the working directory. A symlink here is followed. */
  root: string;
  /** Globs relative to the root. Default (and `[]`): every file, dotfiles included. */
  include?: readonly string[];
  /** Globs relative to the root; a matching directory is not descended into. Default: none. */
  exclude?: readonly string[];
  /** Absolute paths never scanned (the store, its -wal/-shm, the key file). Default: none. */
  skipPaths?: readonly string[];
  /** Stat keys from the previous scan, by relative file; a match means the file is not read. Default: none. */
  cache?: ReadonlyMap<string, StatKey>;
  /** Files larger than this many bytes get SOURCE_TOO_LARGE and are not read. Default: 16 MiB. */
  maxFileSize?: number;
  /** The file system. Default: `node:fs`. */
  fs?: FsLike;
  /** Clock for `startedAtMs`. Default: `Date.now`. */
  now?: () => number;
  /** Entries between two yields to the event loop. Default: 4096. */
  yieldEvery?: number;
}

/** `ScanFilesOptions` with every default applied. */
export interface ResolvedScanOptions {
  root: string;
  include: readonly string[];
  exclude: readonly string[];
  skipPaths: ReadonlySet<string>;
  cache: ReadonlyMap<string, StatKey> | undefined;
  maxFileSize: number;
  fs: FsLike;
  now: () => number;
  yieldEvery: number;
}

export const DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024;

/**
 * Apply the defaults: the one place they live.
 *
 * @example resolveScanOptions({ root: './config' }).maxFileSize; // 16777216
 */
export function resolveScanOptions(raw: ScanFilesOptions): ResolvedScanOptions {
  return {
    root: resolve(raw.root),
    include: raw.include ?? [],
    exclude: raw.exclude ?? [],
    skipPaths: new Set((raw.skipPaths ?? []).map((path) => resolve(path))),
    cache: raw.cache,
    maxFileSize: raw.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    fs: raw.fs ?? nodeFs,
    now: raw.now ?? Date.now,
    yieldEvery: Math.max(1, raw.yieldEvery ?? 4096),
  };
}
