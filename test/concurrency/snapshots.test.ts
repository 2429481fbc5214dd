// SPEC 6.1: N concurrent takeSnapshot of an unchanged source store exactly
// one snapshot, and every stored snapshot is one complete scan.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { deploy, STORE_MODES, expectCompleteSnapshot, listTree, writeTree, type Deployment } from './fixture.js';
import { callerErrors, startPool, type Pool } from './run-mode.js';

const tempDir = useTempDir('dw-conc-');
let open: { pool?: Pool; d?: Deployment } = {};
afterEach(async () => {
  await open.pool?.close();
  await open.d?.close();
  open = {};
});

describe.each(STORE_MODES)('concurrent snapshot creation ($label)', ({ mode, store }) => {
  it('50 concurrent takeSnapshot of an unchanged source store exactly 1 snapshot; after a change, 50 more make exactly 2, each complete', async () => {
    const d = (open.d = await deploy(tempDir(), { store }));
    // 50 detectors: 50 async tasks, or 10 threads or processes hosting 5 detectors each.
    const pool = (open.pool = await startPool(mode, { workers: 10, detectorsEach: 5 }, d.job));
    const tree = path.join(d.root, 'app');

    const first = await pool.step('snapshot', { source: 'app' });
    expect(callerErrors(first)).toEqual([]);
    const sourceId = await d.sourceId('app');
    const afterFirst = await d.reader.store.listSnapshots(sourceId);
    expect(afterFirst.length).toBe(1);
    expect(new Set(first.flatMap((r) => r.snapshotIds))).toEqual(new Set([afterFirst[0]!.id]));
    // One detector shares one outcome among its callers; separate detectors each learn whether theirs was the one stored.
    if (mode !== 'async-shared') expect(first.reduce((n, r) => n + r.created, 0)).toBe(1);
    await expectCompleteSnapshot(d.reader.store, afterFirst[0], listTree(tree));

    writeTree(tree, { 'app.yaml': 'server:\n  host: 0.0.0.0\n  port: 9090\n  timeout: 30\nfeatures:\n  beta: false\n', 'extra.ini': '[a]\nb = 1\n' });
    const second = await pool.step('snapshot', { source: 'app' });
    expect(callerErrors(second)).toEqual([]);
    const afterSecond = await d.reader.store.listSnapshots(sourceId);
    expect(afterSecond.length).toBe(2);
    expect(new Set(second.flatMap((r) => r.snapshotIds))).toEqual(new Set([afterSecond[0]!.id]));
    if (mode !== 'async-shared') expect(second.reduce((n, r) => n + r.created, 0)).toBe(1);
    for (const snapshot of afterSecond) await expectCompleteSnapshot(d.reader.store, snapshot);
    await expectCompleteSnapshot(d.reader.store, afterSecond[0], listTree(tree));
  });
});
