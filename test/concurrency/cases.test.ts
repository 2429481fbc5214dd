// Regression tests for the handed concurrency cases (/work/shared/cases):
// B31-sqlite-busy and B32-racing-upsert, in every mode.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { deploy, STORE_MODES, expectCompleteSnapshot, expectEventsUnique, NOW, TREE, writeTree, type Deployment } from './fixture.js';
import { callerErrors, startPool, type Pool } from './run-mode.js';

const tempDir = useTempDir('dw-conc-');
let open: { pool?: Pool; d?: Deployment } = {};
afterEach(async () => {
  await open.pool?.close();
  await open.d?.close();
  open = {};
});

describe.each(STORE_MODES)('handed concurrency cases ($label)', ({ mode, store }) => {
  // PostgreSQL has no busy state to provoke: one mode shows the same property there (two stores, two connection pools,
  // contending in the database), at a fraction of the time.
  it.skipIf(store === 'postgres' && mode !== 'async')('B31-sqlite-busy: two workers each run 1000 read-then-write transactions on one store; no busy error reaches them, all 2000 writes are there, sequence numbers unique', async () => {
    const d = (open.d = await deploy(tempDir(), { store }));
    const source = await d.reader.store.ensureSource({ host: d.job.host, name: 'b31', kind: 'files', origin: '/b31', now: NOW });
    const pool = (open.pool = await startPool(mode, { workers: 2 }, d.job));
    // Each iteration: recordEvents (insert unless the identity exists, then read it back) and decideAlert (count, then insert).
    const results = await pool.step('storeWrites', { count: 1000, sourceId: source.id, now: NOW });
    expect(callerErrors(results)).toEqual([]);

    const stored = await d.reader.store.listEvents({ sourceId: source.id, limit: 10_000 });
    expect(stored.length).toBe(2000);
    expect(new Set(stored.map((e) => e.id)).size).toBe(2000);
    expect(new Set(stored.map((e) => e.identity)).size).toBe(2000);
    for (const r of results) expect(r.eventIds.length).toBe(1000);
    expect(new Set(results.flatMap((r) => r.eventIds))).toEqual(new Set(stored.map((e) => e.id)));
    const decisions = results.flatMap((r) => r.decisionIds);
    expect(decisions.length).toBe(2000);
    expect(new Set(decisions).size).toBe(2000);
  });

  it('B32-racing-upsert: two workers take the same snapshot and compare the same pair at the same instant; one snapshot, one set of events, no constraint error', async () => {
    const d = (open.d = await deploy(tempDir(), { store }));
    const tree = path.join(d.root, 'app');
    const pool = (open.pool = await startPool(mode, { workers: 2 }, d.job));

    // A racing first run: both check a source with no baseline yet.
    const first = await pool.step('check', { source: 'app' });
    expect(callerErrors(first)).toEqual([]);
    const sourceId = await d.sourceId('app');
    const [base] = await d.reader.store.listSnapshots(sourceId);
    expect((await d.reader.store.listSnapshots(sourceId)).length).toBe(1);
    expect(first.map((r) => r.snapshotId)).toEqual([base!.id, base!.id]);
    expect((await d.reader.store.getBaseline(sourceId))?.snapshotId).toBe(base!.id);

    const rounds = 5;
    for (let round = 1; round <= rounds; round++) {
      writeTree(tree, { 'app.yaml': TREE['app.yaml']!.replace('port: 8080', `port: ${9000 + round}`) });
      const snap = await pool.step('snapshot', { source: 'app' });
      expect(callerErrors(snap)).toEqual([]);
      expect(new Set(snap.flatMap((r) => r.snapshotIds)).size).toBe(1);
      const compared = await pool.step('compare', { source: 'app' });
      expect(callerErrors(compared)).toEqual([]);
      const [a, b] = compared.map((r) => r.events[0]);
      expect(a).toEqual(b);
      expect(a.map((e: { path: string }) => e.path)).toEqual(['/server/port']);
    }
    const snapshots = await d.reader.store.listSnapshots(sourceId);
    expect(snapshots.length).toBe(1 + rounds);
    for (const s of snapshots) await expectCompleteSnapshot(d.reader.store, s);
    // One event per round (the port, against the baseline, with that round's value), each once.
    expect(await expectEventsUnique(d.reader.store)).toBe(rounds);
  });
});
