// Bad input never crashes the CLI and never loses recorded data: a bad file is
// a problem for that file (exit 2), a failed run is one line on stderr (exit 1).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliBin, cliWithState, expectExit, projectRoot, readAllBytes, runCli, type CliResult } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

/** Every file and directory under dir, relative, sorted. */
function listAll(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    out.push(r);
    if (e.isDirectory()) out.push(...listAll(dir, r));
  }
  return out.sort();
}

/** A failed run: exit 1, nothing on stdout, one line on stderr with the code. */
function expectRunFailure(r: CliResult, code: string): string {
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(code);
  expect(lines[0]).not.toMatch(/INTERNAL|\n\s+at /);
  return lines[0]!;
}

const tuples = (changes: any[]) => changes.map((c) => [c.file, c.path, c.kind]);

describe('malformed files', () => {
  const tempDir = useTempDir('dw-bad-');

  function brokenTree() {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    write(path.join(tree, 'a.json'), '{"a": 1,\n "b": 2}\n');
    write(path.join(tree, 'c.yaml'), 'db:\n  host: x\n  port: 1\n');
    write(path.join(tree, 'd.env'), 'A=1\nB=2\n');
    write(path.join(tree, 'other.yaml'), 'x: 1\n');
    const cli = cliWithState(tmp);
    const first = cli.run(['check', tree, '--format', 'json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json().sources[0].status).toBe('baseline_recorded');
    return { tmp, tree, cli };
  }

  const breakAll = (tree: string) => {
    write(path.join(tree, 'a.json'), '{"a": 1,\n "b": }\n'); // line 2: no value
    write(path.join(tree, 'c.yaml'), 'db:\n  host: x\n  port: 1\n  host: y\n'); // line 4: host again
    write(path.join(tree, 'd.env'), 'A=1\nB=2\nNO EQUALS SIGN HERE\n'); // line 3
  };

  it('each broken file is a problem with its file and line; another file changed at the same time is still reported', () => {
    const { tree, cli } = brokenTree();
    breakAll(tree);
    write(path.join(tree, 'other.yaml'), 'x: 2\n');

    const r = cli.run(['check', tree, '--format', 'json']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('');
    const source = r.json().sources[0];
    expect(source.status).toBe('drift');
    expect(tuples(source.changes)).toEqual([['other.yaml', '/x', 'modified']]);
    expect(source.changes[0]).toMatchObject({ before: 1, after: 2 });

    const byFile = (file: string) => source.problems.filter((p: any) => p.file === file);
    expect(new Set(source.problems.map((p: any) => p.file))).toEqual(new Set(['a.json', 'c.yaml', 'd.env']));
    for (const [file, line, code] of [['a.json', 2, 'PARSE_ERROR'], ['c.yaml', 4, 'PARSE_DUPLICATE_KEY'], ['d.env', 3, 'PARSE_ERROR']] as const) {
      const problems = byFile(file);
      expect(problems.length, file).toBeGreaterThanOrEqual(1);
      expect(problems[0], file).toMatchObject({ file, line, code });
      expect(typeof problems[0].message).toBe('string');
    }

    // The text report names file:line for each, still without anything on stderr.
    const text = cli.run(['check', tree]);
    expect(text.code, text.stderr).toBe(2);
    expect(text.stderr).toBe('');
    for (const where of ['a.json:2', 'c.yaml:4', 'd.env:3']) expect(text.stdout).toContain(where);
  });

  it('a broken file keeps its last good snapshot: fixed back, it has no drift; fixed to a new value, that value is compared with the baseline', () => {
    const { tree, cli } = brokenTree();
    breakAll(tree);
    const broken = cli.run(['check', tree, '--format', 'json']);
    expect(broken.code, broken.stderr).toBe(2);
    expect(broken.json().sources[0].changes).toEqual([]);
    expect(broken.json().sources[0].status).toBe('problems');
    // A second look at the same broken files: the same, nothing forgotten.
    const again = cli.run(['check', tree, '--format', 'json']);
    expect(again.json().sources[0].problems).toEqual(broken.json().sources[0].problems);

    write(path.join(tree, 'a.json'), '{"a": 1,\n "b": 2}\n');
    write(path.join(tree, 'c.yaml'), 'db:\n  host: x\n  port: 1\n');
    write(path.join(tree, 'd.env'), 'A=1\nB=2\n');
    const fixed = cli.run(['check', tree, '--format', 'json']);
    expect(fixed.code, fixed.stdout).toBe(0);
    expect(fixed.json().sources[0]).toMatchObject({ status: 'clean', changes: [], problems: [] });

    breakAll(tree);
    expectExit(cli.run(['check', tree]), 2);
    write(path.join(tree, 'a.json'), '{"a": 1,\n "b": 3}\n');
    const changed = cli.run(['check', tree, '--format', 'json']);
    const source = changed.json().sources[0];
    expect(tuples(source.changes)).toEqual([['a.json', '/b', 'modified']]);
    expect(source.changes[0]).toMatchObject({ before: 2, after: 3 });
    expect(source.problems.map((p: any) => p.file).sort()).toEqual(['c.yaml', 'd.env']);
  });

  it('secrets in files that become unparseable are printed nowhere and stored nowhere', () => {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    write(path.join(tree, 'app.env'), 'TOKEN=tok-OLD-5ecret-1111\nPLAIN=visible-plain-value\n');
    write(path.join(tree, 'db.yaml'), 'db:\n  host: db-host-plain-value\n  password: pw-OLD-5ecret-2222\n');
    const cli = cliWithState(tmp);
    const outputs: CliResult[] = [cli.run(['check', tree, '--format', 'json'])];
    expectExit(outputs[0]!, 0);

    write(path.join(tree, 'app.env'), 'TOKEN=tok-NEW-5ecret-3333\nPLAIN=visible-plain-value\nTOKEN2 tok-NEW-5ecret-4444\nTOKEN3="tok-NEW-5ecret-5555\n');
    write(path.join(tree, 'db.yaml'), 'db:\n  host: db-host-plain-value\n  password: pw-NEW-5ecret-6666: x\n  password: "pw-NEW-5ecret-7777\n');
    outputs.push(cli.run(['check', tree, '--format', 'json']), cli.run(['check', tree]),
      cli.run(['events', '--format', 'json']), cli.run(['summary', '--format', 'json']));
    const second = outputs[1]!;
    expect(second.code, second.stderr).toBe(2);
    const problems = second.json().sources[0].problems;
    expect(new Set(problems.map((p: any) => p.file))).toEqual(new Set(['app.env', 'db.yaml']));
    for (const p of problems) expect(p.line, JSON.stringify(p)).toEqual(expect.any(Number));

    const printed = outputs.map((o) => o.stdout + o.stderr).join('\n');
    const stored = readAllBytes(cli.stateDir);
    // The store keeps plain values in the clear, so not finding the secrets there means something.
    expect(stored.includes(Buffer.from('db-host-plain-value'))).toBe(true);
    for (const n of ['1111', '2222', '3333', '4444', '5555', '6666', '7777']) {
      const secret = `5ecret-${n}`;
      expect(printed, secret).not.toContain(secret);
      expect(stored.includes(Buffer.from(secret)), `${secret} in the state directory`).toBe(false);
    }
  });
});

// Root reads everything, so unreadable files are only real for another user.
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const nobodyDirs: string[] = [];

function canRunAsNobody(bin: string): boolean {
  const probe = `const fs = require('fs'); for (const f of ${JSON.stringify([
    bin, path.join(path.dirname(bin), '..', 'dist', 'cli', 'main.js'), path.join(path.dirname(bin), '..', 'package.json'),
    path.join(path.dirname(bin), '..', 'node_modules', 'better-sqlite3', 'package.json'),
  ])}) fs.accessSync(f, fs.constants.R_OK);`;
  const r = spawnSync('setpriv', [...NOBODY, '--', process.execPath, '-e', probe], { encoding: 'utf8', cwd: '/' });
  return r.status === 0;
}

function nobodySetup(): { bin: string } | { reason: string } {
  if (process.getuid?.() !== 0) return { reason: 'not running as root, so cannot switch to the user nobody' };
  if (spawnSync('setpriv', ['--version']).status !== 0) return { reason: 'setpriv is not installed' };
  if (canRunAsNobody(cliBin)) return { bin: cliBin };
  // The checkout is not traversable by nobody: run a copy of the built project that is.
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-nobody-project-'));
  nobodyDirs.push(copy);
  fs.chmodSync(copy, 0o755);
  for (const part of ['dist', 'bin', 'package.json', 'node_modules']) {
    fs.cpSync(path.join(projectRoot, part), path.join(copy, part), { recursive: true, verbatimSymlinks: true });
  }
  spawnSync('chmod', ['-R', 'a+rX', copy]);
  const bin = path.join(copy, 'bin', 'driftwatch.js');
  return canRunAsNobody(bin) ? { bin } : { reason: 'the user nobody cannot run node on the built project, even copied to a temporary directory' };
}

const nobody = nobodySetup();
const nobodyReason = 'reason' in nobody ? nobody.reason : undefined;
if (nobodyReason) console.warn(`SKIPPING unreadable-file tests: ${nobodyReason}`);
afterAll(() => {
  for (const dir of nobodyDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('unreadable files and directories (run as the user nobody)', () => {
  it.runIf(process.env.CI === 'true' && nobodyReason !== undefined)('can run as nobody in CI', () => {
    throw new Error(`unreadable-file tests cannot run in CI: ${nobodyReason}`);
  });

  const tempDir = useTempDir('dw-nobody-');
  /** A temp dir owned by nobody, a state dir and store in it, and a runner as nobody. */
  function nobodyTree() {
    const tmp = tempDir();
    fs.chmodSync(tmp, 0o755);
    const tree = path.join(tmp, 'tree');
    write(path.join(tree, 'ok.yaml'), 'a: 1\n');
    write(path.join(tree, 'locked.yaml'), 'b: 1\n');
    write(path.join(tree, 'sub', 'x.ini'), '[s]\nc=1\n');
    write(path.join(tree, 'sub', 'y.json'), '{"d": 1}\n');
    const cli = cliWithState(tmp);
    spawnSync('chown', ['-R', '65534:65534', tmp]);
    const run = (args: string[]) => cli.run(args, {
      prefix: ['setpriv', ...NOBODY, '--'], bin: (nobody as { bin: string }).bin, env: { HOME: tmp },
    });
    return { tmp, tree, cli, run };
  }

  it.skipIf(nobodyReason !== undefined)('an unreadable file and an unreadable directory are problems; the other files are still compared', () => {
    const { tree, cli, run } = nobodyTree();
    const first = run(['check', tree, '--format', 'json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json().sources[0].status).toBe('baseline_recorded');

    for (const p of ['locked.yaml', 'sub']) {
      fs.chownSync(path.join(tree, p), 0, 0);
      fs.chmodSync(path.join(tree, p), 0o000);
    }
    write(path.join(tree, 'ok.yaml'), 'a: 2\n');
    fs.chownSync(path.join(tree, 'ok.yaml'), 65534, 65534);

    const r = run(['check', tree, '--format', 'json']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('');
    const source = r.json().sources[0];
    expect(source.status).toBe('drift');
    // Nothing under the unreadable directory, and not the unreadable file, counts as removed.
    expect(tuples(source.changes)).toEqual([['ok.yaml', '/a', 'modified']]);
    const unreadable = source.problems.filter((p: any) => p.code === 'SOURCE_UNREADABLE').map((p: any) => p.file).sort();
    expect(unreadable).toEqual(['locked.yaml', 'sub']);
    expect(source.problems).toHaveLength(2);

    // Readable again and unchanged: compared with the last good version, no drift for them.
    for (const p of ['locked.yaml', 'sub']) {
      fs.chownSync(path.join(tree, p), 65534, 65534);
      fs.chmodSync(path.join(tree, p), p === 'sub' ? 0o755 : 0o644);
    }
    const back = run(['check', tree, '--format', 'json']);
    expect(back.json().sources[0].problems).toEqual([]);
    expect(tuples(back.json().sources[0].changes)).toEqual([['ok.yaml', '/a', 'modified']]);
    expect(fs.statSync(cli.store).uid).toBe(65534);
  });

  it.skipIf(nobodyReason !== undefined)('a source root that becomes unreadable is status error, not a removal of every file', () => {
    const { tree, run } = nobodyTree();
    expectExit(run(['check', tree]), 0);
    fs.chownSync(tree, 0, 0);
    fs.chmodSync(tree, 0o700);
    const r = run(['check', tree, '--format', 'json']);
    const source = r.json().sources[0];
    expect(source.problems.map((p: any) => p.code)).toEqual(['SOURCE_UNREADABLE']);
    expect(tuples(source.changes), 'no file is removed because the root cannot be read').toEqual([]);
    expect(source.status).toBe('error');
    expect(r.code, r.stderr).toBe(2);
    expect(run(['events', '--format', 'json']).json().events).toEqual([]);
  });

  it.skipIf(nobodyReason !== undefined)('a source root unreadable at the first check records no (empty) baseline', () => {
    const { tree, run } = nobodyTree();
    fs.chownSync(tree, 0, 0);
    fs.chmodSync(tree, 0o700);
    const first = run(['check', tree, '--format', 'json']);
    expect(first.code, first.stderr).toBe(2);
    expect(first.json().sources[0].status).toBe('error');
    fs.chownSync(tree, 65534, 65534);
    fs.chmodSync(tree, 0o755);
    const second = run(['check', tree, '--format', 'json']);
    // The first readable scan is the baseline: nothing reported as added.
    expect(second.json().sources[0]).toMatchObject({ status: 'baseline_recorded', changes: [] });
    expect(second.code, second.stderr).toBe(0);
  });

  it.skipIf(nobodyReason !== undefined)('a store in a read-only directory: exit 1, STORE_UNWRITABLE naming the path, nothing written there', () => {
    const { tmp, tree } = nobodyTree();
    const ro = path.join(tmp, 'ro');
    fs.mkdirSync(ro);
    fs.chownSync(ro, 65534, 65534);
    fs.chmodSync(ro, 0o555);
    for (const store of [path.join(ro, 'drift.db'), path.join(ro, 'deeper', 'drift.db')]) {
      const r = runCli(['check', tree, '--store', store], {
        cwd: tmp, prefix: ['setpriv', ...NOBODY, '--'], bin: (nobody as { bin: string }).bin,
        env: { HOME: tmp, DRIFTWATCH_STATE_DIR: path.join(tmp, 'state') },
      });
      const line = expectRunFailure(r, 'STORE_UNWRITABLE');
      expect(line).toContain(store);
      expect(fs.readdirSync(ro)).toEqual([]);
    }
  });
});

describe('the store', () => {
  const tempDir = useTempDir('dw-store-');

  it('a store path under a regular file: exit 1, one STORE_UNWRITABLE line naming the path, nothing written elsewhere', () => {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    write(path.join(tree, 'a.yaml'), 'a: 1\n');
    write(path.join(tmp, 'plain'), 'I am a file\n');
    const stateDir = path.join(tmp, 'state');
    const before = listAll(tmp);
    for (const store of [path.join(tmp, 'plain', 'drift.db'), path.join(tmp, 'plain', 'sub', 'drift.db')]) {
      for (const args of store.includes('sub') ? [['check', tree]] : [['check', tree], ['snapshot', tree], ['events'], ['summary']]) {
        const r = runCli([...args, '--store', store], { cwd: tmp, env: { DRIFTWATCH_STATE_DIR: stateDir } });
        const line = expectRunFailure(r, 'STORE_UNWRITABLE');
        expect(line, args.join(' ')).toContain(store);
      }
    }
    expect(fs.readFileSync(path.join(tmp, 'plain'), 'utf8')).toBe('I am a file\n');
    // Only the fingerprint key may appear, in its own state directory.
    expect(listAll(tmp).filter((f) => !f.startsWith('state'))).toEqual(before);
    for (const f of fs.existsSync(stateDir) ? fs.readdirSync(stateDir) : []) expect(f).toBe('secret.key');
  });

  it('garbage written over a store: exit 1, one STORE_CORRUPT line naming it, and the file is left exactly as it was', () => {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    write(path.join(tree, 'a.yaml'), 'a: 1\n');
    const cli = cliWithState(tmp);
    expectExit(cli.run(['check', tree]), 0);
    const garbage = Buffer.alloc(8192);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 131 + 7) % 251;
    fs.writeFileSync(cli.store, garbage);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(cli.store + suffix, { force: true });
    const stateBefore = listAll(cli.stateDir);

    write(path.join(tree, 'a.yaml'), 'a: 2\n');
    for (const args of [['check', tree, '--format', 'json'], ['baseline', 'accept', tree], ['events'], ['summary', '--format', 'json']]) {
      const r = cli.run(args);
      expect(expectRunFailure(r, 'STORE_CORRUPT'), args.join(' ')).toContain(cli.store);
      expect(fs.readFileSync(cli.store).equals(garbage), `${args.join(' ')} left the store untouched`).toBe(true);
      expect(listAll(cli.stateDir)).toEqual(stateBefore);
    }
  });

  it('a real store truncated in the middle: exit 1, STORE_CORRUPT naming it, bytes unchanged', () => {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    for (let i = 0; i < 120; i++) write(path.join(tree, `f${i}.yaml`), `key${i}: value number ${i} ${'padding '.repeat(20)}\n`);
    const cli = cliWithState(tmp);
    expectExit(cli.run(['check', tree]), 0);
    for (let i = 0; i < 120; i += 3) write(path.join(tree, `f${i}.yaml`), `key${i}: changed ${i}\n`);
    expectExit(cli.run(['check', tree]), 2);
    expect(fs.existsSync(cli.store + '-wal') && fs.statSync(cli.store + '-wal').size > 0, 'the store is checkpointed on close').toBe(false);
    const whole = fs.readFileSync(cli.store);
    expect(whole.length).toBeGreaterThan(64 * 1024);

    for (const size of [Math.floor(whole.length / 2 / 4096) * 4096, Math.floor(whole.length / 3) + 1000]) {
      const cut = whole.subarray(0, size);
      fs.writeFileSync(cli.store, cut);
      for (const args of [['check', tree, '--format', 'json'], ['events']]) {
        const r = cli.run(args);
        expect(expectRunFailure(r, 'STORE_CORRUPT'), `${args.join(' ')} on ${size} bytes`).toContain(cli.store);
        expect(fs.readFileSync(cli.store).equals(cut), `${args.join(' ')} left the store untouched`).toBe(true);
      }
    }
  });
});

describe('bad usage', () => {
  const tempDir = useTempDir('dw-usage-');

  function setup() {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    write(path.join(tree, 'a.yaml'), 'a: 1\n');
    return { tmp, tree, cli: cliWithState(tmp) };
  }

  it('an unknown command: exit 1, nothing on stdout, stderr names the command, no store is created', () => {
    const { cli } = setup();
    const r = cli.run(['frobnicate']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('frobnicate');
    expect(fs.existsSync(cli.store)).toBe(false);
  });

  it('an unknown --format value: exit 1, stderr names the value, no store is created', () => {
    const { tree, cli } = setup();
    const r = cli.run(['check', tree, '--format', 'yaml']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('yaml');
    expect(r.stderr).toMatch(/--format/);
    expect(fs.existsSync(cli.store)).toBe(false);
  });

  it('bad option values of events: exit 1, one USAGE line naming the option', () => {
    const { cli } = setup();
    for (const [option, value] of [['--severity', 'urgent'], ['--since', 'soon'], ['--limit', '0'], ['--limit', 'many']] as const) {
      const line = expectRunFailure(cli.run(['events', option, value]), 'USAGE');
      expect(line).toContain(option);
      expect(line).toContain(value);
    }
  });

  it('a usage error is one line on stderr, `driftwatch: USAGE: ...`, like every other failed run (docs/cli.md)', () => {
    const { tree, cli } = setup();
    for (const args of [['frobnicate'], ['check', tree, '--format', 'yaml'], ['check', tree, '--bogus']]) {
      const r = cli.run(args);
      expect(r.code, r.stderr).toBe(1);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, `${args.join(' ')}:\n${r.stderr}`).toHaveLength(1);
      expect(lines[0]).toMatch(/^driftwatch: USAGE: /);
    }
  });
});

describe('a missing source root', () => {
  const tempDir = useTempDir('dw-missing-');

  it('check /does/not/exist: exit 2, status error, one SOURCE_MISSING problem', () => {
    const cli = cliWithState(tempDir());
    const missing = '/does/not/exist';
    const r = cli.run(['check', missing, '--format', 'json']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('');
    const doc = r.json();
    expect(doc.drift).toBe(false);
    expect(doc.sources[0]).toMatchObject({ source: missing, status: 'error', changes: [] });
    expect(doc.sources[0].problems.map((p: any) => p.code)).toEqual(['SOURCE_MISSING']);
  });

  it('a root that disappears after its baseline is SOURCE_MISSING, not every file removed; back again, it is clean', () => {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    write(path.join(tree, 'a.yaml'), 'a: 1\n');
    write(path.join(tree, 'sub', 'b.ini'), '[s]\nb=1\n');
    const cli = cliWithState(tmp);
    expectExit(cli.run(['check', tree]), 0);

    fs.renameSync(tree, tree + '.unmounted');
    const gone = cli.run(['check', tree, '--format', 'json']);
    expect(gone.code, gone.stderr).toBe(2);
    const source = gone.json().sources[0];
    expect(source).toMatchObject({ status: 'error', changes: [] });
    expect(source.problems.map((p: any) => p.code)).toEqual(['SOURCE_MISSING']);
    expect(cli.run(['events', '--format', 'json']).json().events).toEqual([]);

    fs.renameSync(tree + '.unmounted', tree);
    const back = cli.run(['check', tree, '--format', 'json']);
    expect(back.code, back.stdout).toBe(0);
    expect(back.json().sources[0]).toMatchObject({ status: 'clean', changes: [], problems: [] });
  });
});

describe('a bad configuration file', () => {
  const tempDir = useTempDir('dw-config-');

  function configRun(yaml: string) {
    const tmp = tempDir();
    write(path.join(tmp, 'config', 'a.yaml'), 'a: 1\n');
    write(path.join(tmp, 'driftwatch-test.yaml'), yaml);
    const stateDir = path.join(tmp, 'state');
    const r = runCli(['--config', 'driftwatch-test.yaml', 'check'], { cwd: tmp, env: { DRIFTWATCH_STATE_DIR: stateDir } });
    // Rejected before anything runs: no store, no key, nothing.
    expect(fs.existsSync(stateDir), 'nothing created').toBe(false);
    expect(listAll(tmp)).toEqual(['config', 'config/a.yaml', 'driftwatch-test.yaml']);
    return r;
  }
  const head = 'store: sqlite:./state/drift.db\nsources:\n  - name: app\n    path: ./config\n';

  it('an unknown key: exit 1, CONFIG_INVALID naming the file, the key and its path', () => {
    const line = expectRunFailure(configRun(`${head}alerts:\n  cooldown: 1h\n  frequency: 3\n`), 'CONFIG_INVALID');
    expect(line).toContain('driftwatch-test.yaml');
    expect(line).toContain('frequency');
    expect(line).toMatch(/alerts/);
  });

  it('an unknown key is reported at its own line', () => {
    // frequency is on line 7; line 6 (cooldown) is a valid key.
    const line = expectRunFailure(configRun(`${head}alerts:\n  cooldown: 1h\n  frequency: 3\n`), 'CONFIG_INVALID');
    expect(line).toContain('driftwatch-test.yaml:7');
    const nested = expectRunFailure(configRun(`${head}    exlude: ["*.swp"]\n`), 'CONFIG_INVALID');
    expect(nested).toContain('exlude');
    expect(nested).toContain('driftwatch-test.yaml:5');
  });

  it('a wrong type: exit 1, CONFIG_INVALID with the key path and line', () => {
    const line = expectRunFailure(configRun(`${head}retention:\n  snapshots:\n    maxAge: 30d\n    keepLast: many\n`), 'CONFIG_INVALID');
    expect(line).toContain('driftwatch-test.yaml:8');
    expect(line).toContain('retention.snapshots.keepLast');
    const path2 = expectRunFailure(configRun(`${head}  - name: other\n    path: 5\n`), 'CONFIG_INVALID');
    expect(path2).toContain('driftwatch-test.yaml:6');
    expect(path2).toContain('sources.1.path');
  });

  it('a bad duration: exit 1, CONFIG_INVALID with the key path and line', () => {
    const line = expectRunFailure(configRun(`${head}retention:\n  events:\n    maxAge: 3 fortnights\n`), 'CONFIG_INVALID');
    expect(line).toContain('driftwatch-test.yaml:7');
    expect(line).toContain('retention.events.maxAge');
    expect(line).toMatch(/duration/);
  });

  it('not YAML at all, and a config file that does not exist: exit 1, one line', () => {
    expect(expectRunFailure(configRun('sources: [\n'), 'CONFIG_INVALID')).toContain('driftwatch-test.yaml');
    const tmp = tempDir();
    const r = runCli(['--config', 'nope.yaml', 'check'], { cwd: tmp, env: { DRIFTWATCH_STATE_DIR: path.join(tmp, 'state') } });
    expect(expectRunFailure(r, 'CONFIG_')).toContain('nope.yaml');
  });
});
