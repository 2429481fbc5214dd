import { createHash } from 'node:crypto';
import type { SnapshotFile } from '../store/store.js';

/**
 * Hash of everything in a snapshot that can drift (not size or mtime): two
 * scans with equal digests are the same state, so no new snapshot is stored.
 * `files` must be sorted by name.
 */
export function snapshotDigest(files: readonly SnapshotFile[]): string {
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(`${f.file}\0${f.type}\0${f.mode}\0${f.uid}\0${f.gid}\0${f.contentId ?? ''}\0${f.target ?? ''}\n`);
  }
  return hash.digest('hex');
}
