import { basename, dirname, join } from 'node:path';
import type { FsLike } from './fs-like.js';

/**
 * The paths to skip, each in its given and its real spelling, and the root
 * to walk by its real path: a store reached through a symlinked directory
 * (`/var/run` -> `/run`) is then still recognised inside the walk. A path
 * that does not exist yet (a `-wal` file) is resolved through its parent.
 *
 * @example
 * const { walkRoot, skip } = resolveSkipPaths(nodeFs, '/srv/link', new Set(['/srv/real/dw.db']));
 * // walkRoot: '/srv/real'; skip holds '/srv/real/dw.db'
 */
export function resolveSkipPaths(fs: FsLike, root: string, paths: ReadonlySet<string>): { walkRoot: string; skip: ReadonlySet<string> } {
  if (paths.size === 0) return { walkRoot: root, skip: paths };
  const skip = new Set(paths);
  for (const path of paths) {
    const real = realPath(fs, path);
    if (real !== undefined) skip.add(real);
  }
  return { walkRoot: realPath(fs, root) ?? root, skip };
}

function realPath(fs: FsLike, path: string): string | undefined {
  try {
    return fs.realpathSync(path);
  } catch {
    try {
      return join(fs.realpathSync(dirname(path)), basename(path));
    } catch {
      return undefined;
    }
  }
}
