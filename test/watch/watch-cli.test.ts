// `driftwatch watch` as a real process: JSON-line logs off a terminal, a
// clean stop on SIGTERM that loses nothing, SIGHUP reloading the config, and
// the health it leaves for `driftwatch summary`. Build first (`npx tsc -p tsconfig.build.json`).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBin, cliWithState } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { waitFor, write } from './watch-helpers.js';

const tempDir = useTempDir('dw-watch-cli-');

interface Agent {
  child: ChildProcess;
  lines: () => any[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node bin/driftwatch.js watch ...` with a clean environment and a state directory in `dir`. */
function spawnWatch(dir: string, args: string[]): Agent {
  const stateDir = path.join(dir, 'state');
  fs.mkdirSync(stateDir, { recursive: true });
  const child = spawn(process.execPath, [cliBin, 'watch', ...args, '--store', path.join(stateDir, 'drift.db')], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, NO_COLOR: '1', DRIFTWATCH_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => { out += chunk; });
  child.stderr!.on('data', (chunk) => { err += chunk; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    // Every stdout line must be one JSON object: JSON.parse throws on anything else.
    lines: () => out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)),
    stderr: () => err,
    exited,
  };
}

const has = (agent: Agent, event: string, n = 1) => () => agent.lines().filter((l) => l.event === event).length >= n;

describe('driftwatch watch (the process)', () => {
  it('SIGTERM right after a change: the change is recorded, exit 0, every log line is JSON', async () => {
    const dir = tempDir();
    const tree = path.join(dir, 'conf');
    write(path.join(tree, 'app.yaml'), 'port: 80\n');
    // Alerts for every change, to a file: the stop must deliver what the last look queued.
    const delivered = path.join(dir, 'alerts.jsonl');
    fs.writeFileSync(path.join(dir, 'driftwatch.yaml'), `alerts:\n  minSeverity: low\n  notify:\n    - log: ${delivered}\n`);
    // A debounce far longer than the test: only the stop's last look can record the change.
    const agent = spawnWatch(dir, [tree, '--debounce', '1h']);
    try {
      await waitFor(has(agent, 'watch.ready'), 30_000, 'watch.ready');
      fs.writeFileSync(path.join(tree, 'app.yaml'), 'port: 8080\n');
      agent.child.kill('SIGTERM');
      const { code, signal } = await agent.exited;
      expect({ code, signal, stderr: agent.stderr() }).toEqual({ code: 0, signal: null, stderr: '' });
    } finally {
      agent.child.kill('SIGKILL');
    }
    const lines = agent.lines();
    expect(lines.map((l) => l.event)).toEqual(expect.arrayContaining(['watch.start', 'watch.ready', 'watch.stopping', 'drift', 'watch.stop']));
    expect(lines.every((l) => typeof l.time === 'string' && typeof l.level === 'string' && typeof l.msg === 'string')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ event: 'watch.stop', failed: [] });
    expect(lines.find((l) => l.event === 'alert')).toMatchObject({ level: 'warn', changes: 1, deliveries: 1 });
    const alerts = fs.readFileSync(delivered, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts[0])).toContain('app.yaml');

    const { run } = cliWithState(dir);
    const events = run(['events', '--format', 'json']).json();
    expect(events.events.map((e: any) => [e.file, e.path, e.before, e.after])).toEqual([['app.yaml', '/port', 80, 8080]]);

    // The agent's last health report, as `summary` shows it.
    const summary = run(['summary', '--format', 'json']).json();
    expect(summary.perSource[0].watch).toMatchObject({ mode: 'events', filesWatched: 1, problems: 0, note: 'agent stopped' });
    expect(run(['summary']).stdout).toMatch(/watch: events, 1 files, last cycle .* 0 problems; agent stopped/);
  });

  it('SIGHUP reloads the config file: a source added is watched; a broken file is refused and the agent keeps going', async () => {
    const dir = tempDir();
    write(path.join(dir, 'a', 'x.yaml'), 'v: 0\n');
    write(path.join(dir, 'b', 'y.yaml'), 'v: 0\n');
    const config = path.join(dir, 'driftwatch.yaml');
    fs.writeFileSync(config, 'sources:\n  - name: a\n    path: ./a\nwatch:\n  debounce: 50ms\n');
    const agent = spawnWatch(dir, []);
    try {
      await waitFor(has(agent, 'watch.ready'), 30_000, 'watch.ready');
      fs.writeFileSync(config, 'sources:\n  - name: a\n    path: ./a\n  - name: b\n    path: ./b\nwatch:\n  debounce: 50ms\n');
      agent.child.kill('SIGHUP');
      await waitFor(has(agent, 'watch.ready', 2), 30_000, 'ready again after SIGHUP');
      expect(agent.lines().filter((l) => l.event === 'watch.ready')[1].sources.map((s: any) => s.source)).toEqual(['a', 'b']);

      fs.writeFileSync(path.join(dir, 'b', 'y.yaml'), 'v: 1\n');
      await waitFor(() => agent.lines().some((l) => l.event === 'drift' && l.source === 'b'), 30_000, 'drift in the added source');

      fs.writeFileSync(config, 'sources:\n  - name: a\n    pathh: ./a\n');
      agent.child.kill('SIGHUP');
      await waitFor(has(agent, 'config.reload.failed'), 30_000, 'the refused reload');
      expect(agent.lines().find((l) => l.event === 'config.reload.failed').msg).toMatch(/CONFIG_INVALID/);
      fs.writeFileSync(path.join(dir, 'a', 'x.yaml'), 'v: 2\n');
      await waitFor(() => agent.lines().some((l) => l.event === 'drift' && l.source === 'a'), 30_000, 'still watching after a bad reload');

      agent.child.kill('SIGINT');
      expect((await agent.exited).code).toBe(0);
    } finally {
      agent.child.kill('SIGKILL');
    }
  });

  it('a bad start is exit 1 with one line on stderr', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'driftwatch.yaml'), 'sources: []\ninterval: soon\n');
    const agent = spawnWatch(dir, []);
    const { code } = await agent.exited;
    expect(code).toBe(1);
    expect(agent.stderr()).toMatch(/^driftwatch: CONFIG_INVALID: .*interval/);
  });
});
