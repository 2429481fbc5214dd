import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBin, runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

// Each secret is distinct, so a leak names the place it came from. `v1` is the baseline value, `v2` the changed one.
const secrets = (v: string) => ({
  json: `json-nested-pw-${v}`,
  yaml: `yaml-api-key-${v}`,
  yamlUrl: `yamlurlpw${v}`,
  toml: `toml-token-${v}`,
  ini: `ini-secret-${v}`,
  env: `env-multiline-${v}`,
  properties: `props-passwd-${v}`,
  xml: `xml-password-${v}`,
  text: `text-requirepass-${v}`,
  dsn: `configured-dsn-${v}`,
  copy: `copied-secret-${v}`,
  token: `ghp_${v.repeat(36).slice(0, 36)}`,
  broken: `broken-file-pw-${v}`,
});

function writeTree(dir: string, s: ReturnType<typeof secrets>, breakIt: boolean): void {
  const w = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  w('app.json', JSON.stringify({ db: { auth: { password: s.json } }, copy: `the password is ${s.copy}`, secret: s.copy }));
  w('svc.yaml', `service:\n  api_key: ${s.yaml}\n  url: postgres://app:${s.yamlUrl}@db:5432/app\n  note: "token ${s.token}"\n`);
  w('cfg.toml', `[auth]\naccess_token = "${s.toml}"\n`);
  w('cfg.ini', `[client]\nclient_secret = ${s.ini}\n`);
  w('.env', `CERT_PASSWORD="line one\n${s.env}\nline three"\nPORT=1\n`);
  w('app.properties', `db.passwd=${s.properties}\n`);
  w('cfg.xml', `<cfg><db password="${s.xml}"><password>${s.xml}</password></db></cfg>`);
  w('redis.conf', `port 6379\nrequirepass ${s.text}\n`);
  w('sentry.yaml', `sentry_dsn: ${s.dsn}\n`);
  w('broken.yaml', breakIt ? `db:\n  password: ${s.broken}\n  port: [oops\n` : `db:\n  password: ${s.broken}\n  port: 5432\n`);
}

function allBytes(dir: string): string {
  let out = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out += fs.readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1');
  }
  return out;
}

/** Runs the watch agent with debug logs while `change` edits the tree, then stops it; returns everything it printed. */
async function watchLogs(args: string[], cwd: string, env: Record<string, string>, change: () => void): Promise<string> {
  const child = spawn(process.execPath, [cliBin, 'watch', '--interval', '1s', '--debounce', '100ms', '--log-level', 'debug', ...args], {
    cwd, env: { PATH: process.env.PATH, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const until = async (pattern: RegExp) => {
    for (let i = 0; i < 300 && !pattern.test(out); i++) await new Promise((r) => setTimeout(r, 50));
  };
  await until(/watch\.start|watching/);
  change();
  await until(/"event":"drift"/);
  await new Promise((r) => setTimeout(r, 1500));
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return out;
}

describe('secrets never leak (every format, nested, URLs, multi-line, a failing parse)', () => {
  it('keeps every planted secret out of stdout, stderr, the agent logs and every byte of the store', async () => {
    const dir = tempDir();
    const tree = path.join(dir, 'tree');
    const state = path.join(dir, 'state');
    fs.writeFileSync(path.join(dir, 'driftwatch.yaml'), `secrets:\n  keys: ["*_dsn"]\nsources:\n  - name: app\n    path: ./tree\n`);
    const env = { DRIFTWATCH_STATE_DIR: state };
    const run = (...args: string[]) => runCli([...args, '--store', path.join(state, 'drift.db')], { cwd: dir, env });
    const before = secrets('a1'), after = secrets('b2');
    writeTree(tree, before, false);
    const outputs = [run('check'), run('check', '--format', 'json')];
    writeTree(tree, after, true);
    const drift = run('check', '--format', 'json');
    outputs.push(drift, run('check'), run('events'), run('events', '--format', 'json'), run('summary', '--format', 'json'),
      run('diff', path.join(tree, 'svc.yaml'), path.join(tree, 'app.json')));

    const report = drift.json().sources[0];
    const changed = new Set(report.changes.filter((c: { secret: boolean }) => c.secret).map((c: { file: string }) => c.file));
    // Every secret-bearing file but the broken one reports a (masked) change.
    expect([...changed].sort()).toEqual(['.env', 'app.json', 'app.properties', 'cfg.ini', 'cfg.toml', 'cfg.xml', 'redis.conf', 'sentry.yaml', 'svc.yaml']);
    expect(report.problems.map((p: { file: string }) => p.file)).toEqual(['broken.yaml']);

    // The agent's logs (debug level, every drift line) while the secrets change once more.
    const third = secrets('c3');
    const logs = await watchLogs(['--store', path.join(state, 'drift.db')], dir, env, () => writeTree(tree, third, false));
    expect(logs).toMatch(/"event":"drift"/);

    const haystack = outputs.map((o) => o.stdout + o.stderr).join('\n') + logs + allBytes(state);
    for (const value of [...Object.values(before), ...Object.values(after), ...Object.values(third)]) expect(haystack).not.toContain(value);
    // The URL stays readable with only its password masked.
    expect(drift.stdout).toContain('postgres://app:***@db:5432/app');
  });
});
