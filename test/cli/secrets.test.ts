import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
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

describe('secrets never leak (every format, nested, URLs, multi-line, a failing parse)', () => {
  it('keeps every planted secret out of stdout, stderr and every byte of the store', () => {
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

    const haystack = outputs.map((o) => o.stdout + o.stderr).join('\n') + allBytes(state);
    for (const value of [...Object.values(before), ...Object.values(after)]) expect(haystack).not.toContain(value);
    // The URL stays readable with only its password masked.
    expect(drift.stdout).toContain('postgres://app:***@db:5432/app');
  });
});
