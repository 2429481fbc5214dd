import { renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { FileScan, StatKey } from '../../src/sources/file-entry.js';
import { nodeFs, type FsLike, type StatsLike } from '../../src/sources/fs-like.js';
import { scanFiles } from '../../src/sources/scan-files.js';
import { RACY_WINDOW_MS, toStatKey } from '../../src/sources/stat-key.js';
import { countingFs, makeTree } from './temp-tree.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function tree(layout: Parameters<typeof makeTree>[0]): string {
  const made = makeTree(layout);
  cleanups.push(made.cleanup);
  return made.root;
}

function cacheOf(scan: FileScan, racy = false): Map<string, StatKey> {
  return new Map(scan.entries.map((e) => [e.file, { size: e.meta.size, mtimeMs: e.meta.mtimeMs, ctimeMs: e.meta.ctimeMs, ino: e.meta.ino, racy }]));
}

/** The real fs, but every stat of `name` reports these fields instead (a coarse clock, a reused inode...). */
function fakeStat(name: string, fields: Partial<StatsLike>): FsLike {
  const patch = (stats: StatsLike, path: string): StatsLike => (path.endsWith(`/${name}`) ? Object.assign(Object.create(stats) as StatsLike, fields) : stats);
  return {
    ...nodeFs,
    lstatSync: (path) => patch(nodeFs.lstatSync(path), path),
    statSync: (path) => patch(nodeFs.statSync(path), path),
    fstatSync: (fd) => Object.assign(Object.create(nodeFs.fstatSync(fd)) as StatsLike, fields),
  };
}

describe('stat fast path', () => {
  test('an unchanged file is not read: no open, no read, marked unchanged', async () => {
    const root = tree({ 'a.yaml': 'a: 1\n', 'b/c.json': '{}', '.env': 'X=1\n' });
    const first = await scanFiles({ root });
    const counting = countingFs();
    const again = await scanFiles({ root, fs: counting.fs, cache: cacheOf(first) });
    expect(counting.opened).toEqual([]);
    expect(counting.reads()).toBe(0);
    expect(again.entries.map((e) => [e.file, e.unchanged, e.bytes])).toEqual([
      ['.env', true, undefined], ['a.yaml', true, undefined], ['b/c.json', true, undefined],
    ]);
    expect(again.entries.map((e) => e.meta)).toEqual(first.entries.map((e) => e.meta));
  });

  test('a changed file is read again; the others are not', async () => {
    const root = tree({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' });
    const first = await scanFiles({ root });
    writeFileSync(join(root, 'b.yaml'), 'b: 22\n');
    const counting = countingFs();
    const again = await scanFiles({ root, fs: counting.fs, cache: cacheOf(first) });
    expect(counting.opened).toEqual([join(root, 'b.yaml')]);
    expect(again.entries[1]!.bytes?.toString()).toBe('b: 22\n');
  });

  test('same size within the same mtime: re-read when the cache entry is racy (and missed when it is not)', async () => {
    const root = tree({ 'app.conf': 'port=1\n' });
    // A file system with coarse timestamps: both versions report the same stat.
    const fs = fakeStat('app.conf', { mtimeMs: 1_000_000, ctimeMs: 1_000_000 });
    const first = await scanFiles({ root, fs });
    writeFileSync(join(root, 'app.conf'), 'port=2\n');
    const racy = await scanFiles({ root, fs, cache: cacheOf(first, true) });
    expect(racy.entries[0]!.unchanged).toBeUndefined();
    expect(racy.entries[0]!.bytes?.toString()).toBe('port=2\n');
    // Why racy exists: trusting that stat would have missed the edit.
    const trusting = await scanFiles({ root, fs, cache: cacheOf(first, false) });
    expect(trusting.entries[0]!.unchanged).toBe(true);
  });

  test('a file replaced by another (new inode, same size and times) is re-read', async () => {
    const root = tree({ 'app.yaml': 'v: 1\n' });
    const first = await scanFiles({ root });
    const [{ meta }] = first.entries as [FileScan['entries'][number]];
    const counting = countingFs(fakeStat('app.yaml', { ino: meta.ino + 1 }));
    const again = await scanFiles({ root, fs: counting.fs, cache: cacheOf(first) });
    expect(counting.opened).toEqual([join(root, 'app.yaml')]);
    expect(again.entries[0]!.bytes?.toString()).toBe('v: 1\n');
  });

  test('save-by-rename with the old mtime restored is still re-read (the inode changed)', async () => {
    const root = tree({ 'app.yaml': 'v: 1\n' });
    const first = await scanFiles({ root });
    const old = first.entries[0]!.meta;
    writeFileSync(join(root, '.app.yaml.tmp'), 'v: 2\n');
    utimesSync(join(root, '.app.yaml.tmp'), old.mtimeMs / 1000, old.mtimeMs / 1000);
    renameSync(join(root, '.app.yaml.tmp'), join(root, 'app.yaml'));
    const again = await scanFiles({ root, cache: cacheOf(first) });
    expect(again.entries[0]!.bytes?.toString()).toBe('v: 2\n');
  });

  test('a cache in any order gives the same answers', async () => {
    const root = tree({ 'a': '1', 'b/c': '2', 'b/d': '3', 'e': '4' });
    const first = await scanFiles({ root });
    const reversed = new Map([...cacheOf(first)].reverse());
    const again = await scanFiles({ root, cache: reversed });
    expect(again.entries.every((e) => e.unchanged === true)).toBe(true);
  });
});

describe('toStatKey', () => {
  const meta = { type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: 3, mtimeMs: 10_000, ctimeMs: 10_000, ino: 7 };

  test('a file changed well before the scan started is trusted', () => {
    expect(toStatKey(meta, 10_000 + RACY_WINDOW_MS + 1)).toEqual({ size: 3, mtimeMs: 10_000, ctimeMs: 10_000, ino: 7, racy: false });
  });

  test('a file changed within the window before the scan, or after it started, is racy', () => {
    expect(toStatKey(meta, 10_000 + RACY_WINDOW_MS).racy).toBe(true);
    expect(toStatKey(meta, 9_000).racy).toBe(true);
    expect(toStatKey({ ...meta, ctimeMs: 20_000 }, 21_000).racy).toBe(true);
  });
});
