// A pool of workers hammering one detector deployment with mixed operations:
// the final counts are exactly what the operations imply.
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { deploy, expectCompleteSnapshot, expectEventsUnique, TREE, type Deployment } from './fixture.js';
import { callerErrors, MODES, startPool, type Pool } from './run-mode.js';

const tempDir = useTempDir('dw-conc-');
let open: { pool?: Pool; d?: Deployment } = {};
afterEach(async () => {
  await open.pool?.close();
  await open.d?.close();
  open = {};
});

const WORKERS = 8;
const ITERATIONS = 25;

describe.each(MODES)('worker pool hammering the detector (%s)', (mode) => {
  it(`${WORKERS} workers x ${ITERATIONS} rounds of change+check, shared snapshot, alert and summary: exact snapshots, events and alerts`, async () => {
    const sources: Record<string, Record<string, string>> = { shared: TREE };
    for (let i = 0; i < WORKERS; i++) sources[`s${i}`] = { 'value.yaml': 'value: 0\n', 'fixed.json': `{ "worker": ${i} }\n` };
    const d = (open.d = await deploy(tempDir(), { sources, config: { alerts: { maxPerHour: 10 } } }));
    for (const name of Object.keys(sources)) expect((await d.reader.check(name)).status).toBe('baseline_recorded');

    const pool = (open.pool = await startPool(mode, { workers: WORKERS }, d.job));
    const results = await pool.step('poolWorker', { iterations: ITERATIONS, root: d.root, scratch: d.scratch });
    expect(callerErrors(results)).toEqual([]);

    // Every round of every worker changed its own value once: one new snapshot and one new event each.
    for (const [i, r] of results.entries()) {
      expect(r.checks).toEqual(Array.from({ length: ITERATIONS }, () => ({ status: 'drift', changes: 1 })));
      const sourceId = await d.sourceId(`s${i}`);
      const snapshots = await d.reader.store.listSnapshots(sourceId);
      expect(snapshots.length).toBe(ITERATIONS + 1);
      await expectCompleteSnapshot(d.reader.store, snapshots[0]);
      const events = await d.reader.store.listEvents({ sourceId, limit: 10_000 });
      expect(events.length).toBe(ITERATIONS);
      const seen = await d.reader.listEvents({ source: `s${i}`, limit: 10_000 });
      expect(seen.map((e) => [e.path, String(e.after)])).toEqual(Array.from({ length: ITERATIONS }, (_, k) => ['/value', String(k + 1)]));
      expect(new Set(r.eventIds)).toEqual(new Set(events.map((e) => e.id)));
    }
    // The shared source never changed: one snapshot, made by the setup; nobody created another.
    expect(results.reduce((n, r) => n + r.sharedCreated, 0)).toBe(0);
    expect((await d.reader.store.listSnapshots(await d.sourceId('shared'))).length).toBe(1);
    // One alert asked per round per worker, all on distinct keys, in one hour: exactly maxPerHour went out.
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(10);
    expect(await expectEventsUnique(d.reader.store)).toBe(WORKERS * ITERATIONS);
    const summary = await d.reader.getDriftSummary();
    expect(summary).toMatchObject({ sources: WORKERS + 1, snapshots: WORKERS * (ITERATIONS + 1) + 1, events: WORKERS * ITERATIONS, events24h: WORKERS * ITERATIONS });
  }, 120_000);
});
