import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nodeFs, type FsLike } from '../../src/sources/fs-like.js';

/** A layout: relative path -> file content, or `{ link }` for a symlink. */
export type Layout = Record<string, string | { link: string }>;

/** Create a fresh temp directory holding `layout`; `cleanup` removes it. */
export function makeTree(layout: Layout = {}): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'dw-sources-'));
  writeLayout(root, layout);
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function writeLayout(root: string, layout: Layout): void {
  for (const [file, content] of Object.entries(layout)) {
    const path = join(root, file);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof content === 'string') writeFileSync(path, content);
    else symlinkSync(content.link, path);
  }
}

/** The real fs, counting the calls that read content; `opened` lists the paths. */
export function countingFs(base: FsLike = nodeFs): { fs: FsLike; opened: string[]; reads: () => number } {
  const opened: string[] = [];
  let reads = 0;
  const fs: FsLike = {
    ...base,
    openSync: (path, flags) => {
      opened.push(path);
      return base.openSync(path, flags);
    },
    readSync: (fd, buffer, offset, length, position) => {
      reads++;
      return base.readSync(fd, buffer, offset, length, position);
    },
  };
  return { fs, opened, reads: () => reads };
}

/** An error shaped like Node's fs errors. */
export function osError(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${path}`), { code, path });
}
