import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDetector, type Detector } from '../../src/detector/create-detector.js';
import type { DriftwatchConfig } from '../../src/config/config-types.js';
import { toJsonText } from '../../src/core/json-text.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const open: Detector[] = [];
afterEach(async () => { for (const d of open.splice(0)) await d.close(); });

async function detector(config: DriftwatchConfig): Promise<Detector> {
  const dir = tempDir();
  const d = await createDetector({ config, configDir: dir, store: path.join(dir, 'drift.db'), keyFile: path.join(dir, 'secret.key') });
  open.push(d);
  return d;
}

describe('env sources', () => {
  afterEach(() => { delete process.env.DWTEST_PORT; delete process.env.DWTEST_API_TOKEN; delete process.env.OTHER_DWTEST; });

  it('watches its own environment filtered by key globs, secrets masked', async () => {
    process.env.DWTEST_PORT = '8080';
    process.env.DWTEST_API_TOKEN = 'tok-1111';
    process.env.OTHER_DWTEST = 'x';
    const d = await detector({ sources: [{ name: 'runtime', kind: 'env', include: ['DWTEST_*'] }] });
    expect((await d.check('runtime')).status).toBe('baseline_recorded');
    process.env.DWTEST_PORT = '9090';
    process.env.DWTEST_API_TOKEN = 'tok-2222';
    process.env.OTHER_DWTEST = 'y';
    const report = await d.check('runtime');
    expect(report.status).toBe('drift');
    expect(report.changes.map((c) => [c.file, c.path, c.kind, c.secret, c.type])).toEqual([
      ['environment', '/DWTEST_API_TOKEN', 'modified', true, 'environment_mismatch'],
      ['environment', '/DWTEST_PORT', 'modified', false, 'environment_mismatch'],
    ]);
    expect(toJsonText(report.changes.map((c) => [c.before, c.after]))).not.toMatch(/tok-/);
  });

  it("reads another process's environment by pid, and a vanished pid is SOURCE_MISSING", async () => {
    const child = spawn('sleep', ['30'], { env: { APP_MODE: 'blue', PATH: process.env.PATH } });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const d = await detector({ sources: [{ name: 'svc', kind: 'env', pid: child.pid!, include: ['APP_*'] }] });
      const outcome = await d.takeSnapshot('svc');
      expect(outcome.problems).toEqual([]);
      expect(outcome.snapshot?.fileCount).toBe(1);
    } finally {
      child.kill();
    }
    const gone = await detector({ sources: [{ name: 'svc', kind: 'env', pid: 2 ** 22 + 7 }] });
    const report = await gone.check('svc');
    expect(report.status).toBe('error');
    expect(report.problems.map((p) => p.code)).toEqual(['SOURCE_MISSING']);
  });
});

describe('command sources', () => {
  it('parses stdout with the named format and reports changes inside it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.yaml');
    fs.writeFileSync(file, 'net:\n  ip_forward: 0\n');
    const d = await detector({ sources: [{ name: 'kernel', kind: 'command', command: ['cat', file], format: 'yaml' }] });
    expect((await d.check('kernel')).status).toBe('baseline_recorded');
    fs.writeFileSync(file, 'net:\n  ip_forward: 1\n');
    const report = await d.check('kernel');
    expect(report.changes.map((c) => [c.file, c.path, c.kind, c.before, c.after])).toEqual([['stdout', '/net/ip_forward', 'modified', 0n, 1n]]);
  });

  it('turns a failing, missing or slow command into SOURCE_COMMAND_FAILED without output in the message', async () => {
    const d = await detector({
      sources: [
        { name: 'fails', kind: 'command', command: ['sh', '-c', 'echo hunter2-secret; exit 3'] },
        { name: 'missing', kind: 'command', command: ['no-such-program-dw'] },
        { name: 'slow', kind: 'command', command: ['sleep', '5'], timeout: '200ms' },
      ],
    });
    for (const name of ['fails', 'missing', 'slow']) {
      const report = await d.check(name);
      expect(report.status).toBe('error');
      expect(report.problems.map((p) => p.code)).toEqual(['SOURCE_COMMAND_FAILED']);
      expect(report.problems[0]!.message).not.toContain('hunter2');
    }
  });
});
