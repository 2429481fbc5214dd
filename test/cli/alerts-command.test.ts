// `driftwatch alerts` (the history) and `driftwatch alerts dispatch` (one
// delivery round), run as the real CLI on a store the library filled.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load-config-file.js';
import { createDetector } from '../../src/detector/create-detector.js';
import { cliBin, cliWithState } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startReceiver, type TestReceiver } from '../alerts/receiver-server.js';

const tempDir = useTempDir('dw-cli-alerts-');

/** A loopback port nothing listens on: a receiver that is down. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The CLI without blocking this process, whose HTTP receiver must answer meanwhile. */
function runAsync(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliBin, ...args], { cwd, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
let hook: TestReceiver | undefined;
afterEach(async () => { await hook?.stop(); hook = undefined; });

async function storeWithAlerts(notify: string) {
  const dir = tempDir();
  const cli = cliWithState(dir, { HOOK_SECRET: 'cli-secret' });
  fs.mkdirSync(path.join(dir, 'etc'));
  fs.writeFileSync(path.join(dir, 'etc', 'app.yaml'), 'tls:\n  enabled: true\npassword: old-secret-value\n');
  fs.writeFileSync(path.join(dir, 'driftwatch.yaml'), [
    'sources:', '  - { name: app, path: ./etc }',
    'alerts:', '  minSeverity: high', '  cooldown: 1h', '  maxPerHour: 1', '  notify:', notify, '    - { log: ./alerts.jsonl }',
  ].join('\n') + '\n');
  const loaded = loadConfigFile(path.join(dir, 'driftwatch.yaml'));
  const detector = await createDetector({ config: loaded.config, configDir: dir, store: cli.store, keyFile: path.join(cli.stateDir, 'secret.key') });
  await detector.runDetectionCycle();
  fs.writeFileSync(path.join(dir, 'etc', 'app.yaml'), 'tls:\n  enabled: false\npassword: new-secret-value\n');
  await detector.runDetectionCycle();
  fs.writeFileSync(path.join(dir, 'etc', 'app.yaml'), 'tls:\n  enabled: false\npassword: third-secret-value\n');
  await detector.runDetectionCycle();
  await detector.close();
  return { dir, ...cli, runAsync: (args: string[], env: Record<string, string> = {}) => runAsync([...args, '--store', cli.store], dir, { DRIFTWATCH_STATE_DIR: cli.stateDir, HOOK_SECRET: 'cli-secret', ...env }) };
}

describe('driftwatch alerts', () => {
  it('lists the history with states and reasons, as text and as one JSON document', async () => {
    const { run } = await storeWithAlerts(`    - { webhook: "http://127.0.0.1:${await closedPort()}/down" }`);
    const json = run(['alerts', '--format', 'json']);
    expect(json.code).toBe(0);
    const { alerts } = json.json();
    expect(alerts.map((a: any) => [a.kind, a.state, a.reason, a.severity])).toEqual([
      ['alert', 'pending', 'sent', 'critical'],
      ['alert', 'suppressed', 'cooldown', 'critical'],
    ]);
    expect(alerts[0].changes.map((c: any) => [c.path, c.from, c.to])).toEqual([['/password', '***', '***'], ['/tls/enabled', 'true', 'false']]);
    expect(alerts[0].deliveries.map((d: any) => [d.receiver, d.status])).toEqual([['webhook', 'pending'], ['log', 'pending']]);
    expect(json.stdout).not.toMatch(/secret-value/);

    const text = run(['alerts']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/#1 .*CRITICAL .*app on .* 2 changes {2}pending/);
    expect(text.stdout).toContain('suppressed (cooldown, digest to come)');
    expect(run(['alerts', '--status', 'suppressed', '--format', 'json']).json().alerts).toHaveLength(1);
    expect(run(['alerts', '--status', 'maybe'])).toMatchObject({ code: 1, stderr: expect.stringContaining('USAGE') });
  });

  it('dispatch delivers what is due to each receiver, signed, and refuses to start without a secret it needs', async () => {
    hook = await startReceiver({ secret: 'cli-secret' });
    const { run, runAsync, dir } = await storeWithAlerts(`    - { webhook: "${hook.url}/hook", secretEnv: HOOK_SECRET }`);
    const first = await runAsync(['alerts', 'dispatch', '--format', 'json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ version: 1, receivers: ['webhook', 'log'], sent: 2, retried: 0, failed: 0, digests: 0 });
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]!.signatureValid).toBe(true);
    const logged = fs.readFileSync(path.join(dir, 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(logged.map((l) => [l.kind, l.severity, l.changeCount])).toEqual([['alert', 'critical', 2]]);
    expect(run(['alerts', '--status', 'sent', '--format', 'json']).json().alerts).toHaveLength(1);

    // Without the secret in its environment, dispatch refuses to start and names the variable.
    const noSecret = run(['alerts', 'dispatch'], { env: { HOOK_SECRET: undefined } });
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toMatch(/CONFIG_INVALID.*HOOK_SECRET/);
  });

  it('exits 2 when a receiver is down, and says so', async () => {
    const { run } = await storeWithAlerts(`    - { webhook: "http://127.0.0.1:${await closedPort()}/down" }`);
    const r = run(['alerts', 'dispatch']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('delivered 1, to retry 1, failed 0, digests 0\n');
    expect(run(['alerts', '--status', 'pending']).stdout).toContain('webhook: pending, 1 failed attempt (connection refused)');
  });
});
