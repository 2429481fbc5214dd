import { watch as chokidarWatch, type ChokidarOptions, type FSWatcher } from 'chokidar';
import fs from 'node:fs';
import path from 'node:path';
import { compilePathFilter } from '../sources/match-globs.js';
import { nodeFs } from '../sources/fs-like.js';
import { resolveSkipPaths } from '../sources/skip-paths.js';

/** What the agent needs of a chokidar watcher; tests hand in their own through `WatcherFactory`. */
export type FsWatcherLike = Pick<FSWatcher, 'on' | 'close'>;

/** Makes the chokidar watcher for a path; the default is chokidar's `watch`. */
export type WatcherFactory = (root: string, options: ChokidarOptions) => FsWatcherLike;

export interface SourceWatcherOptions {
  /** The source root: a file or a directory that exists (symlinks followed). */
  root: string;
  /** The source's globs, relative to the root: what the scan skips raises no event either. */
  include: readonly string[];
  exclude: readonly string[];
  /** Absolute paths never watched: the store, its journals, the key file (else each cycle's writes would start the next). */
  ignorePaths: readonly string[];
  /** Something under the root changed (added, changed, removed; the root itself too). */
  onChange: (path: string) => void;
  /** chokidar could not watch something: ENOSPC is the inotify watch limit. */
  onError: (error: NodeJS.ErrnoException) => void;
  factory?: WatcherFactory;
}

/**
 * One source's file-system events, through chokidar: every add, change and
 * removal under the root (its include and exclude globs and the store's own
 * files left out) is reported by path. Saves by rename are handled by
 * chokidar (`atomic`): a temp file renamed over the original is one change.
 * `identity` names the root's inode, so the agent can tell a directory that
 * was deleted and created again (whose old watches are dead) from the one it
 * watches.
 */
export class SourceWatcher {
  readonly root: string;
  readonly identity: string;
  #watcher: FsWatcherLike;
  #closed = false;

  private constructor(root: string, identity: string, watcher: FsWatcherLike) {
    this.root = root;
    this.identity = identity;
    this.#watcher = watcher;
  }

  /**
   * Starts watching and resolves once the initial crawl is done (chokidar's
   * `ready`): from then on every change raises an event.
   *
   * @example
   * const w = await SourceWatcher.start({ root: '/etc/app', include: [], exclude: [], ignorePaths: [], onChange: () => scheduler.touch('app'), onError: console.error });
   * await w.close();
   */
  static async start(options: SourceWatcherOptions): Promise<SourceWatcher> {
    // Watch the real directory: the scan follows a symlinked root, and so must the events.
    const root = fs.realpathSync(options.root);
    const identity = watchIdentity(options.root);
    const ignored = ignoreMatcher(root, options);
    const factory = options.factory ?? ((p, o) => chokidarWatch(p, o));
    const watcher = factory(root, {
      ignored,
      ignoreInitial: true,
      // Links are recorded, never followed, by the scan; a change of target is an event on the link itself.
      followSymlinks: false,
      ignorePermissionErrors: true,
      atomic: true,
      persistent: true,
    });
    const self = new SourceWatcher(root, identity ?? '', watcher);
    watcher.on('all', (_event: string, changed: string) => {
      if (!self.#closed) options.onChange(changed);
    });
    watcher.on('error', (error: unknown) => {
      if (!self.#closed) options.onError(error as NodeJS.ErrnoException);
    });
    await new Promise<void>((resolve) => watcher.on('ready', () => resolve()));
    return self;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#watcher.close();
  }
}

/**
 * What a root is now: its real path and inode, or undefined when it is gone.
 * A directory deleted and created again, or a link pointed elsewhere, has a
 * new identity.
 *
 * @example rootIdentity('/etc/app') // '/etc/app\0' + '2049:131' (dev:ino)
 */
export function rootIdentity(root: string): string | undefined {
  try {
    const real = fs.realpathSync(root);
    const stats = fs.statSync(real);
    return `${real}\0${stats.dev}:${stats.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * The identity whose change kills a watcher's watches: the root directory's,
 * or for a single file the directory holding it (chokidar watches that
 * directory, and a file replaced by rename is its ordinary business).
 */
export function watchIdentity(root: string): string | undefined {
  try {
    const real = fs.realpathSync(root);
    return rootIdentity(fs.statSync(real).isDirectory() ? real : path.dirname(real));
  } catch {
    return undefined;
  }
}

function ignoreMatcher(root: string, options: SourceWatcherOptions): (p: string, stats?: fs.Stats) => boolean {
  const { skip } = resolveSkipPaths(nodeFs, root, new Set(options.ignorePaths.map((p) => path.resolve(p))));
  const filter = compilePathFilter(options.include, options.exclude);
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return (p, stats) => {
    if (skip.has(p)) return true;
    // The root itself, and the parent chokidar watches for a single-file root, are never ignored.
    if (!p.startsWith(prefix)) return false;
    const rel = p.slice(prefix.length);
    if (stats?.isDirectory()) return !filter.entersDirectory(rel);
    if (stats) return !filter.includesFile(rel);
    // Not stat-ed yet: only what no directory rule lets in is left out now; chokidar asks again with stats.
    return !filter.entersDirectory(rel);
  };
}
