// SPEC 6.4: cleanup running alongside writers never removes a baseline, a
// source's latest snapshot, an event newer than its retention, or content
// still referenced; and it removes everything else that is due.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { deploy, STORE_MODES, expectCompleteSnapshot, expectEventsUnique, type Deployment } from './fixture.js';
import { callerErrors, startPool, type Pool } from './run-mode.js';

const tempDir = useTempDir('dw-conc-');
let open: { pool?: Pool; d?: Deployment } = {};
afterEach(async () => {
  await open.pool?.close();
  await open.d?.close();
  open = {};
});

const WRITERS = 8;
const CLEANERS = 4;
const ITERATIONS = 30;

describe.each(STORE_MODES)('concurrent cleanup ($label)', ({ mode, store }) => {
  it('cleanup racing writers (snapshot, check, compare of a changing tree) keeps every baseline and latest snapshot whole, loses no event, and no error reaches a caller', async () => {
    // The most aggressive retention there is: a snapshot is due as soon as a newer one exists.
    const d = (open.d = await deploy(tempDir(), {
      store,
      clockMs: null,
      config: { retention: { snapshots: { maxAge: '0s', keepLast: 1 }, events: { maxAge: '90d' } } },
    }));
    expect((await d.reader.check('app')).status).toBe('baseline_recorded');
    const sourceId = await d.sourceId('app');
    const baseline = (await d.reader.store.getBaseline(sourceId))!;

    const pool = (open.pool = await startPool(mode, { workers: WRITERS + CLEANERS }, d.job));
    const doneFiles = Array.from({ length: WRITERS }, (_, i) => path.join(d.scratch, `done-${i}`));
    const results = await pool.step('role', (i) => i < WRITERS
      ? { as: 'writer', source: 'app', tree: path.join(d.root, 'app'), scratch: d.scratch, iterations: ITERATIONS, ops: ['snapshot', 'snapshot', 'check', 'compare'], doneFile: doneFiles[i] }
      : { as: 'cleaner', waitFor: doneFiles, pauseMs: mode.startsWith('async') ? 0 : 1 });
    expect(callerErrors(results)).toEqual([]);
    // The race really happened: cleanup pruned snapshots while the writers were writing.
    const cleaners = results.slice(WRITERS);
    expect(cleaners.reduce((n, r) => n + r.prunedSnapshots, 0)).toBeGreaterThan(0);

    // The baseline stayed where it was, and it and the latest snapshot are whole.
    expect(await d.reader.store.getBaseline(sourceId)).toEqual(baseline);
    await expectCompleteSnapshot(d.reader.store, await d.reader.store.getSnapshot(baseline.snapshotId));
    const latest = await d.reader.store.latestSnapshot(sourceId);
    await expectCompleteSnapshot(d.reader.store, latest);
    // The latest state is the tree's: every writer's last value is in it.
    expect(latest!.fileCount).toBe(5 + WRITERS);

    // Events are kept 90 days: every event any caller was given is still there, once.
    const given = new Set(results.flatMap((r) => r.eventIds ?? []));
    const stored = await d.reader.store.listEvents({ sourceId, limit: 100_000 });
    expect(new Set(stored.map((e) => e.id))).toEqual(given);
    await expectEventsUnique(d.reader.store);

    // Comparing still works, and a last cleanup removes everything else that is due.
    const drift = await d.reader.compareSnapshots('app');
    expect(drift.filter((e) => e.file.startsWith('w')).length).toBe(WRITERS);
    await d.reader.cleanup();
    const left = await d.reader.store.listSnapshots(sourceId);
    expect(left.map((s) => s.id).sort((a, b) => a - b)).toEqual([baseline.snapshotId, latest!.id]);
    for (const snapshot of left) await expectCompleteSnapshot(d.reader.store, snapshot);
  }, 120_000);
});
