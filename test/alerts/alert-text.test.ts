import { afterEach, describe, expect, it } from 'vitest';
import { renderAlertDocument, shellQuote } from '../../src/alerts/alert-document.js';
import { alertTextPlain, renderAlertText } from '../../src/alerts/alert-text.js';
import { alertmanagerAlerts } from '../../src/alerts/notifiers/alertmanager.js';
import { slackMessage } from '../../src/alerts/notifiers/slack.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { deploy, HOUR, T0, type Deployment } from './fixture.js';

const tempDir = useTempDir('dw-alert-text-');
let open: Deployment | undefined;
afterEach(async () => { await open?.close(); open = undefined; });

const BEFORE = 'db:\n  host: db.internal\n  port: 5432\n  password: hunter2-old\n  max_rows: 9007199254740993\ntls:\n  enabled: true\n';
const AFTER = 'db:\n  host: db.internal\n  port: 6543\n  password: hunter2-new\n  max_rows: 9007199254740995\ntls:\n  enabled: false\n';

async function decidedAlert() {
  const d = (open = await deploy(tempDir(), { 'app.yaml': BEFORE }, { alerts: { minSeverity: 'low', notify: [{ stdout: true }] } }));
  await d.detector.runDetectionCycle();
  d.write('app.yaml', AFTER);
  d.clock.now = T0 + 60_000;
  await d.detector.runDetectionCycle();
  const [claimed] = await d.detector.store.claimDeliveries({ owner: 't', receivers: ['stdout'], now: T0 + 2 * 60_000, leaseMs: 1000, limit: 1 });
  return { d, claimed: claimed! };
}

describe('alert documents and text', () => {
  it('say what changed, where, from what to what with secrets masked, how severe, since when, and what to run', async () => {
    const { claimed } = await decidedAlert();
    const { document, json } = renderAlertDocument(claimed, T0 + 2 * 60_000);
    expect(document).toMatchObject({
      version: 1, kind: 'alert', source: 'app', host: 'web-1', severity: 'critical', changeCount: 4, omittedChanges: 0,
      idempotencyKey: claimed.idempotencyKey, receiver: 'stdout', since: new Date(T0 + 60_000).toISOString(),
    });
    expect(document.types.sort()).toEqual(['manual_change', 'security_degradation']);
    const byPath = new Map(document.changes.map((c) => [c.path, c]));
    expect(byPath.get('/db/port')).toMatchObject({ file: 'app.yaml', kind: 'modified', from: '5432', to: '6543', severity: 'medium' });
    expect(byPath.get('/db/password')).toMatchObject({ secret: true, from: '***', to: '***', severity: 'critical' });
    expect(byPath.get('/tls/enabled')).toMatchObject({ from: 'true', to: 'false', severity: 'high' });
    // The JSON keeps every digit of an integer beyond 2^53; the text shows it too.
    expect(json).toContain('"before":9007199254740993');
    expect(json).toContain('"after":9007199254740995');
    expect(byPath.get('/db/max_rows')).toMatchObject({ from: '9007199254740993', to: '9007199254740995' });
    expect(json).not.toMatch(/hunter2/);
    expect(JSON.parse(json).idempotencyKey).toBe(claimed.idempotencyKey);

    const text = renderAlertText(document);
    expect(text.title).toBe('CRITICAL drift in app on web-1: 4 changes');
    expect(text.summary).toMatch(/^Since 2026-03-01 09:01:00 UTC\./);
    expect(text.lines).toContain('MEDIUM app.yaml /db/port: 5432 → 6543');
    expect(text.lines).toContain('CRITICAL app.yaml /db/password: *** → *** (secret, masked)');
    expect(text.commands).toEqual([
      { label: 'See more', command: 'driftwatch events --source app --since 2h' },
      { label: 'Accept it as the new baseline', command: "driftwatch baseline accept --file app.yaml --reason 'why this change is right'" },
    ]);
    expect(alertTextPlain(text)).not.toMatch(/hunter2/);
  });

  it('reads well in Slack blocks and carries routing labels for Alertmanager', async () => {
    const { claimed } = await decidedAlert();
    const { document } = renderAlertDocument(claimed, T0 + 2 * 60_000);
    const slack = slackMessage(document);
    expect(slack.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: ':red_circle: CRITICAL drift in app on web-1: 4 changes', emoji: true } });
    expect(JSON.stringify(slack.blocks)).toContain('• MEDIUM app.yaml /db/port: 5432 → 6543');
    expect(slack.text).toContain('CRITICAL drift in app');
    const [am] = alertmanagerAlerts(document);
    expect(am!.labels).toEqual({
      alertname: 'ConfigDrift', source: 'app', host: 'web-1', severity: 'critical', type: 'manual_change', idempotency_key: claimed.idempotencyKey,
    });
    expect(am!.annotations.summary).toBe('CRITICAL drift in app on web-1: 4 changes');
    expect(am!.startsAt).toBe(new Date(T0 + 60_000).toISOString());
    expect(JSON.stringify([slack, am])).not.toMatch(/hunter2/);
  });

  it('renders a digest with its counts', async () => {
    const { d } = await decidedAlert();
    // Two more rounds of drift on the same keys within the cooldown: held back; then a digest.
    d.write('app.yaml', AFTER.replace('6543', '7000').replace('hunter2-new', 'hunter3').replace('9007199254740995', '1'));
    d.clock.now = T0 + 10 * 60_000;
    await d.detector.runDetectionCycle();
    d.clock.now = T0 + 2 * HOUR;
    await d.detector.runDetectionCycle();
    const [digest] = (await d.detector.store.listAlerts({ limit: 1 }));
    expect(digest).toMatchObject({ kind: 'digest', digest: { alerts: 1, changes: 3, byReason: { cooldown: 1 } } });
    const [claimed] = (await d.detector.store.claimDeliveries({ owner: 't', receivers: ['stdout'], now: T0 + 3 * HOUR, leaseMs: 1000, limit: 10 }))
      .filter((c) => c.alert.kind === 'digest');
    const text = renderAlertText(renderAlertDocument(claimed!, T0 + 3 * HOUR).document);
    expect(text.title).toBe('driftwatch digest: 1 alert held back (3 changes) in app on web-1');
    expect(text.summary).toContain('Held back 1 by cooldown');
    expect(text.commands[0]!.command).toBe('driftwatch alerts --status suppressed && driftwatch events --since 4h');
  });

  it('carries the hundred most severe changes of a large alert and counts the rest', async () => {
    const d = (open = await deploy(tempDir(), { 'a.yaml': 'x: 1\n' }, { alerts: { minSeverity: 'low', notify: [{ stdout: true }] } }));
    const items = Array.from({ length: 150 }, (_, i) => ({
      eventId: i, key: 'k', severity: (i >= 147 ? 'critical' : 'low') as 'critical' | 'low', type: 'manual_change' as const, detectedAt: T0,
      detail: JSON.stringify({ eventId: i, path: `/n/${i}`, kind: 'added', severity: i >= 147 ? 'critical' : 'low', type: 'manual_change', to: String(i) }),
    }));
    await d.detector.store.decideAlerts({ host: 'web-1', source: 'app', now: T0, cooldownMs: 0, maxPerHour: 10, items, receivers: [{ name: 'stdout', minSeverity: 'low', maxPerHour: null }] });
    const [claimed] = await d.detector.store.claimDeliveries({ owner: 't', receivers: ['stdout'], now: T0, leaseMs: 1000, limit: 1 });
    const { document, json } = renderAlertDocument(claimed!, T0);
    expect(document).toMatchObject({ changeCount: 150, omittedChanges: 50 });
    expect(document.changes).toHaveLength(100);
    expect(document.changes.slice(-3).map((c) => c.eventId)).toEqual([147, 148, 149]);
    expect(JSON.parse(json).changes).toHaveLength(100);
    const text = renderAlertText(document);
    expect(text.lines[0]).toBe('CRITICAL /n/147: added: 147');
    expect(text.more).toBe(140);
  });

  it('quotes arguments for a shell', () => {
    expect(shellQuote('/etc/my app')).toBe("'/etc/my app'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('/etc/app.yaml')).toBe('/etc/app.yaml');
  });
});
