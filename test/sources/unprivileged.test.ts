import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildScannerForOtherUsers } from './build-scanner.js';
import { makeTree } from './temp-tree.js';

// Root reads everything, so permission errors are only real for another user.
const isRoot = process.getuid?.() === 0;
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
const canRun = process.platform === 'linux' && (!isRoot || setpriv !== undefined);

const SCRIPT = `
import { scanFiles } from './sources/scan-files.js';
const scan = await scanFiles({ root: process.argv[2] });
const entries = scan.entries.map((e) => ({ file: e.file, mode: e.meta.mode, read: e.bytes !== undefined, problem: e.problem }));
process.stdout.write(JSON.stringify({ rootType: scan.rootType, entries, problems: scan.problems }));
`;

interface ScanReport {
  rootType: string;
  entries: Array<{ file: string; mode: number; read: boolean; problem?: { code: string; message: string } }>;
  problems: Array<{ file: string; code: string; message: string }>;
}

describe.runIf(canRun)('permissions, for real, as an unprivileged user', () => {
  let scanner: ReturnType<typeof buildScannerForOtherUsers>;
  let tree: ReturnType<typeof makeTree>;
  let report: ScanReport;

  beforeAll(() => {
    scanner = buildScannerForOtherUsers();
    writeFileSync(join(scanner.dir, 'scan.mjs'), SCRIPT, { mode: 0o644 });
    tree = makeTree({ 'ok.conf': 'ok=1\n', 'secret.conf': 'password=hunter2\n', 'locked/inner.conf': 'x', 'listonly/a.conf': 'a' });
    chmodSync(tree.root, 0o755); // nobody can traverse the root...
    chmodSync(join(tree.root, 'ok.conf'), 0o644);
    chmodSync(join(tree.root, 'secret.conf'), 0o600); // ...but not read this root-owned file,
    chmodSync(join(tree.root, 'locked'), 0o700); // nor list this directory,
    chmodSync(join(tree.root, 'listonly'), 0o744); // and may list this one, not stat inside it.
    mkdirSync(join(tree.root, 'empty'), { mode: 0o755 });
    const argv = [process.execPath, join(scanner.dir, 'scan.mjs'), tree.root];
    const command = isRoot ? [setpriv!, '--reuid=65534', '--regid=65534', '--clear-groups', ...argv] : argv;
    const run = spawnSync(command[0]!, command.slice(1), { cwd: scanner.dir, encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    report = JSON.parse(run.stdout) as ScanReport;
  });

  afterAll(() => {
    tree?.cleanup();
    scanner?.cleanup();
  });

  test('a root-owned 0600 file is an entry with SOURCE_UNREADABLE, naming the path and EACCES, never its content', () => {
    const secret = report.entries.find((e) => e.file === 'secret.conf');
    expect(secret).toMatchObject({ mode: 0o600, read: false, problem: { code: 'SOURCE_UNREADABLE' } });
    expect(secret!.problem!.message).toContain('secret.conf');
    expect(secret!.problem!.message).toContain('EACCES');
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });

  test('a readable file next to it is still read', () => {
    expect(report.entries.find((e) => e.file === 'ok.conf')).toMatchObject({ read: true });
  });

  test('a directory nobody may list is one SOURCE_UNREADABLE problem with its relative path', () => {
    expect(report.problems).toContainEqual({ file: 'locked', code: 'SOURCE_UNREADABLE', message: expect.stringContaining('EACCES') });
    expect(report.entries.some((e) => e.file.startsWith('locked/'))).toBe(false);
  });

  test('a directory that may be listed but not searched: each file in it is a SOURCE_UNREADABLE problem', () => {
    expect(report.problems).toContainEqual({ file: 'listonly/a.conf', code: 'SOURCE_UNREADABLE', message: expect.stringContaining('EACCES') });
  });

  test('nothing else went wrong', () => {
    expect(report.rootType).toBe('directory');
    expect(report.entries.map((e) => e.file)).toEqual(['ok.conf', 'secret.conf']);
    expect(report.problems.map((p) => p.file)).toEqual(['listonly/a.conf', 'locked']);
  });
});
