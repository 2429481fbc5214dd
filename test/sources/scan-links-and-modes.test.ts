import { chmodSync, chownSync, lstatSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { scanFiles } from '../../src/sources/scan-files.js';
import { countingFs, makeTree } from './temp-tree.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function tree(layout: Parameters<typeof makeTree>[0]): string {
  const made = makeTree(layout);
  cleanups.push(made.cleanup);
  return made.root;
}

describe('symlinks are recorded, never followed', () => {
  test('B21-symlinks: a loop to .., a self-link and a dangling link never hang or crash; x.ini is recorded once', async () => {
    // The tree from /work/shared/cases/B21-symlinks/setup.sh.
    const root = tree({ 'a/x.ini': 'k=1\n', 'a/up': { link: '..' }, 'self': { link: 'self' }, 'dangling': { link: 'nowhere' } });
    const { fs, opened } = countingFs();
    const scan = await scanFiles({ root, fs });
    expect(scan.problems).toEqual([]);
    expect(scan.entries.map((e) => [e.file, e.meta.type, e.meta.target])).toEqual([
      ['a/up', 'symlink', '..'],
      ['a/x.ini', 'file', undefined],
      ['dangling', 'symlink', 'nowhere'],
      ['self', 'symlink', 'self'],
    ]);
    // Only the regular file was opened: no link was read through.
    expect(opened).toEqual([join(root, 'a/x.ini')]);
    for (const entry of scan.entries.filter((e) => e.meta.type === 'symlink')) {
      expect(entry.bytes).toBeUndefined();
      expect(entry.problem).toBeUndefined();
    }
  });

  test('B21-symlinks: re-pointing a link changes only its recorded target', async () => {
    const root = tree({ 'dangling': { link: 'nowhere' } });
    const before = await scanFiles({ root });
    rmSync(join(root, 'dangling'));
    symlinkSync('elsewhere', join(root, 'dangling'));
    const after = await scanFiles({ root });
    expect(before.entries[0]!.meta.target).toBe('nowhere');
    expect(after.entries[0]!.meta.target).toBe('elsewhere');
  });

  test('a link to a directory is an entry, not a directory to walk', async () => {
    const root = tree({ 'real/a.conf': 'a', 'alias': { link: 'real' } });
    const scan = await scanFiles({ root });
    expect(scan.entries.map((e) => [e.file, e.meta.type])).toEqual([['alias', 'symlink'], ['real/a.conf', 'file']]);
  });
});

describe('metadata', () => {
  test('B27-permissions: the mode is recorded as permission bits, so a chmod shows in meta', async () => {
    // The tree from /work/shared/cases/B27-permissions: p.conf goes 0644 -> 0600.
    const root = tree({ 'p.conf': 'a=1\n', 't.conf': 'b=1\n' });
    chmodSync(join(root, 'p.conf'), 0o644);
    const before = await scanFiles({ root });
    chmodSync(join(root, 'p.conf'), 0o600);
    const after = await scanFiles({ root });
    expect(before.entries[0]!.meta.mode).toBe(0o644);
    expect(after.entries[0]!.meta.mode).toBe(0o600);
  });

  test('setuid, setgid and sticky bits are kept; the file type bits are not', async () => {
    const root = tree({ 'tool': '#!/bin/sh\n' });
    chmodSync(join(root, 'tool'), 0o4755);
    expect((await scanFiles({ root })).entries[0]!.meta.mode).toBe(0o4755);
  });

  test('uid, gid, size, mtime, ctime and inode come from lstat', async () => {
    const root = tree({ 'owned.conf': 'x=1\n' });
    const path = join(root, 'owned.conf');
    if (process.getuid?.() === 0) chownSync(path, 65534, 65534);
    const stats = lstatSync(path);
    const [entry] = (await scanFiles({ root })).entries;
    expect(entry!.meta).toEqual({
      type: 'file', mode: 0o644 & ~process.umask(), uid: stats.uid, gid: stats.gid,
      size: 4, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino,
    });
    if (process.getuid?.() === 0) expect([entry!.meta.uid, entry!.meta.gid]).toEqual([65534, 65534]);
  });

  test('a symlink records its own uid, gid and target', async () => {
    const root = tree({ 'link': { link: 'target/file' } });
    const stats = lstatSync(join(root, 'link'));
    const [entry] = (await scanFiles({ root })).entries;
    expect(entry!.meta).toMatchObject({ type: 'symlink', uid: stats.uid, gid: stats.gid, target: 'target/file', ino: stats.ino });
  });
});
