import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

describe('driftwatch init', () => {
  it('writes a commented config that the next check uses as is, and never overwrites one', () => {
    const dir = path.join(tempDir(), 'payments');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'app.yaml'), 'port: 1\n');
    const env = { DRIFTWATCH_STATE_DIR: path.join(dir, '..', 'state') };
    expect(runCli(['init'], { cwd: dir, env }).code).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'driftwatch.yaml'), 'utf8');
    expect(text).toMatch(/^# driftwatch configuration/);
    expect(text).toContain('name: payments');

    expect(runCli(['check', '--format', 'json'], { cwd: dir, env }).json().sources[0].status).toBe('baseline_recorded');
    fs.writeFileSync(path.join(dir, 'app.yaml'), 'port: 2\n');
    const drift = runCli(['check', '--format', 'json'], { cwd: dir, env });
    expect(drift.code).toBe(2);
    expect(drift.json().sources[0].changes.map((c: { file: string; path: string }) => [c.file, c.path])).toEqual([['app.yaml', '/port']]);
    // The store it names lives inside the tree and is never scanned.
    expect(fs.existsSync(path.join(dir, '.driftwatch', 'driftwatch.db'))).toBe(true);

    const again = runCli(['init'], { cwd: dir, env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/USAGE: .*already exists/);
    expect(fs.readFileSync(path.join(dir, 'driftwatch.yaml'), 'utf8')).toBe(text);
  });
});
