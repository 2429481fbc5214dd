// High contention: 20 workers, hundreds of mixed operations each (snapshot,
// compare, check, shouldAlert, summary, cleanup) on three shared sources
// whose files they keep changing. No busy or constraint error reaches a
// caller, exactly maxPerHour alerts go out, and each event identity is stored once.
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { deploy, STORE_MODES, expectCompleteSnapshot, expectEventsUnique, TREE, type Deployment } from './fixture.js';
import { callerErrors, startPool, type Pool } from './run-mode.js';

const tempDir = useTempDir('dw-conc-');
let open: { pool?: Pool; d?: Deployment } = {};
afterEach(async () => {
  await open.pool?.close();
  await open.d?.close();
  open = {};
});

const WORKERS = 20;
const OPS = 200;
const SOURCES = ['h0', 'h1', 'h2'];

describe.each(STORE_MODES)('high contention ($label)', ({ mode, store }) => {
  it(`${WORKERS} workers x ${OPS} mixed operations: no error reaches a caller, exactly 10 alerts, each event once, baselines and latest snapshots whole`, async () => {
    const d = (open.d = await deploy(tempDir(), {
      store,
      sources: Object.fromEntries(SOURCES.map((name) => [name, TREE])),
      // The real clock (all of it well inside one hour), so cleanup has something to prune.
      clockMs: null,
      config: { alerts: { maxPerHour: 10 }, retention: { snapshots: { maxAge: '0s', keepLast: 2 }, events: { maxAge: '90d' } } },
    }));
    for (const name of SOURCES) expect((await d.reader.check(name)).status).toBe('baseline_recorded');
    const baselines = await Promise.all(SOURCES.map(async (name) => (await d.reader.store.getBaseline(await d.sourceId(name)))!));

    const pool = (open.pool = await startPool(mode, { workers: WORKERS }, d.job));
    const results = await pool.step('hammer', { ops: OPS, seed: 20250115, sources: SOURCES, root: d.root, scratch: d.scratch });

    const errors = callerErrors(results);
    expect(errors.filter((e) => e.code === 'STORE_BUSY' || /SQLITE_(BUSY|LOCKED|CONSTRAINT)/.test(e.code ?? ''))).toEqual([]);
    expect.soft(errors).toEqual([]);
    const counts = results.reduce<Record<string, number>>((acc, r) => {
      for (const [op, n] of Object.entries(r.counts as Record<string, number>)) acc[op] = (acc[op] ?? 0) + n;
      return acc;
    }, {});
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(WORKERS * OPS);
    expect(counts.alert).toBeGreaterThan(10);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(10);

    // Every event a caller was given is stored once, and nothing else is.
    await expectEventsUnique(d.reader.store);
    const stored = await d.reader.store.listEvents({ limit: 1_000_000 });
    expect(new Set(stored.map((e) => e.id))).toEqual(new Set(results.flatMap((r) => r.eventIds)));

    for (const [i, name] of SOURCES.entries()) {
      const sourceId = await d.sourceId(name);
      expect(await d.reader.store.getBaseline(sourceId)).toEqual(baselines[i]);
      await expectCompleteSnapshot(d.reader.store, await d.reader.store.getSnapshot(baselines[i]!.snapshotId));
      await expectCompleteSnapshot(d.reader.store, await d.reader.store.latestSnapshot(sourceId));
      // Afterwards a check of each source still runs, and finds every worker's file.
      const report = await d.reader.check(name);
      expect(report.status).toBe('drift');
      expect(report.changes.filter((e) => e.path === '').map((e) => e.file).sort()).toEqual(
        Array.from({ length: WORKERS }, (_, w) => w).filter((w) => w % SOURCES.length === i && results[w]!.counts.change > 0).map((w) => `w${w}.yaml`).sort(),
      );
    }
  }, 120_000);
});
