import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { scanFiles } from '../../src/sources/scan-files.js';
import { nodeFs, type FsLike } from '../../src/sources/fs-like.js';
import { makeTree } from './temp-tree.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function tree(layout: Parameters<typeof makeTree>[0]): string {
  const made = makeTree(layout);
  cleanups.push(made.cleanup);
  return made.root;
}

const files = (scan: Awaited<ReturnType<typeof scanFiles>>) => scan.entries.map((entry) => entry.file);

describe('scanFiles', () => {
  test('walks a nested tree: relative paths with /, sorted by code unit, bytes read, dotfiles included', async () => {
    const root = tree({
      'b.yaml': 'b: 1\n', 'a-b.ini': 'x=1\n', 'a/z.json': '{}', 'a/b/c.toml': 'c = 1\n',
      '.env': 'A=1\n', 'a/.hidden/d.conf': 'd\n', 'É.conf': 'e\n', 'a.b/x': 'x',
    });
    const scan = await scanFiles({ root });
    expect(scan.rootType).toBe('directory');
    expect(scan.root).toBe(root);
    expect(scan.problems).toEqual([]);
    expect(files(scan)).toEqual(['.env', 'a-b.ini', 'a.b/x', 'a/.hidden/d.conf', 'a/b/c.toml', 'a/z.json', 'b.yaml', 'É.conf']);
    expect(files(scan)).toEqual([...files(scan)].sort());
    const entry = scan.entries.find((e) => e.file === 'a/b/c.toml')!;
    expect(entry.bytes?.toString()).toBe('c = 1\n');
    expect(entry.meta).toMatchObject({ type: 'file', size: 6 });
    expect(entry.unchanged).toBeUndefined();
  });

  test('include and exclude globs, relative to the root; an excluded directory is not entered', async () => {
    const root = tree({
      'app.yaml': 'a', 'web/node_modules/x/package.json': '{}', 'web/.app.yaml.swp': 's', 'web/site.json': '{}',
      'notes.txt': 'n', 'deep/er/conf.yaml': 'c',
    });
    const listed: string[] = [];
    const fs: FsLike = { ...nodeFs, readdirSync: (path, options) => (listed.push(path), nodeFs.readdirSync(path, options)) };
    const scan = await scanFiles({ root, fs, include: ['**/*.yaml', '**/*.json', '**/*.swp'], exclude: ['**/node_modules/**', '**/*.swp'] });
    expect(files(scan)).toEqual(['app.yaml', 'deep/er/conf.yaml', 'web/site.json']);
    expect(scan.problems).toEqual([]);
    expect(listed.some((path) => path.includes('node_modules'))).toBe(false);
  });

  test('an exclude written as a directory (`cache/`) prunes that directory', async () => {
    const root = tree({ 'cache/a.json': '{}', 'keep.json': '{}' });
    expect(files(await scanFiles({ root, exclude: ['cache/'] }))).toEqual(['keep.json']);
  });

  test('skipPaths leaves out the store, its -wal/-shm and the key file, and whole directories', async () => {
    const root = tree({ 'state/dw.db': 'x', 'state/dw.db-wal': 'x', 'state/dw.db-shm': 'x', 'key': 'k', 'app.yaml': 'a', 'priv/x': 'x' });
    const db = join(root, 'state/dw.db');
    const scan = await scanFiles({ root, skipPaths: [db, `${db}-wal`, `${db}-shm`, join(root, 'key'), join(root, 'priv')] });
    expect(files(scan)).toEqual(['app.yaml']);
  });

  test('skipPaths match through symlinks, either way round, even for a -wal file that does not exist yet', async () => {
    const base = tree({ 'real/dw.db': 'x', 'real/app.yaml': 'a', 'via': { link: 'real' } });
    const viaLink = await scanFiles({ root: join(base, 'via'), skipPaths: [join(base, 'real/dw.db'), join(base, 'real/dw.db-wal')] });
    expect(files(viaLink)).toEqual(['app.yaml']);
    const viaReal = await scanFiles({ root: join(base, 'real'), skipPaths: [join(base, 'via/dw.db')] });
    expect(files(viaReal)).toEqual(['app.yaml']);
  });

  test('a single-file root: one entry named by its base name', async () => {
    const root = tree({ 'etc/app.yaml': 'v: 1\n' });
    const scan = await scanFiles({ root: join(root, 'etc/app.yaml') });
    expect(scan.rootType).toBe('file');
    expect(files(scan)).toEqual(['app.yaml']);
    expect(scan.entries[0]!.bytes?.toString()).toBe('v: 1\n');
  });

  test('a root that is a symlink to a directory is followed (the user named it)', async () => {
    const root = tree({ 'real/a.conf': 'a', 'link': { link: 'real' } });
    const scan = await scanFiles({ root: join(root, 'link') });
    expect(scan.rootType).toBe('directory');
    expect(files(scan)).toEqual(['a.conf']);
  });

  test('a missing root is one SOURCE_MISSING problem with file "", never a list of removals', async () => {
    const root = tree({});
    const missing = join(root, 'unmounted/config');
    const scan = await scanFiles({ root: missing, now: () => 1234 });
    expect(scan).toEqual({
      root: missing, rootType: 'missing', entries: [], startedAtMs: 1234,
      problems: [{ file: '', code: 'SOURCE_MISSING', message: expect.stringContaining(missing) }],
    });
    expect(scan.problems[0]!.message).toContain('ENOENT');
  });

  test('an empty directory is an empty scan', async () => {
    const root = tree({});
    mkdirSync(join(root, 'empty'));
    expect(await scanFiles({ root })).toMatchObject({ rootType: 'directory', entries: [], problems: [] });
  });

  test('a FIFO and a socket are skipped, never opened (a FIFO would block)', async () => {
    const root = tree({ 'a.conf': 'a' });
    execFileSync('mkfifo', [join(root, 'pipe')]);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(root, 'sock'), resolve));
    try {
      const scan = await scanFiles({ root });
      expect(files(scan)).toEqual(['a.conf']);
      expect(scan.problems).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a file above maxFileSize gets SOURCE_TOO_LARGE and is not read', async () => {
    const root = tree({ 'big.json': 'x'.repeat(100), 'small.json': '{}' });
    const scan = await scanFiles({ root, maxFileSize: 10 });
    const big = scan.entries.find((e) => e.file === 'big.json')!;
    expect(big.problem?.code).toBe('SOURCE_TOO_LARGE');
    expect(big.bytes).toBeUndefined();
    expect(big.meta.size).toBe(100);
    expect(scan.entries.find((e) => e.file === 'small.json')!.bytes?.toString()).toBe('{}');
  });

  test('a file that grew after its stat is read whole, or reported too large past the limit', async () => {
    const root = tree({ 'grows.log': 'x'.repeat(100) });
    // Stats from before the growth: one byte.
    const small = <T extends object>(stats: T): T => Object.assign(Object.create(stats) as T, { size: 1 });
    const fs: FsLike = { ...nodeFs, lstatSync: (p) => small(nodeFs.lstatSync(p)), fstatSync: (fd) => small(nodeFs.fstatSync(fd)) };
    expect((await scanFiles({ root, fs })).entries[0]!.bytes?.length).toBe(100);
    const limited = (await scanFiles({ root, fs, maxFileSize: 50 })).entries[0]!;
    expect(limited.problem?.code).toBe('SOURCE_TOO_LARGE');
    expect(limited.bytes).toBeUndefined();
  });

  test('startedAtMs comes from the injected clock', async () => {
    const root = tree({ 'a': 'a' });
    expect((await scanFiles({ root, now: () => 42 })).startedAtMs).toBe(42);
  });

  test('yields to the event loop during a long walk, so a server stays responsive', async () => {
    const layout: Record<string, string> = {};
    for (let i = 0; i < 300; i++) layout[`d${i % 7}/f${i}.conf`] = `${i}`;
    const root = tree(layout);
    let turns = 0;
    let spinning = true;
    const spin = (): void => { turns++; if (spinning) setImmediate(spin); };
    setImmediate(spin);
    const scan = await scanFiles({ root, yieldEvery: 10 });
    spinning = false;
    expect(scan.entries).toHaveLength(300);
    // A scan that never yielded would finish before the first setImmediate callback.
    expect(turns).toBeGreaterThan(5);
  });
});
