import { constants } from 'node:fs';
import type { FileProblem } from '../formats/format.js';
import type { FsLike, StatsLike } from './fs-like.js';
import { fsProblem, tooLargeProblem, vanishedProblem } from './scan-problem.js';

/** What reading one regular file gave: its bytes and the stat of the opened file, or why not. */
export type ReadResult =
  | { bytes: Buffer; stats: StatsLike }
  | { problem: FileProblem; stats?: StatsLike };

// O_NONBLOCK: if a FIFO took the file's place since lstat, open must not wait for a writer.
const BASE_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Read a regular file whole, through one descriptor: the returned stat is
 * that of the bytes read (fstat), so a rename-over between lstat and open
 * cannot pair new bytes with old metadata. Never follows a final symlink
 * unless `follow` is set (a single-file root the user named).
 *
 * @example
 * const result = readBytes(nodeFs, '/etc/app/app.yaml', 'app.yaml', 16 << 20, false);
 * if ('bytes' in result) parse(result.bytes);
 */
export function readBytes(fs: FsLike, path: string, file: string, maxFileSize: number, follow: boolean): ReadResult {
  let fd: number;
  try {
    fd = fs.openSync(path, follow ? BASE_FLAGS : BASE_FLAGS | NO_FOLLOW);
  } catch (error) {
    return { problem: fsProblem(file, error) };
  }
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) return { problem: vanishedProblem(file, 'no longer a regular file'), stats };
    if (stats.size > maxFileSize) return { problem: tooLargeProblem(file, stats.size, maxFileSize), stats };
    const bytes = readAll(fs, fd, stats.size, maxFileSize);
    if (bytes === null) return { problem: tooLargeProblem(file, stats.size, maxFileSize), stats };
    return { bytes, stats };
  } catch (error) {
    return { problem: fsProblem(file, error) };
  } finally {
    closeQuietly(fs, fd);
  }
}

// Closing a descriptor opened read-only cannot lose data; a failure here must not fail the scan.
function closeQuietly(fs: FsLike, fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Nothing to undo.
  }
}

/** Read to end of file (it may have grown since fstat); null past the limit. */
function readAll(fs: FsLike, fd: number, expected: number, limit: number): Buffer | null {
  // One byte more than expected, so a file that grew is noticed without a second read call.
  let buffer = Buffer.allocUnsafe(Math.min(expected + 1, limit + 1));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > limit) return null;
      const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit + 1));
      buffer.copy(bigger, 0, 0, length);
      buffer = bigger;
    }
    const count = fs.readSync(fd, buffer, length, buffer.length - length, null);
    if (count === 0) break;
    length += count;
  }
  if (length > limit) return null;
  return length === buffer.length ? buffer : buffer.subarray(0, length);
}
