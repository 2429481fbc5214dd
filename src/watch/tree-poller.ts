import { createHash } from 'node:crypto';
import path from 'node:path';
import { nodeFs } from '../sources/fs-like.js';
import { compilePathFilter } from '../sources/match-globs.js';
import { resolveSkipPaths } from '../sources/skip-paths.js';
import { walkTree } from '../sources/walk-tree.js';

export interface TreePollerOptions {
  root: string;
  include: readonly string[];
  exclude: readonly string[];
  ignorePaths: readonly string[];
  intervalMs: number;
  /** The tree's stat fingerprint moved since the last poll. */
  onChange: () => void;
}

/**
 * Polling for a source that cannot have file-system events (the inotify
 * watch limit, a network file system, `watch.usePolling`): every
 * `intervalMs`, one stat-only walk of the tree (the scan's own walker, the
 * same globs), folded into a fingerprint of every file's path, size, mtime,
 * ctime, inode, mode and owner. Nothing is read and nothing is written to the
 * store unless the fingerprint moved; then the agent runs a cycle. One
 * walk per interval costs far less than a poll timer per file.
 */
export class TreePoller {
  #options: TreePollerOptions;
  #timer: NodeJS.Timeout | null = null;
  #last: string | undefined;
  #closed = false;
  #walking: Promise<void> | null = null;

  private constructor(options: TreePollerOptions) {
    this.#options = options;
  }

  /**
   * Takes the first fingerprint, then polls until closed.
   *
   * @example const poller = await TreePoller.start({ root: '/etc/app', include: [], exclude: [], ignorePaths: [], intervalMs: 5000, onChange: () => scheduler.touch('app') });
   */
  static async start(options: TreePollerOptions): Promise<TreePoller> {
    const poller = new TreePoller(options);
    poller.#last = await treeFingerprint(options);
    poller.#arm();
    return poller;
  }

  #arm(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#walking = (async () => {
        const now = await treeFingerprint(this.#options);
        if (this.#closed) return;
        if (now !== this.#last) {
          this.#last = now;
          this.#options.onChange();
        }
        this.#arm();
      })();
    }, this.#options.intervalMs);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#walking;
  }
}

/** A hash of every file's stat under the root (`missing` when the root is gone). */
export async function treeFingerprint(options: Pick<TreePollerOptions, 'root' | 'include' | 'exclude' | 'ignorePaths'>): Promise<string> {
  const hash = createHash('sha1');
  try {
    const stats = nodeFs.statSync(options.root);
    if (!stats.isDirectory()) return `file:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}:${stats.mode}:${stats.uid}:${stats.gid}`;
  } catch (error) {
    return `missing:${(error as NodeJS.ErrnoException).code ?? ''}`;
  }
  const { walkRoot, skip } = resolveSkipPaths(nodeFs, options.root, new Set(options.ignorePaths.map((p) => path.resolve(p))));
  await walkTree(walkRoot, { fs: nodeFs, filter: compilePathFilter(options.include, options.exclude), skip, yieldEvery: 4096 }, {
    onFile: (_path, file, s) => hash.update(`${file}\0${s.size}\0${s.mtimeMs}\0${s.ctimeMs}\0${s.ino}\0${s.mode}\0${s.uid}\0${s.gid}\n`),
    onProblem: (problem) => hash.update(`!${problem.file}\0${problem.code}\n`),
  });
  return hash.digest('hex');
}
