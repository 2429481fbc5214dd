// Case B36, an alert storm: 500 watched files change within 10 seconds (a
// package upgrade) with maxPerHour low. Every drift event is stored, alerts
// never exceed the limit, and what was held back is counted in a digest when
// the window allows: every one of the 500 changes is in an alert or a digest.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/alerts/dispatcher.js';
import { createDetector, type Detector } from '../../src/detector/create-detector.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startReceiver, type TestReceiver } from './receiver-server.js';

const tempDir = useTempDir('dw-b36-');
const T = Date.UTC(2026, 2, 1, 3, 0, 0);
const SOURCES = ['apt', 'ssh', 'nginx', 'systemd', 'ssl'];
let detector: Detector | undefined;
let hook: TestReceiver | undefined;
afterEach(async () => {
  await detector?.close();
  await hook?.stop();
});

describe('case B36: an alert storm becomes a few alerts and one digest', () => {
  it('stores all 500 events, sends at most maxPerHour alerts, and counts the rest in one digest when the hour allows', async () => {
    const dir = tempDir();
    const file = (source: string, i: number) => path.join(dir, source, `conf-${String(i).padStart(3, '0')}.yaml`);
    for (const source of SOURCES) {
      fs.mkdirSync(path.join(dir, source));
      for (let i = 0; i < 100; i++) fs.writeFileSync(file(source, i), `package: ${source}-${i}\nversion: 1.0.0\n`);
    }
    hook = await startReceiver();
    const clock = { now: T };
    detector = await createDetector({
      config: {
        sources: SOURCES.map((name) => ({ name, path: path.join(dir, name) })),
        alerts: { minSeverity: 'low', cooldown: '1h', maxPerHour: 2, notify: [{ webhook: hook.url }] },
      },
      store: path.join(dir, 'state', 'drift.db'), keyFile: path.join(dir, 'state', 'secret.key'), host: 'web-1', clock: () => clock.now,
    });
    const dispatcher = createDispatcher({ store: detector.store, alerts: detector.config.alerts, clock: () => clock.now });
    await detector.runDetectionCycle(); // the baselines

    // The upgrade: 100 files every 2 seconds (20 in each source), a detection cycle after each burst.
    for (let burst = 0; burst < 5; burst++) {
      clock.now = T + (burst + 1) * 2000;
      for (const source of SOURCES) for (let i = burst * 20; i < burst * 20 + 20; i++) fs.writeFileSync(file(source, i), `package: ${source}-${i}\nversion: 2.0.0\n`);
      await detector.runDetectionCycle();
      await dispatcher.runOnce();
    }
    expect(await detector.store.listEvents({ limit: 10_000 })).toHaveLength(500);
    // A re-check of the same drift alerts nothing new.
    await detector.runDetectionCycle();

    const sent = hook.requests.filter((r) => r.json.kind === 'alert');
    expect(sent).toHaveLength(2);
    const held = await detector.store.listAlerts({ state: 'suppressed', limit: 1000 });
    expect(held.length).toBeGreaterThan(0);
    expect(new Set(held.map((a) => a.reason))).toEqual(new Set(['rate_limited', 'cooldown']));

    // Later in the same hour: the limit is used up, so the digest waits.
    clock.now = T + 30 * 60_000;
    expect(await dispatcher.runOnce()).toMatchObject({ digests: 0, sent: 0 });

    // The hour has moved on: one digest counts everything held back.
    clock.now = T + 61 * 60_000;
    expect(await dispatcher.runOnce()).toMatchObject({ digests: 1, sent: 1 });
    const digests = hook.requests.filter((r) => r.json.kind === 'digest');
    expect(digests).toHaveLength(1);
    const counts = digests[0]!.json.digest;
    expect(counts.alerts).toBe(held.length);
    // Nothing dropped silently: every change is in an alert that went out or in the digest.
    const inAlerts = sent.reduce((n, r) => n + r.json.changeCount, 0);
    expect(inAlerts + counts.changes).toBe(500);
    expect(new Set(hook.requests.map((r) => r.headers['idempotency-key'])).size).toBe(3);
  });
});
