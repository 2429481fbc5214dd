// Many concurrent calls on ONE detector: takeSnapshot is single-flight (50
// concurrent calls, one scan, one shared result), compareSnapshots and
// shouldAlert stay exact. The scan count is read through a counting wrapper
// around the Store the detector is given.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { deploy, expectCompleteSnapshot, listTree, TREE, writeTree, type Deployment } from './fixture.js';
import { callerErrors, MODES, startPool, type Pool } from './run-mode.js';

const tempDir = useTempDir('dw-conc-');
let open: { pool?: Pool; d?: Deployment } = {};
afterEach(async () => {
  await open.pool?.close();
  await open.d?.close();
  open = {};
});

const DETECTORS = 4;
const CALLS = 50;

describe.each(MODES)('async callers on one detector (%s)', (mode) => {
  it(`${CALLS} concurrent takeSnapshot on one detector run one scan and share one result; concurrent compares and alerts on it stay exact`, async () => {
    const d = (open.d = await deploy(tempDir(), { countStoreCalls: true, config: { alerts: { maxPerHour: 10 } } }));
    const tree = path.join(d.root, 'app');
    // async-shared: all DETECTORS tasks share one detector, so it gets DETECTORS * CALLS calls at once.
    const pool = (open.pool = await startPool(mode, { workers: DETECTORS }, d.job));
    const scans = async () => (await pool.step('storeCalls')).map((r) => r.calls.loadScanCache ?? 0);
    const perDetector = (counts: number[]) => (mode === 'async-shared' ? [counts[0]] : counts);

    const first = await pool.step('snapshot', { source: 'app', calls: CALLS });
    expect(callerErrors(first)).toEqual([]);
    expect(first.every((r) => r.sameOutcome && r.snapshotIds.length === CALLS)).toBe(true);
    expect(perDetector(await scans())).toEqual(perDetector(Array(DETECTORS).fill(1)));
    const sourceId = await d.sourceId('app');
    const snapshots = await d.reader.store.listSnapshots(sourceId);
    expect(snapshots.length).toBe(1);
    expect(new Set(first.flatMap((r) => r.snapshotIds))).toEqual(new Set([snapshots[0]!.id]));
    await expectCompleteSnapshot(d.reader.store, snapshots[0], listTree(tree));

    // No baseline yet: every concurrent compare makes the latest the baseline (once) and finds no drift.
    const noDrift = await pool.step('compare', { source: 'app', calls: CALLS });
    expect(callerErrors(noDrift)).toEqual([]);
    expect(noDrift.flatMap((r) => r.events.flat())).toEqual([]);
    expect((await d.reader.store.getBaseline(sourceId))?.snapshotId).toBe(snapshots[0]!.id);

    writeTree(tree, { 'app.yaml': TREE['app.yaml']!.replace('beta: false', 'beta: true'), '.env': TREE['.env']! + 'NEW_FLAG=1\n' });
    const second = await pool.step('snapshot', { source: 'app', calls: CALLS });
    expect(callerErrors(second)).toEqual([]);
    expect(perDetector(await scans())).toEqual(perDetector(Array(DETECTORS).fill(2)));
    expect((await d.reader.store.listSnapshots(sourceId)).length).toBe(2);

    const drift = await pool.step('compare', { source: 'app', calls: CALLS });
    expect(callerErrors(drift)).toEqual([]);
    const stored = await d.reader.store.listEvents({ sourceId });
    expect(stored.map((e) => [e.file, e.path, e.kind])).toEqual([['.env', '/NEW_FLAG', 'added'], ['app.yaml', '/features/beta', 'modified']]);
    const ids = stored.map((e) => e.id);
    for (const call of drift.flatMap((r) => r.events)) expect(call.map((e: { id: number }) => e.id)).toEqual(ids);

    const alerts = await pool.step('alerts', { calls: CALLS, key: 'distinct' });
    expect(callerErrors(alerts)).toEqual([]);
    expect(alerts.reduce((n, r) => n + r.sent, 0)).toBe(10);
  });
});
