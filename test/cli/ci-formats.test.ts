import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

describe('check --format sarif and markdown', () => {
  it('renders the same drift for code scanning and for a pull request', () => {
    const dir = tempDir();
    const tree = path.join(dir, 'tree');
    fs.mkdirSync(tree);
    fs.writeFileSync(path.join(tree, 'a.yaml'), 'tls:\n  enabled: true\n');
    fs.writeFileSync(path.join(tree, 'b.json'), '{}');
    const env = { DRIFTWATCH_STATE_DIR: path.join(dir, 'state') };
    const check = (...args: string[]) => runCli(['check', tree, '--store', path.join(dir, 'drift.db'), ...args], { env });
    check();
    fs.writeFileSync(path.join(tree, 'a.yaml'), 'tls:\n  enabled: false\n');
    fs.writeFileSync(path.join(tree, 'b.json'), '{');

    const sarif = check('--format', 'sarif');
    expect(sarif.code).toBe(2);
    const run = sarif.json().runs[0];
    expect(run.tool.driver.name).toBe('driftwatch');
    expect(run.results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level])).toEqual([['security_degradation', 'error'], ['PARSE_ERROR', 'warning']]);
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('a.yaml');
    expect(run.results[1].locations[0].physicalLocation.region.startLine).toBe(1);

    const markdown = check('--format', 'markdown');
    expect(markdown.code).toBe(2);
    expect(markdown.stdout).toContain('| high | `a.yaml` | `/tls/enabled` | true → false |');
    expect(markdown.stdout).toMatch(/- ⚠️ b\.json:1 {2}PARSE_ERROR/);

    const wrong = runCli(['summary', '--format', 'sarif', '--store', path.join(dir, 'drift.db')], { env });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/USAGE/);
  });
});
