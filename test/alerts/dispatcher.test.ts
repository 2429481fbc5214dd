// Delivery against real HTTP receivers on loopback: retries with backoff,
// a receiver that is down, a response lost after the receiver acted, leases
// between dispatchers, and the idempotency key that makes it exactly once.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher, type DispatcherOptions } from '../../src/alerts/dispatcher.js';
import type { AlertsConfig } from '../../src/config/alerts-config.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { AlertItemInput, Store } from '../../src/store/store.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startReceiver, type TestReceiver } from './receiver-server.js';

const tempDir = useTempDir('dw-dispatch-');
const T = Date.UTC(2026, 2, 1, 12, 0, 0);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c(); });

async function receiver(options: Parameters<typeof startReceiver>[0] = {}): Promise<TestReceiver> {
  const r = await startReceiver(options);
  cleanup.push(() => r.stop());
  return r;
}

async function setup(alerts: AlertsConfig, extra: Partial<DispatcherOptions> = {}) {
  const dir = tempDir();
  const store: Store = new SqliteStore(path.join(dir, 'drift.db'));
  cleanup.push(() => store.close());
  const config = resolveConfig({ alerts: { minSeverity: 'low', retry: { attempts: 4, initialDelay: '10s', maxDelay: '1m' }, ...alerts } }, dir);
  const clock = { now: T };
  const receivers = config.alerts.receivers.map((r) => ({ name: r.name, minSeverity: r.minSeverity, maxPerHour: r.maxPerHour }));
  let n = 0;
  /** Decides `count` alerts on distinct keys, each with one change. */
  const decide = async (count: number, severity: AlertItemInput['severity'] = 'high') => {
    for (let i = 0; i < count; i++, n++) {
      const detail = JSON.stringify({ eventId: n, file: 'app.yaml', path: `/k${n}`, kind: 'modified', severity, type: 'manual_change', from: '1', to: '2' });
      await store.decideAlerts({
        host: 'web-1', source: 'app', now: clock.now, cooldownMs: 0, maxPerHour: 1000, onlyNew: true, receivers,
        items: [{ eventId: n, key: `k${n}`, severity, type: 'manual_change', detectedAt: clock.now, detail }],
      });
    }
  };
  const dispatcher = (more: Partial<DispatcherOptions> = {}) =>
    createDispatcher({ store, alerts: config.alerts, clock: () => clock.now, env: { HOOK_SECRET: 'shared-secret' }, ...extra, ...more });
  return { dir, store, clock, decide, dispatcher, config };
}

describe('the alert dispatcher', () => {
  it('posts the alert to a webhook with an HMAC signature the receiver verifies and an idempotency key', async () => {
    const hook = await receiver({ secret: 'shared-secret' });
    const { decide, dispatcher, store } = await setup({ notify: [{ webhook: `${hook.url}/hook`, secretEnv: 'HOOK_SECRET' }] });
    await decide(1);
    expect(await dispatcher().runOnce()).toEqual({ sent: 1, retried: 0, failed: 0, digests: 0 });
    expect(hook.requests).toHaveLength(1);
    const [req] = hook.requests;
    expect(req!.path).toBe('/hook');
    expect(req!.signatureValid).toBe(true);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['idempotency-key']).toBe(req!.json.idempotencyKey);
    expect(req!.json).toMatchObject({ kind: 'alert', source: 'app', severity: 'high', changes: [{ path: '/k0', from: '1', to: '2' }] });
    expect(req!.body).not.toContain('shared-secret');
    const [entry] = await store.listAlerts();
    expect(entry).toMatchObject({ state: 'sent', deliveries: [{ status: 'sent', idempotencyKey: req!.json.idempotencyKey, sentAt: T }] });
    // A wrong secret does not verify: the check is real.
    const other = await receiver({ secret: 'another-secret' });
    const second = await setup({ notify: [{ webhook: other.url, secretEnv: 'HOOK_SECRET' }] });
    await second.decide(1);
    await second.dispatcher().runOnce();
    expect(other.requests[0]!.signatureValid).toBe(false);
  });

  it('retries after a 500 with exponential backoff and delivers once', async () => {
    let failures = 2;
    const hook = await receiver({ reply: () => (failures-- > 0 ? 500 : 200) });
    const { decide, dispatcher, store, clock } = await setup({ notify: [{ webhook: hook.url }] });
    await decide(1);
    const d = dispatcher();
    expect(await d.runOnce()).toMatchObject({ sent: 0, retried: 1 });
    let [entry] = await store.listAlerts();
    expect(entry!.deliveries[0]).toMatchObject({ status: 'pending', failures: 1, reason: 'HTTP 500: receiver says no', nextAttemptAt: T + 10_000 });
    // Not due yet: nothing is sent before the backoff ends.
    clock.now = T + 9_999;
    expect(await d.runOnce()).toMatchObject({ sent: 0, retried: 0 });
    clock.now = T + 10_000;
    expect(await d.runOnce()).toMatchObject({ retried: 1 });
    [entry] = await store.listAlerts();
    expect(entry!.deliveries[0]).toMatchObject({ failures: 2, nextAttemptAt: T + 30_000 });
    clock.now = T + 30_000;
    expect(await d.runOnce()).toMatchObject({ sent: 1 });
    expect(hook.requests.map((r) => r.headers['idempotency-key'])).toEqual(Array(3).fill(hook.requests[0]!.headers['idempotency-key']));
    expect(hook.accepted()).toHaveLength(1);
  });

  it('keeps alerts waiting while the receiver is down and delivers each exactly once when it is back', async () => {
    const hook = await receiver();
    const { decide, dispatcher, store, clock } = await setup({ notify: [{ webhook: hook.url }] });
    await hook.stop();
    await decide(5);
    const d = dispatcher();
    // One attempt finds it down; the other four are given back untried.
    expect(await d.runOnce()).toEqual({ sent: 0, retried: 1, failed: 0, digests: 0 });
    const pending = await store.listAlerts({ state: 'pending' });
    expect(pending).toHaveLength(5);
    expect(pending.flatMap((a) => a.deliveries).filter((x) => x.failures === 1).map((x) => x.reason)).toEqual(['connection refused']);
    await hook.restart();
    clock.now = T + 10_000;
    expect(await d.runOnce()).toEqual({ sent: 5, retried: 0, failed: 0, digests: 0 });
    expect(hook.requests).toHaveLength(5);
    expect(hook.accepted()).toHaveLength(5);
    expect(await store.listAlerts({ state: 'pending' })).toEqual([]);
  });

  it('repeats a delivery whose response was lost with the same key, so the receiver acts once', async () => {
    // The receiver acts on the first request, then the connection dies before the answer.
    const hook = await receiver({ reply: (_r, i) => (i === 0 ? 'hang' : 200) });
    const { decide, dispatcher, clock } = await setup({ notify: [{ webhook: hook.url, timeout: '300ms' }] });
    await decide(1);
    const d = dispatcher();
    expect(await d.runOnce()).toMatchObject({ retried: 1 });
    clock.now = T + 10_000;
    expect(await d.runOnce()).toMatchObject({ sent: 1 });
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[1]!.headers['idempotency-key']).toBe(hook.requests[0]!.headers['idempotency-key']);
    expect(hook.requests[1]!.json.id).toBe(hook.requests[0]!.json.id);
    expect(hook.requests.map((r) => r.first)).toEqual([true, false]);
    expect(hook.accepted()).toHaveLength(1);
  });

  it('fails for good on a refusal, and after the last attempt, with the reason', async () => {
    const refusing = await receiver({ reply: () => 400 });
    const broken = await receiver({ reply: () => 503 });
    const { decide, dispatcher, store, clock } = await setup({ notify: [{ webhook: refusing.url, name: 'refusing' }, { webhook: broken.url, name: 'broken' }] });
    await decide(1);
    const d = dispatcher();
    for (let i = 0; i < 4; i++) {
      await d.runOnce();
      clock.now += 60_000;
    }
    const [entry] = await store.listAlerts();
    expect(entry!.state).toBe('failed');
    expect(entry!.deliveries.map((x) => [x.receiver, x.status, x.failures, x.reason])).toEqual([
      ['refusing', 'failed', 1, 'HTTP 400: receiver says no (not retried)'],
      ['broken', 'failed', 4, 'HTTP 503: receiver says no'],
    ]);
    expect([refusing.requests.length, broken.requests.length]).toEqual([1, 4]);
    expect(await d.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0, digests: 0 });
  });

  it('never lets two dispatchers deliver the same alert at once', async () => {
    const hook = await receiver({ reply: async () => { await new Promise((r) => setTimeout(r, 5)); return 200; } });
    const { decide, dispatcher } = await setup({ notify: [{ webhook: hook.url }] });
    await decide(30);
    const reports = await Promise.all([dispatcher({ batchSize: 3 }).runOnce(), dispatcher({ batchSize: 3 }).runOnce(), dispatcher({ batchSize: 3 }).runOnce()]);
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(30);
    expect(hook.requests).toHaveLength(30);
    expect(hook.accepted()).toHaveLength(30);
  });

  it('posts Slack blocks to a Slack-compatible incoming webhook', async () => {
    const slack = await receiver();
    const { decide, dispatcher } = await setup({ notify: [{ slack: { env: 'SLACK_URL' } }] });
    await decide(1, 'critical');
    await dispatcher({ env: { SLACK_URL: `${slack.url}/services/T0/B0/x` } }).runOnce();
    expect(slack.requests[0]!.path).toBe('/services/T0/B0/x');
    expect(slack.requests[0]!.json.blocks[0]).toMatchObject({ type: 'header', text: { text: ':red_circle: CRITICAL drift in app on web-1: 1 change' } });
    expect(slack.requests[0]!.json.text).toContain('CRITICAL drift in app on web-1');
  });

  it('runs a command with the alert JSON on stdin and retries when it fails', async () => {
    const { dispatcher, dir, store, clock } = await setup({});
    const script = path.join(dir, 'page.mjs');
    const out = path.join(dir, 'paged.jsonl');
    fs.writeFileSync(script, [
      "import fs from 'node:fs';",
      "const input = fs.readFileSync(0, 'utf8');",
      "if (process.argv[2] === 'fail') process.exit(3);",
      "fs.appendFileSync(process.argv[3], JSON.stringify({ key: process.env.DRIFTWATCH_IDEMPOTENCY_KEY, alert: JSON.parse(input) }) + '\\n');",
    ].join('\n'));
    const config = resolveConfig({ alerts: { minSeverity: 'low', notify: [
      { command: [process.execPath, script, 'ok', out], name: 'pager' },
      { command: [process.execPath, script, 'fail', out], name: 'flaky' },
    ] } }, dir).alerts;
    const receivers = config.receivers.map((r) => ({ name: r.name, minSeverity: r.minSeverity, maxPerHour: r.maxPerHour }));
    await store.decideAlerts({ host: 'web-1', source: 'app', now: clock.now, cooldownMs: 0, maxPerHour: 10, receivers,
      items: [{ eventId: 1, key: 'k', severity: 'high', type: 'manual_change', detectedAt: clock.now, detail: '{"eventId":1,"path":"/a"}' }] });
    const report = await dispatcher({ alerts: config }).runOnce();
    expect(report).toMatchObject({ sent: 1, retried: 1 });
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0].key).toBe(lines[0].alert.idempotencyKey);
    expect(lines[0].alert).toMatchObject({ kind: 'alert', receiver: 'pager', changes: [{ path: '/a' }] });
    const [entry] = await store.listAlerts();
    expect(entry!.deliveries.find((x) => x.receiver === 'flaky')).toMatchObject({ status: 'pending', reason: `${process.execPath} exited with code 3` });
  });

  it('writes JSON lines to stdout and to a log file', async () => {
    const { decide, dispatcher, dir } = await setup({ notify: [{ stdout: true }, { log: 'alerts.jsonl' }] });
    const printed: string[] = [];
    await decide(2);
    await dispatcher({ stdout: (t) => { printed.push(t); } }).runOnce();
    const logged = fs.readFileSync(path.join(dir, 'alerts.jsonl'), 'utf8');
    expect(printed.join('').trim().split('\n').map((l) => JSON.parse(l).receiver)).toEqual(['stdout', 'stdout']);
    expect(logged.trim().split('\n').map((l) => JSON.parse(l)).map((d) => [d.receiver, d.kind])).toEqual([['log', 'alert'], ['log', 'alert']]);
  });

  it('applies a receiver\'s own severity floor and hourly limit, and sends it a digest of what it held back', async () => {
    const pager = await receiver();
    const { decide, dispatcher, clock } = await setup({ notify: [{ webhook: pager.url, name: 'pager', minSeverity: 'critical', maxPerHour: 1 }] });
    await decide(1, 'high');
    await decide(3, 'critical');
    const d = dispatcher();
    expect(await d.runOnce()).toMatchObject({ sent: 1, digests: 0 });
    clock.now = T + 3_600_001;
    expect(await d.runOnce()).toMatchObject({ sent: 1, digests: 1 });
    expect(pager.requests.map((r) => r.json.kind)).toEqual(['alert', 'digest']);
    expect(pager.requests[1]!.json.digest).toMatchObject({ alerts: 2, byReason: { receiver_rate_limited: 2 } });
  });
});
