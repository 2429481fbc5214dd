// Exact limits across processes (SPEC 6.3, 6.7): four processes decide 1,000
// alerts on distinct keys at one instant with maxPerHour 10; exactly ten go
// out. When the clock moves past the hour, exactly one digest counts the 990
// others, however many dispatchers race to make it, and it takes a place
// under the limit of the hour it is sent in.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startReceiver, type TestReceiver } from './receiver-server.js';
import { assertBuilt, forkWorker, type AlertWorker } from './workers/fork-worker.js';

const tempDir = useTempDir('dw-alert-limits-');
const T = Date.UTC(2026, 2, 1, 12, 0, 0);
const MINUTE = 60_000;
let workers: AlertWorker[] = [];
let hook: TestReceiver | undefined;
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
  await hook?.stop();
});

describe('alert limits across processes', () => {
  it('4 processes deciding 1,000 alerts on distinct keys with maxPerHour 10 send exactly 10; an hour later one digest counts the 990 others', async () => {
    assertBuilt();
    const dir = tempDir();
    hook = await startReceiver();
    const job = {
      storeUrl: `sqlite:${path.join(dir, 'drift.db')}`, keyFile: path.join(dir, 'secret.key'), configDir: dir, host: 'fleet',
      config: { alerts: { minSeverity: 'low', cooldown: '1h', maxPerHour: 10, notify: [{ webhook: `${hook.url}/hook` }] } },
    };
    workers = await Promise.all([0, 1, 2, 3].map(() => forkWorker()));
    // The first opens (and migrates) the store; the others join it.
    await workers[0]!.call('open', job);
    await Promise.all(workers.slice(1).map((w) => w.call('open', job)));
    const at = (ms: number) => Promise.all(workers.map((w) => w.call('setClock', { ms })));
    const sum = (rs: { report: Record<string, number> }[], k: string) => rs.reduce((n, r) => n + r.report[k]!, 0);

    await at(T);
    const decided = await Promise.all(workers.map((w, i) => w.call<{ sent: number }>('decide', { from: i * 250, count: 250 })));
    expect(decided.reduce((n, r) => n + r.sent, 0)).toBe(10);

    const store = new SqliteStore(path.join(dir, 'drift.db'));
    try {
      expect(await store.listAlerts({ state: 'pending', limit: 2000 })).toHaveLength(10);
      const held = await store.listAlerts({ state: 'suppressed', limit: 2000 });
      expect(held).toHaveLength(990);
      expect(held.every((a) => a.reason === 'rate_limited' && a.digestId === null)).toBe(true);

      // Later in the same hour: the ten are delivered, no digest yet.
      await at(T + 30 * MINUTE);
      const inHour = await Promise.all(workers.map((w) => w.call<{ report: Record<string, number> }>('dispatch')));
      expect([sum(inHour, 'sent'), sum(inHour, 'digests')]).toEqual([10, 0]);

      // The hour has moved on: four dispatchers race, one digest is made and delivered once.
      await at(T + 61 * MINUTE);
      const after = await Promise.all(workers.map((w) => w.call<{ report: Record<string, number> }>('dispatch')));
      expect([sum(after, 'sent'), sum(after, 'digests')]).toEqual([1, 1]);
      expect(hook.requests).toHaveLength(11);
      expect(hook.accepted()).toHaveLength(11);
      const digest = hook.requests.find((r) => r.json.kind === 'digest')!;
      expect(digest.json.digest).toMatchObject({ alerts: 990, changes: 990, byReason: { rate_limited: 990 }, bySeverity: { critical: 990 } });
      expect((await store.listAlerts({ state: 'suppressed', limit: 2000 })).every((a) => a.digestId === digest.json.id)).toBe(true);

      // The digest took one of this hour's ten places: nine more alerts, however many are asked.
      const next = await Promise.all(workers.map((w, i) => w.call<{ sent: number }>('decide', { from: 10_000 + i * 10, count: 10 })));
      expect(next.reduce((n, r) => n + r.sent, 0)).toBe(9);
    } finally {
      await store.close();
    }
  });
});
