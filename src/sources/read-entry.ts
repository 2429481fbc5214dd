import type { CacheLookup } from './cache-lookup.js';
import type { FileMeta, ScanEntry, StatKey } from './file-entry.js';
import type { FsLike, StatsLike } from './fs-like.js';
import { readBytes } from './read-bytes.js';
import { fsProblem, tooLargeProblem } from './scan-problem.js';

/** What every entry of one scan shares. */
export interface EntryContext {
  fs: FsLike;
  lookup: CacheLookup;
  maxFileSize: number;
}

/**
 * Turn one stat'ed path into a scan entry: a symlink records its target
 * (never followed), a regular file is read unless its stat matches a
 * non-racy cache entry. Anything else (socket, FIFO, device, directory) is
 * `null`: never opened, since opening a FIFO would block.
 *
 * @example
 * const entry = readEntry(context, '/etc/app/a.yaml', 'a.yaml', nodeFs.lstatSync('/etc/app/a.yaml'));
 * entry?.unchanged; // true when the cache says the content is what it was
 */
export function readEntry(context: EntryContext, path: string, file: string, stats: StatsLike, follow = false): ScanEntry | null {
  if (stats.isSymbolicLink()) return readLink(context, path, file, stats);
  if (!stats.isFile()) return null;
  const meta = toMeta('file', stats);
  if (stats.size > context.maxFileSize) return { file, meta, problem: tooLargeProblem(file, stats.size, context.maxFileSize) };
  const cached = context.lookup(file);
  if (cached !== undefined && !cached.racy && sameStat(cached, stats)) return { file, meta, unchanged: true };
  const result = readBytes(context.fs, path, file, context.maxFileSize, follow);
  if ('bytes' in result) return { file, meta: toMeta('file', result.stats), bytes: result.bytes };
  // The stat of the opened file, when there is one, is the truer account of what was there.
  const problemMeta = result.stats?.isFile() ? toMeta('file', result.stats) : meta;
  return { file, meta: problemMeta, problem: result.problem };
}

function readLink(context: EntryContext, path: string, file: string, stats: StatsLike): ScanEntry {
  const meta = toMeta('symlink', stats);
  try {
    meta.target = context.fs.readlinkSync(path);
    return { file, meta };
  } catch (error) {
    return { file, meta, problem: fsProblem(file, error) };
  }
}

/** Equal keys mean the file need not be read. */
function sameStat(key: StatKey, stats: StatsLike): boolean {
  return key.size === stats.size && key.mtimeMs === stats.mtimeMs && key.ctimeMs === stats.ctimeMs && key.ino === stats.ino;
}

function toMeta(type: FileMeta['type'], stats: StatsLike): FileMeta {
  return {
    type,
    mode: stats.mode & 0o7777,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    ctimeMs: stats.ctimeMs,
    ino: stats.ino,
  };
}
