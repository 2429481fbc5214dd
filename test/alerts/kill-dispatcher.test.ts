// SPEC 6.6 and 6.7 with real processes: the dispatcher is SIGKILLed in the
// middle of deliveries 20 times (while the receiver holds a request it has
// acted on, and at random moments around answers and store writes). A new
// dispatcher takes over each time. Every alert is delivered, and none twice
// by its idempotency key at the receiver.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startReceiver, type Reply, type TestReceiver } from './receiver-server.js';
import { assertBuilt, forkWorker, type AlertWorker } from './workers/fork-worker.js';

const tempDir = useTempDir('dw-alert-kill-');
const ALERTS = 40;
const KILLS = 20;
let current: AlertWorker | undefined;
let hook: TestReceiver | undefined;
afterEach(async () => {
  await current?.stop();
  await hook?.stop();
});

describe('a dispatcher killed mid-delivery', () => {
  it('is SIGKILLed 20 times; every alert is delivered, none twice by idempotency key', async () => {
    assertBuilt();
    const dir = tempDir();
    const file = path.join(dir, 'drift.db');
    const store = new SqliteStore(file);
    const now = Date.now();
    for (let i = 0; i < ALERTS; i++) {
      await store.decideAlerts({
        host: 'web-1', source: 'app', now, cooldownMs: 0, maxPerHour: 1000, onlyNew: true,
        receivers: [{ name: 'webhook', minSeverity: 'low', maxPerHour: null }],
        items: [{ eventId: i, key: `k${i}`, severity: 'high', type: 'manual_change', detectedAt: now, detail: JSON.stringify({ eventId: i, path: `/k${i}` }) }],
      });
    }
    const keys = (await store.listAlerts({ limit: 1000 })).map((a) => a.deliveries[0]!.idempotencyKey);

    let kills = 0;
    const killNow = (target: AlertWorker | undefined) => {
      if (target && target.child.exitCode === null && target.child.signalCode === null) target.child.kill('SIGKILL');
    };
    hook = await startReceiver({
      reply: (_request, index): Reply => {
        if (kills >= KILLS || index % 2 === 1) return 200;
        const target = current;
        kills++;
        // Half the kills while the receiver holds a request it acted on, half at a random moment around the answer.
        if (kills % 2 === 0) {
          killNow(target);
          return 'hang';
        }
        setTimeout(() => killNow(target), Math.random() * 6);
        return 200;
      },
    });
    const job = {
      storeUrl: `sqlite:${file}`, keyFile: path.join(dir, 'secret.key'), configDir: dir, host: 'web-1',
      config: { alerts: { minSeverity: 'low', retry: { initialDelay: '100ms', maxDelay: '1s' }, notify: [{ webhook: `${hook.url}/hook`, timeout: '250ms' }] } },
    };

    let runs = 0;
    for (;;) {
      runs++;
      current = await forkWorker();
      await current.call('open', job);
      const finished = await current.call('dispatchUntilDone', { leaseMs: 50, batchSize: 1 }).then(() => true, () => false);
      await current.stop();
      if (finished && kills >= KILLS) break;
      if (runs > KILLS * 3) throw new Error(`no progress after ${runs} dispatchers (${kills} kills)`);
    }
    expect(kills).toBe(KILLS);

    const delivered = await store.listAlerts({ limit: 1000 });
    await store.close();
    expect(delivered.map((a) => a.state)).toEqual(Array(ALERTS).fill('sent'));
    // Every alert reached the receiver, each exactly once by its key...
    const accepted = hook.accepted().map((r) => String(r.headers['idempotency-key']));
    expect(accepted.sort()).toEqual([...keys].sort());
    // ...and the repeats the kills caused all carried a key the receiver had already seen.
    const repeats = hook.requests.filter((r) => !r.first);
    expect(repeats.length).toBeGreaterThan(0);
    expect(repeats.every((r) => keys.includes(String(r.headers['idempotency-key'])))).toBe(true);
  });
});
