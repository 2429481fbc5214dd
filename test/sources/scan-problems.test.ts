import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { nodeFs, type FsLike } from '../../src/sources/fs-like.js';
import { scanFiles } from '../../src/sources/scan-files.js';
import { makeTree, osError } from './temp-tree.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function tree(layout: Parameters<typeof makeTree>[0]): string {
  const made = makeTree(layout);
  cleanups.push(made.cleanup);
  return made.root;
}

/** The real fs, with `before` run just ahead of the named call on a path ending in `name`. */
function interfere(call: 'lstatSync' | 'openSync' | 'readdirSync', name: string, before: (path: string) => void): FsLike {
  const fs: FsLike = { ...nodeFs };
  const original = nodeFs[call] as (path: string, extra: never) => unknown;
  (fs as unknown as Record<string, unknown>)[call] = (path: string, extra: never) => {
    if (path.endsWith(`/${name}`)) before(path);
    return original(path, extra);
  };
  return fs;
}

describe('files that vanish mid-scan', () => {
  test('deleted between readdir and lstat: a SOURCE_VANISHED problem for that file; the rest is scanned', async () => {
    const root = tree({ 'a.conf': 'a', 'gone.conf': 'secret-content', 'z.conf': 'z' });
    const scan = await scanFiles({ root, fs: interfere('lstatSync', 'gone.conf', unlinkSync) });
    expect(scan.entries.map((e) => e.file)).toEqual(['a.conf', 'z.conf']);
    expect(scan.problems).toEqual([{ file: 'gone.conf', code: 'SOURCE_VANISHED', message: expect.stringContaining('gone.conf') }]);
    expect(scan.problems[0]!.message).toContain('ENOENT');
  });

  test('deleted between lstat and read: the entry keeps its lstat meta and gets SOURCE_VANISHED', async () => {
    const root = tree({ 'a.conf': 'a', 'gone.conf': 'secret-content' });
    const scan = await scanFiles({ root, fs: interfere('openSync', 'gone.conf', unlinkSync) });
    const gone = scan.entries.find((e) => e.file === 'gone.conf')!;
    expect(gone.problem?.code).toBe('SOURCE_VANISHED');
    expect(gone.problem?.message).toContain('ENOENT');
    expect(gone.problem?.message).not.toContain('secret-content');
    expect(gone.bytes).toBeUndefined();
    expect(gone.meta).toMatchObject({ type: 'file', size: 14 });
    expect(scan.entries.find((e) => e.file === 'a.conf')!.bytes?.toString()).toBe('a');
    expect(scan.problems).toEqual([]);
  });

  test('replaced by a FIFO between lstat and read: not blocked on, SOURCE_VANISHED', async () => {
    const root = tree({ 'app.conf': 'a' });
    const scan = await scanFiles({
      root,
      fs: interfere('openSync', 'app.conf', (path) => { unlinkSync(path); execFileSync('mkfifo', [path]); }),
    });
    expect(scan.entries[0]!.problem?.code).toBe('SOURCE_VANISHED');
  });

  test('replaced by a symlink between lstat and read: the link is not followed, SOURCE_VANISHED', async () => {
    const root = tree({ 'app.conf': 'a', 'other': 'do not read' });
    const scan = await scanFiles({
      root,
      fs: interfere('openSync', 'app.conf', (path) => { unlinkSync(path); symlinkSync('other', path); }),
    });
    const entry = scan.entries.find((e) => e.file === 'app.conf')!;
    expect(entry.problem?.code).toBe('SOURCE_VANISHED');
    expect(entry.bytes).toBeUndefined();
  });

  test('a directory deleted between its parent readdir and its own: a SOURCE_VANISHED problem for the directory', async () => {
    const root = tree({ 'a.conf': 'a', 'sub/x.conf': 'x' });
    const fs = interfere('readdirSync', 'sub', (path) => rmSync(path, { recursive: true }));
    const scan = await scanFiles({ root, fs });
    expect(scan.entries.map((e) => e.file)).toEqual(['a.conf']);
    expect(scan.problems).toMatchObject([{ file: 'sub', code: 'SOURCE_VANISHED' }]);
  });
});

describe('unreadable files and directories (injected EACCES; see unprivileged.test.ts for the real thing)', () => {
  test('EACCES on open: SOURCE_UNREADABLE on that entry, naming the path and the OS code', async () => {
    const root = tree({ 'a.conf': 'a', 'secret.conf': 'password=hunter2' });
    const fs = interfere('openSync', 'secret.conf', (path) => { throw osError('EACCES', path); });
    const scan = await scanFiles({ root, fs });
    const entry = scan.entries.find((e) => e.file === 'secret.conf')!;
    expect(entry.problem?.code).toBe('SOURCE_UNREADABLE');
    expect(entry.problem?.message).toContain('secret.conf');
    expect(entry.problem?.message).toContain('EACCES');
    expect(entry.problem?.message).not.toContain('hunter2');
    expect(entry.meta.type).toBe('file');
    expect(scan.entries.find((e) => e.file === 'a.conf')!.bytes?.toString()).toBe('a');
  });

  test('EPERM is unreadable too', async () => {
    const root = tree({ 'a.conf': 'a' });
    const fs = interfere('openSync', 'a.conf', (path) => { throw osError('EPERM', path); });
    expect((await scanFiles({ root, fs })).entries[0]!.problem?.code).toBe('SOURCE_UNREADABLE');
  });

  test('an unreadable directory is one problem with its relative path; its siblings are scanned', async () => {
    const root = tree({ 'a.conf': 'a', 'etc/private/key.conf': 'k', 'etc/public.conf': 'p' });
    const fs = interfere('readdirSync', 'private', (path) => { throw osError('EACCES', path); });
    const scan = await scanFiles({ root, fs });
    expect(scan.entries.map((e) => e.file)).toEqual(['a.conf', 'etc/public.conf']);
    expect(scan.problems).toEqual([{ file: 'etc/private', code: 'SOURCE_UNREADABLE', message: expect.stringContaining('EACCES') }]);
  });

  test('an unreadable root directory is one problem with file ""', async () => {
    const root = tree({ 'a.conf': 'a' });
    const fs: FsLike = { ...nodeFs, readdirSync: (path) => { throw osError('EACCES', path); } };
    const scan = await scanFiles({ root, fs });
    expect(scan.rootType).toBe('directory');
    expect(scan.entries).toEqual([]);
    expect(scan.problems).toEqual([{ file: '', code: 'SOURCE_UNREADABLE', message: expect.stringContaining(root) }]);
  });

  test('a root that cannot be stat-ed for lack of permission is unreadable, not missing', async () => {
    const fs: FsLike = { ...nodeFs, statSync: (path) => { throw osError('EACCES', path); } };
    const scan = await scanFiles({ root: '/nowhere/app', fs });
    expect(scan.rootType).toBe('missing');
    expect(scan.problems).toMatchObject([{ file: '', code: 'SOURCE_UNREADABLE' }]);
  });
});
