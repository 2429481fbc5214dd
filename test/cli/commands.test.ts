// The commands besides a plain check, through the real CLI: diff, events,
// summary, baseline accept, check --against previous, snapshot, and the
// output contract (--format json, --quiet).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBin, cliWithState, expectExit, runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};
const tuples = (changes: any[]) => changes.map((c) => [c.file, c.path, c.kind]);
const sorted = <T>(list: T[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('diff A B (stateless)', () => {
  const tempDir = useTempDir('dw-diff-');

  /** diff with a state directory that must stay untouched: no store, no key. */
  function diff(dir: string, a: string, b: string, json = true) {
    const stateDir = path.join(dir, 'state-never-created');
    const r = runCli(['diff', a, b, ...(json ? ['--format', 'json'] : [])], { cwd: dir, env: { DRIFTWATCH_STATE_DIR: stateDir } });
    expect(fs.existsSync(stateDir), 'diff uses no state').toBe(false);
    expect(r.stderr).toBe('');
    return r;
  }

  const yaml = 'server:\n  port: 8080\n  hosts:\n    - a\n    - b\n  big: 9007199254740993\n  ratio: 1.5\n  tls: { enabled: true }\n';
  const json = (port: number) =>
    `{"server": {"tls": {"enabled": true}, "ratio": 1.5, "big": 9007199254740993, "hosts": ["a", "b"], "port": ${port}}}\n`;

  it('a YAML file and a JSON file with the same data: exit 0, no changes', () => {
    const dir = tempDir();
    write(path.join(dir, 'app.yaml'), yaml);
    write(path.join(dir, 'app.json'), json(8080));
    write(path.join(dir, 'app.toml'), '[server]\nport = 8080\nhosts = ["a", "b"]\nbig = 9007199254740993\nratio = 1.5\n[server.tls]\nenabled = true\n');
    for (const [a, b] of [['app.yaml', 'app.json'], ['app.json', 'app.toml'], ['app.toml', 'app.yaml']]) {
      const r = diff(dir, a!, b!);
      expect(r.code, `${a} vs ${b}: ${r.stdout}`).toBe(0);
      expect(r.json()).toMatchObject({ drift: false, changes: [], problems: [] });
    }
    const text = diff(dir, 'app.yaml', 'app.json', false);
    expect(text.code, text.stderr).toBe(0);
  });

  it('a YAML file against the JSON with one value changed: exit 2 and that one change', () => {
    const dir = tempDir();
    write(path.join(dir, 'app.yaml'), yaml);
    write(path.join(dir, 'app.json'), json(9090));
    const r = diff(dir, 'app.yaml', 'app.json');
    expect(r.code, r.stderr).toBe(2);
    const doc = r.json();
    expect(doc.drift).toBe(true);
    expect(doc.problems).toEqual([]);
    expect(doc.changes).toHaveLength(1);
    expect(doc.changes[0]).toMatchObject({ path: '/server/port', kind: 'modified', before: 8080, after: 9090, secret: false });

    const text = diff(dir, 'app.yaml', 'app.json', false);
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout).toContain('/server/port');
    expect(text.stdout).toMatch(/8080 → 9090/);
  });

  it('two directories: added, removed and changed files, formats compared by data', () => {
    const dir = tempDir();
    write(path.join(dir, 'd1', 'same.yaml'), 'a: 1\nb: [x, y]\n');
    write(path.join(dir, 'd2', 'same.yaml'), '{"b": ["x", "y"], "a": 1}\n');
    write(path.join(dir, 'd1', 'sub', 'e.env'), 'K=v\nL=1\n');
    write(path.join(dir, 'd2', 'sub', 'e.env'), 'export L=1\nK=w\n');
    write(path.join(dir, 'd1', 'old.txt'), 'gone\n');
    write(path.join(dir, 'd2', 'new.txt'), 'new\n');
    const r = diff(dir, 'd1', 'd2');
    expect(r.code, r.stderr).toBe(2);
    expect(sorted(tuples(r.json().changes))).toEqual(sorted([
      ['new.txt', '', 'added'],
      ['old.txt', '', 'removed'],
      ['sub/e.env', '/K', 'modified'],
    ]));
    const same = diff(dir, 'd1', 'd1');
    expect(same.code, same.stderr).toBe(0);
    expect(same.json().changes).toEqual([]);
  });

  it('a side that cannot be read: exit 2 with a problem, not a crash', () => {
    const dir = tempDir();
    write(path.join(dir, 'a.yaml'), 'a: 1\n');
    write(path.join(dir, 'bad.json'), '{"a": 1,,}\n');
    const missing = diff(dir, 'a.yaml', 'nope.yaml');
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.json().problems.length).toBeGreaterThanOrEqual(1);
    const broken = diff(dir, 'a.yaml', 'bad.json');
    expect(broken.code, broken.stderr).toBe(2);
    expect(broken.json().problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 1 });
  });
});

describe('events, summary, baseline accept, --against previous, snapshot', () => {
  const tempDir = useTempDir('dw-cmd-');

  const v0 = 'db:\n  password: hunter2-old\n  port: 5432\ntls:\n  enabled: true\nname: app\n';
  const v1 = 'db:\n  password: hunter2-new\n  port: 6543\ntls:\n  enabled: false\nname: app2\n';

  /** One tree whose drift has one change of each severity, plus a second file. */
  function driftedTree() {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    write(path.join(tree, 'app.yaml'), v0);
    write(path.join(tree, 'b.ini'), '[s]\na=1\n');
    const cli = cliWithState(tmp);
    expectExit(cli.run(['check', tree]), 0);
    write(path.join(tree, 'app.yaml'), v1);
    write(path.join(tree, 'b.ini'), '[s]\na=2\n');
    const r = cli.run(['check', tree, '--format', 'json']);
    expect(r.code, r.stderr).toBe(2);
    return { tmp, tree, cli, changes: r.json().sources[0].changes as any[] };
  }

  it('the drift has the default severities: secret critical, TLS high, port medium, the rest low', () => {
    const { changes } = driftedTree();
    const bySeverity = Object.fromEntries(changes.map((c) => [`${c.file}${c.path}`, c.severity]));
    expect(bySeverity).toEqual({
      'app.yaml/db/password': 'critical', 'app.yaml/tls/enabled': 'high', 'app.yaml/db/port': 'medium',
      'app.yaml/name': 'low', 'b.ini/s/a': 'low',
    });
    const secret = changes.find((c) => c.path === '/db/password');
    expect(secret).toMatchObject({ secret: true, before: '***', after: '***' });
  });

  it('events: all of them, --severity (that and above), --limit (the newest, oldest first), --source', () => {
    const { tmp, tree, cli, changes } = driftedTree();
    const events = (...args: string[]) => {
      const r = cli.run(['events', ...args, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      return r.json().events as any[];
    };
    const all = events();
    expect(all.map((e) => e.id)).toEqual(changes.map((c) => c.id).sort((a, b) => a - b));
    expect(sorted(tuples(all))).toEqual(sorted(tuples(changes)));
    for (const e of all) expect(e.source).toBe(tree);

    expect(events('--severity', 'critical').map((e) => e.path)).toEqual(['/db/password']);
    expect(sorted(events('--severity', 'high').map((e) => e.path))).toEqual(['/db/password', '/tls/enabled']);
    expect(events('--severity', 'medium')).toHaveLength(3);
    expect(events('--severity', 'low')).toHaveLength(5);

    const ids = all.map((e) => e.id);
    expect(events('--limit', '2').map((e) => e.id)).toEqual(ids.slice(-2));
    expect(events('--limit', '1', '--severity', 'high').map((e) => e.path)).toEqual([all.filter((e) => ['high', 'critical'].includes(e.severity)).at(-1).path]);

    // A second source: --source separates them.
    const other = path.join(tmp, 'other');
    write(path.join(other, 'o.yaml'), 'o: 1\n');
    expectExit(cli.run(['check', other]), 0);
    write(path.join(other, 'o.yaml'), 'o: 2\n');
    expectExit(cli.run(['check', other]), 2);
    expect(events()).toHaveLength(6);
    expect(events('--source', other).map((e) => [e.source, e.file, e.path])).toEqual([[other, 'o.yaml', '/o']]);
    expect(events('--source', tree)).toHaveLength(5);

    // The text listing shows every event, one line each, secrets masked.
    const text = cli.run(['events']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.trimEnd().split('\n')).toHaveLength(6);
    expect(text.stdout).not.toContain('hunter2');
  });

  it('events --since: only the events newer than the window', async () => {
    const { tree, cli } = driftedTree();
    await sleep(3000);
    write(path.join(tree, 'b.ini'), '[s]\na=3\n');
    const r = cli.run(['check', tree, '--format', 'json']);
    const latest = r.json().sources[0].changes.find((c: any) => c.file === 'b.ini');
    expect(latest).toMatchObject({ before: '1', after: '3' });
    const since = (window: string) => cli.run(['events', '--since', window, '--format', 'json']).json().events as any[];
    expect(since('1500ms').map((e) => e.id)).toEqual([latest.id]);
    expect(since('24h')).toHaveLength(6);
    expect(since('1h30m')).toHaveLength(6);
  });

  it('summary --format json: the keys of SPEC section 5, severities summing to events24h', () => {
    const { tmp, tree, cli } = driftedTree();
    const missing = path.join(tmp, 'not-there');
    expectExit(cli.run(['check', missing]), 2);
    const r = cli.run(['summary', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const s = r.json();
    for (const key of ['enabled', 'sources', 'snapshots', 'events24h', 'severity', 'autoRemediable', 'lastRun', 'problems', 'perSource']) {
      expect(s, key).toHaveProperty(key);
    }
    expect(typeof s.enabled).toBe('boolean');
    expect(s.sources).toBe(2);
    expect(s.snapshots).toBeGreaterThanOrEqual(2);
    expect(s.events24h).toBe(5);
    expect(s.severity).toEqual({ low: 2, medium: 1, high: 1, critical: 1 });
    expect(s.severity.low + s.severity.medium + s.severity.high + s.severity.critical).toBe(s.events24h);
    expect(Number.isInteger(s.autoRemediable)).toBe(true);
    expect(s.autoRemediable).toBeLessThanOrEqual(s.events24h);
    expect(Number.isNaN(Date.parse(s.lastRun))).toBe(false);
    expect(s.problems).toBe(1);
    const perSource = Object.fromEntries(s.perSource.map((p: any) => [p.source, p]));
    expect(perSource[tree]).toMatchObject({ status: 'drift', changes: 5, problems: 0 });
    expect(perSource[missing]).toMatchObject({ status: 'error', changes: 0, problems: 1 });
  });

  it('baseline accept --file: only that file is accepted, the other file\'s drift remains; accept all: clean', () => {
    const { tree, cli } = driftedTree();
    const partial = cli.run(['baseline', 'accept', tree, '--file', 'b.ini', '--reason', 'CHG-1 approved', '--format', 'json']);
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.json().accepted).toEqual([expect.objectContaining({ source: tree, reason: 'CHG-1 approved', files: ['b.ini'] })]);

    const after = cli.run(['check', tree, '--format', 'json']);
    expect(after.code, after.stderr).toBe(2);
    expect(sorted(tuples(after.json().sources[0].changes))).toEqual(sorted([
      ['app.yaml', '/db/password', 'modified'], ['app.yaml', '/db/port', 'modified'],
      ['app.yaml', '/tls/enabled', 'modified'], ['app.yaml', '/name', 'modified'],
    ]));

    const all = cli.run(['baseline', 'accept', tree, '--reason', 'all approved']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain('all approved');
    const clean = cli.run(['check', tree, '--format', 'json']);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.json().sources[0]).toMatchObject({ status: 'clean', changes: [], problems: [] });

    // Going back to the old content is now drift against the accepted state.
    write(path.join(tree, 'b.ini'), '[s]\na=1\n');
    const back = cli.run(['check', tree, '--format', 'json']);
    expect(back.json().sources[0].changes).toEqual([expect.objectContaining({ file: 'b.ini', path: '/s/a', before: '2', after: '1' })]);
  });

  it('baseline accept --file of a file the source does not have: exit 1, the baseline is unchanged', () => {
    const { tree, cli } = driftedTree();
    const r = cli.run(['baseline', 'accept', tree, '--file', 'nope.yaml']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('nope.yaml');
    expect(cli.run(['check', tree, '--format', 'json']).json().sources[0].changes).toHaveLength(5);
  });

  it('check --against previous compares with the latest snapshot, the baseline stays the baseline', () => {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    write(path.join(tree, 'p.yaml'), 'port: 1\nname: a\n');
    const cli = cliWithState(tmp);
    expectExit(cli.run(['check', tree]), 0);
    write(path.join(tree, 'p.yaml'), 'port: 2\nname: a\n');
    expectExit(cli.run(['check', tree]), 2);
    write(path.join(tree, 'p.yaml'), 'port: 3\nname: b\n');

    const previous = cli.run(['check', tree, '--against', 'previous', '--format', 'json']);
    expect(previous.code, previous.stderr).toBe(2);
    expect(sorted(previous.json().sources[0].changes.map((c: any) => [c.path, c.before, c.after]))).toEqual([['/name', 'a', 'b'], ['/port', 2, 3]]);

    // Nothing new since the latest snapshot: clean against previous.
    const again = cli.run(['check', tree, '--against', 'previous', '--format', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json().sources[0]).toMatchObject({ status: 'clean', changes: [] });

    const baseline = cli.run(['check', tree, '--format', 'json']);
    expect(sorted(baseline.json().sources[0].changes.map((c: any) => [c.path, c.before, c.after]))).toEqual([['/name', 'a', 'b'], ['/port', 1, 3]]);

    const bad = cli.run(['check', tree, '--against', 'yesterday']);
    expect(bad.code, bad.stderr).toBe(1);
  });

  it('snapshot: recorded, then unchanged for an identical tree, recorded again after a change; it compares nothing', () => {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    write(path.join(tree, 'a.yaml'), 'a: 1\n');
    write(path.join(tree, 'b.json'), '{"b": 1}\n');
    const cli = cliWithState(tmp);
    const snap = () => {
      const r = cli.run(['snapshot', tree, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      return r.json().sources[0];
    };
    const first = snap();
    expect(first).toMatchObject({ source: tree, status: 'recorded', problems: [] });
    expect(first.snapshot.files).toBe(2);
    const second = snap();
    expect(second).toMatchObject({ status: 'unchanged' });
    expect(second.snapshot.id).toBe(first.snapshot.id);

    write(path.join(tree, 'a.yaml'), 'a: 2\n');
    const third = snap();
    expect(third.status).toBe('recorded');
    expect(third.snapshot.id).not.toBe(first.snapshot.id);
    expect(cli.run(['events', '--format', 'json']).json().events).toEqual([]);

    const text = cli.run(['snapshot', tree]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/unchanged/);
  });
});

describe('several processes at once', () => {
  const tempDir = useTempDir('dw-conc-');

  it('concurrent checks of the same drift from separate processes record each change once', async () => {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    for (let i = 0; i < 20; i++) write(path.join(tree, `f${i}.yaml`), `k: ${i}\n`);
    const cli = cliWithState(tmp);
    expectExit(cli.run(['check', tree]), 0);
    for (let i = 0; i < 20; i++) write(path.join(tree, `f${i}.yaml`), `k: changed-${i}\n`);

    const runs = await Promise.all(Array.from({ length: 4 }, () => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, [cliBin, 'check', tree, '--store', cli.store, '--format', 'json'], {
        cwd: tmp, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', DRIFTWATCH_STATE_DIR: cli.stateDir },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { err += d; });
      child.on('close', (code) => resolve({ code, out, err }));
    })));
    const ids = new Set<number>();
    for (const r of runs) {
      expect(r.code, r.err).toBe(2);
      expect(r.err).toBe('');
      const changes = JSON.parse(r.out).sources[0].changes;
      expect(changes).toHaveLength(20);
      for (const c of changes) ids.add(c.id);
    }
    expect(ids.size, 'every process saw the same 20 events').toBe(20);
    expect(cli.run(['events', '--format', 'json']).json().events).toHaveLength(20);
    expect(cli.run(['summary', '--format', 'json']).json()).toMatchObject({ snapshots: 2, events24h: 20 });
  });
});

describe('output contract', () => {
  const tempDir = useTempDir('dw-out-');

  it('--format json: exactly one JSON document on stdout and nothing on stderr, for every command', () => {
    const tmp = tempDir();
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    write(path.join(a, 'x.yaml'), 'x: 1\n');
    write(path.join(b, 'y.json'), '{"y": 1}\n');
    const cli = cliWithState(tmp);
    const first = cli.run(['check', a, b, '--format', 'json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json().sources.map((s: any) => [s.source, s.status])).toEqual([[a, 'baseline_recorded'], [b, 'baseline_recorded']]);
    write(path.join(a, 'x.yaml'), 'x: 2\n');
    write(path.join(b, 'y.json'), '{"y": 1,}\n');

    const runs: [string[], number][] = [
      [['check', a, b], 2],
      [['check', a, b, '--against', 'previous'], 2],
      [['snapshot', a, b], 2],
      [['events'], 0],
      [['events', '--severity', 'critical'], 0],
      [['summary'], 0],
      [['diff', path.join(a, 'x.yaml'), path.join(b, 'y.json')], 2],
      [['baseline', 'accept', a], 0],
    ];
    for (const [args, code] of runs) {
      const r = cli.run([...args, '--format', 'json']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(() => JSON.parse(r.stdout), args.join(' ')).not.toThrow();
      expect(r.stdout.trim().startsWith('{') && r.stdout.trim().endsWith('}'), args.join(' ')).toBe(true);
      expect(r.json().version).toBe(1);
    }
    const check = cli.run(['check', a, b, '--format', 'json']).json();
    expect(check.drift).toBe(false);
    expect(check.sources.map((s: any) => s.status)).toEqual(['clean', 'problems']);
    expect(check.sources[1].problems[0]).toMatchObject({ file: 'y.json', code: 'PARSE_ERROR', line: 1 });
  });

  it('--quiet prints nothing on stdout but keeps the exit code; errors still reach stderr', () => {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    write(path.join(tree, 'x.yaml'), 'x: 1\n');
    const cli = cliWithState(tmp);
    const first = cli.run(['check', tree, '--quiet']);
    expect(first).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const clean = cli.run(['check', tree, '--quiet']);
    expect(clean).toMatchObject({ code: 0, stdout: '', stderr: '' });
    write(path.join(tree, 'x.yaml'), 'x: 2\n');
    const drift = cli.run(['check', tree, '--quiet']);
    expect(drift).toMatchObject({ code: 2, stdout: '', stderr: '' });
    expect(cli.run(['events', '--quiet'])).toMatchObject({ code: 0, stdout: '' });
    expect(cli.run(['summary', '--quiet'])).toMatchObject({ code: 0, stdout: '' });

    fs.writeFileSync(cli.store, 'not a database at all, just text'.repeat(200));
    const broken = cli.run(['check', tree, '--quiet']);
    expect(broken.code, broken.stderr).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('STORE_CORRUPT');
  });

  it('control characters in file names never reach the terminal raw (no escape-sequence injection, one line per change)', () => {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    write(path.join(tree, 'x.yaml'), 'x: 1\n');
    const cli = cliWithState(tmp);
    expectExit(cli.run(['check', tree]), 0);
    const evil = '\u001b]0;owned\u0007\u001b[2Jcleared\nINJECTED LINE.txt';
    write(path.join(tree, evil), 'hi\n');
    write(path.join(tree, 'x.yaml'), 'x: "\\e[31mred"\n');
    const json = cli.run(['check', tree, '--format', 'json']);
    expect(json.json().sources[0].changes.map((c: any) => c.file).sort()).toEqual([evil, 'x.yaml'].sort());
    for (const args of [['check', tree], ['events']]) {
      const r = cli.run(args);
      // Lines are separated by \n; nothing else below 0x20 (but tab) may be printed.
      expect(r.stdout, args.join(' ')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(r.stdout.split('\n').some((l) => l.startsWith('INJECTED')), `${args.join(' ')}: a file name starts a line of its own`).toBe(false);
    }
  });

  it('colours only on a terminal, and never with NO_COLOR or --no-color', () => {
    const tmp = tempDir();
    const tree = path.join(tmp, 'tree');
    write(path.join(tree, 'x.yaml'), 'x: 1\n');
    const cli = cliWithState(tmp);
    expectExit(cli.run(['check', tree]), 0);
    write(path.join(tree, 'x.yaml'), 'x: 2\n');
    const piped = cli.run(['check', tree]);
    expect(piped.code, piped.stderr).toBe(2);
    expect(piped.stdout).toContain('/x');
    expect(piped.stdout).not.toMatch(/\u001b\[/);

    // On a terminal (util-linux `script` gives the CLI a pseudo-terminal).
    if (spawnSync('script', ['--version']).status !== 0) {
      console.warn('SKIPPING the terminal half of the colour test: `script` is not installed');
      return;
    }
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const onTty = (extra: string[], env: Record<string, string>) => {
      const command = [process.execPath, cliBin, 'check', tree, '--store', cli.store, ...extra].map(quote).join(' ');
      const { NO_COLOR: _, ...base } = process.env;
      const r = spawnSync('script', ['-qec', command, '/dev/null'], {
        encoding: 'utf8', cwd: tmp, env: { ...base, DRIFTWATCH_STATE_DIR: cli.stateDir, ...env },
      });
      expect(r.stdout).toContain('/x');
      return r.stdout;
    };
    expect(onTty([], {}), 'coloured on a terminal').toMatch(/\u001b\[/);
    expect(onTty([], { NO_COLOR: '1' })).not.toMatch(/\u001b\[/);
    expect(onTty(['--no-color'], {})).not.toMatch(/\u001b\[/);
  });
});
