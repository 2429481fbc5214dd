import type { Problem } from '../core/problem.js';
import type { FsLike, StatsLike } from './fs-like.js';
import type { PathFilter } from './match-globs.js';
import { fsProblem } from './scan-problem.js';

/** How a walk reads the tree and what it leaves out. */
export interface WalkOptions {
  fs: FsLike;
  filter: PathFilter;
  /** Absolute paths never visited (files or directories). */
  skip: ReadonlySet<string>;
  /** Yield to the event loop after this many entries, so a server stays responsive. */
  yieldEvery: number;
}

/** Receives every non-directory the walk finds, in `file` order, and every problem. */
export interface WalkVisitor {
  onFile(path: string, file: string, stats: StatsLike): void;
  onProblem(problem: Problem): void;
}

interface Child {
  name: string;
  /** Sort key: a directory sorts as `name/`, so the walk order is the order of full paths. */
  key: string;
  isDirectory: boolean;
}

interface Frame {
  path: string;
  file: string;
  children: Child[];
  next: number;
}

/**
 * Walk a directory depth-first without following symlinks: readdir with
 * types, lstat for each non-directory. Children are visited in an order
 * that makes relative paths come out sorted by code unit, so the caller
 * need not sort. Unreadable or vanished directories become problems with
 * the directory's relative path (`""` for the root); the walk goes on.
 *
 * @example
 * await walkTree('/etc/app', { fs: nodeFs, filter, skip: new Set(), yieldEvery: 4096 }, {
 *   onFile: (path, file, stats) => entries.push(file),
 *   onProblem: (problem) => problems.push(problem),
 * });
 */
export async function walkTree(root: string, options: WalkOptions, visitor: WalkVisitor): Promise<void> {
  const { fs, filter, skip, yieldEvery } = options;
  const stack: Frame[] = [];
  let seen = 0;
  // Most names match no skip path: test the cheap, short name before hashing the full path.
  const skipNames = new Set([...skip].map((path) => path.slice(path.lastIndexOf('/') + 1)));
  const enter = (path: string, file: string): void => {
    try {
      stack.push({ path, file, children: listChildren(fs, path), next: 0 });
    } catch (error) {
      visitor.onProblem({ file, ...fsProblem(file === '' ? root : file, error) });
    }
  };
  enter(root, '');
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const child = frame.children[frame.next++];
    if (child === undefined) {
      stack.pop();
      continue;
    }
    if (++seen % yieldEvery === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const path = frame.path.endsWith('/') ? frame.path + child.name : `${frame.path}/${child.name}`;
    const file = frame.file === '' ? child.name : `${frame.file}/${child.name}`;
    if (skipNames.has(child.name) && skip.has(path)) continue;
    if (child.isDirectory) {
      if (filter.entersDirectory(file)) enter(path, file);
      continue;
    }
    if (!filter.includesFile(file)) continue;
    let stats: StatsLike;
    try {
      stats = fs.lstatSync(path);
    } catch (error) {
      // Gone (or unreachable) before lstat: nothing to describe, so the problem stands alone.
      visitor.onProblem({ file, ...fsProblem(file, error) });
      continue;
    }
    // Replaced by a directory since readdir: walk it where it now sorts.
    if (stats.isDirectory()) {
      if (filter.entersDirectory(file)) enter(path, file);
      continue;
    }
    visitor.onFile(path, file, stats);
  }
}

function listChildren(fs: FsLike, path: string): Child[] {
  const children = fs.readdirSync(path, { withFileTypes: true }).map((dirent): Child => {
    const isDirectory = dirent.isDirectory();
    return { name: dirent.name, key: isDirectory ? `${dirent.name}/` : dirent.name, isDirectory };
  });
  return children.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
