import type { FileMeta, StatKey } from './file-entry.js';

/**
 * How close to the scan's start a change must be to make its stat untrustworthy.
 * Covers coarse file-system timestamps (FAT: 2 s) and the kernel clock lagging `Date.now`.
 */
export const RACY_WINDOW_MS = 2000;

/**
 * The cache key to keep for an entry after a scan. It is `racy` when the
 * file changed (mtime or ctime) within `RACY_WINDOW_MS` of the scan's start:
 * a write later in that same timestamp tick would leave size and mtime
 * alone, so such a file must be read again next time (git's "racy clean").
 *
 * @example
 * const scan = await scanFiles({ root });
 * const cache = new Map(scan.entries.map((e) => [e.file, toStatKey(e.meta, scan.startedAtMs)]));
 */
export function toStatKey(meta: FileMeta, startedAtMs: number, windowMs = RACY_WINDOW_MS): StatKey {
  const changedAt = Math.max(meta.mtimeMs, meta.ctimeMs);
  return {
    size: meta.size,
    mtimeMs: meta.mtimeMs,
    ctimeMs: meta.ctimeMs,
    ino: meta.ino,
    racy: changedAt >= startedAtMs - windowMs,
  };
}
