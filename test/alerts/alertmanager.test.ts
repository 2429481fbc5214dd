// A real Prometheus Alertmanager (Debian's prometheus-alertmanager) on
// loopback: driftwatch posts to its v2 API and the test reads the alert back
// with the labels users route on. Missing binary: a failure under CI=true,
// a visible skip elsewhere (.ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAlertDocument } from '../../src/alerts/alert-document.js';
import { createDispatcher } from '../../src/alerts/dispatcher.js';
import { createNotifier } from '../../src/alerts/notifiers/create-notifier.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { deploy, T0 } from './fixture.js';

const BINARY = ['prometheus-alertmanager', 'alertmanager'].find((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0);
const tempDir = useTempDir('dw-am-');

if (!BINARY) {
  if (process.env.CI === 'true') {
    describe('Alertmanager receiver', () => {
      it('needs prometheus-alertmanager on CI (.ci/run installs it)', () => {
        throw new Error('prometheus-alertmanager is not installed; .ci/run installs it with apt-get');
      });
    });
  } else {
    console.warn('SKIPPED test/alerts/alertmanager.test.ts: prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)');
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(!BINARY)('Alertmanager receiver', () => {
  let am: ChildProcess | undefined;
  let base = '';
  let workDir = '';

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'dw-am-server-'));
    fs.writeFileSync(path.join(workDir, 'alertmanager.yml'), 'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n');
    for (let attempt = 0; attempt < 3 && !base; attempt++) {
      const port = await freePort();
      am = spawn(BINARY!, [
        `--config.file=${path.join(workDir, 'alertmanager.yml')}`, `--storage.path=${path.join(workDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn',
      ], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      am.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
      for (let i = 0; i < 100; i++) {
        if (am.exitCode !== null) break;
        const ready = await fetch(`http://127.0.0.1:${port}/-/ready`).then((r) => r.ok, () => false);
        if (ready) { base = `http://127.0.0.1:${port}`; break; }
        await sleep(100);
      }
      if (!base) {
        am.kill('SIGKILL');
        if (attempt === 2) throw new Error(`Alertmanager did not become ready: ${stderr.slice(-500)}`);
      }
    }
  });

  afterAll(async () => {
    if (am && am.exitCode === null) {
      const exited = new Promise((r) => am!.once('exit', r));
      am.kill('SIGTERM');
      await exited;
    }
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('posts drift to its v2 API; the alert reads back with source, host, severity and type labels', async () => {
    const d = await deploy(tempDir(), { 'app.yaml': 'tls:\n  enabled: true\nport: 443\n' }, { alerts: { minSeverity: 'medium', notify: [{ alertmanager: base, name: 'am' }] } });
    try {
      await d.detector.runDetectionCycle();
      d.write('app.yaml', 'tls:\n  enabled: false\nport: 443\n');
      d.clock.now = T0 + 60_000;
      await d.detector.runDetectionCycle();
      // Alertmanager keeps alerts by real time: this dispatcher runs on the real clock.
      const report = await createDispatcher({ store: d.detector.store, alerts: d.detector.config.alerts }).runOnce();
      expect(report).toMatchObject({ sent: 1, failed: 0, retried: 0 });
      const [sent] = await d.detector.store.listAlerts();
      const key = sent!.deliveries[0]!.idempotencyKey;

      const alerts = await (await fetch(`${base}/api/v2/alerts?filter=${encodeURIComponent(`idempotency_key="${key}"`)}`)).json() as { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string }[];
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.labels).toEqual({
        alertname: 'ConfigDrift', source: 'app', host: 'web-1', severity: 'high', type: 'security_degradation', idempotency_key: key,
      });
      expect(alerts[0]!.annotations.summary).toBe('HIGH drift in app on web-1: 1 change');
      expect(alerts[0]!.annotations.description).toContain('HIGH app.yaml /tls/enabled: true → false');
      expect(alerts[0]!.annotations.accept).toContain('driftwatch baseline accept');
      expect(Date.parse(alerts[0]!.startsAt)).toBe(T0 + 60_000);

      // The same delivery posted again (a repeat after a crash) updates the same alert: still one.
      const notifier = createNotifier(d.detector.config.alerts.receivers[0]!, { env: {}, fetch, now: Date.now, stdout: () => {} });
      const delivery = sent!.deliveries[0]!;
      const repeat = renderAlertDocument({ id: delivery.id, alertId: sent!.id, receiver: 'am', idempotencyKey: key, failures: 0, createdAt: delivery.createdAt, alert: sent! }, Date.now());
      expect(await notifier.send(repeat)).toEqual({ ok: true });
      const after = await (await fetch(`${base}/api/v2/alerts?filter=${encodeURIComponent(`idempotency_key="${key}"`)}`)).json() as unknown[];
      expect(after).toHaveLength(1);
    } finally {
      await d.close();
    }
  });
});
