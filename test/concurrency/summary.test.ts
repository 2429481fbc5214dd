// SPEC 6.5: a summary read during writes is consistent: its counts come from one point in time.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { deploy, type Deployment } from './fixture.js';
import { callerErrors, MODES, startPool, type Pool } from './run-mode.js';

const tempDir = useTempDir('dw-conc-');
let open: { pool?: Pool; d?: Deployment } = {};
afterEach(async () => {
  await open.pool?.close();
  await open.d?.close();
  open = {};
});

const WRITERS = 4;
const READERS = 4;

interface SummaryView { snapshots: number; events: number; events24h: number; severitySum: number; autoRemediable: number; sources: number }

describe.each(MODES)('concurrent summary generation (%s)', (mode) => {
  it('summaries read while writers record events are each from one point in time, and never go backwards', async () => {
    // A fixed clock: every event is in the last 24 h, so a summary from one point in time has events24h === events.
    const d = (open.d = await deploy(tempDir()));
    expect((await d.reader.check('app')).status).toBe('baseline_recorded');
    const pool = (open.pool = await startPool(mode, { workers: WRITERS + READERS }, d.job));
    const doneFiles = Array.from({ length: WRITERS }, (_, i) => path.join(d.scratch, `done-${i}`));
    const results = await pool.step('role', (i) => i < WRITERS
      ? { as: 'writer', source: 'app', tree: path.join(d.root, 'app'), scratch: d.scratch, iterations: 12, ops: ['check'], doneFile: doneFiles[i] }
      : { as: 'summaryReader', waitFor: doneFiles, pauseMs: mode.startsWith('async') ? 0 : 1 });
    expect(callerErrors(results)).toEqual([]);

    const reads = results.slice(WRITERS).map((r) => r.summaries as SummaryView[]);
    const all = reads.flat();
    // Reads really happened during the writes: some saw fewer events than the end state.
    const final = await d.reader.getDriftSummary();
    expect(all.some((s) => s.events < final.events)).toBe(true);
    for (const s of all) {
      expect(s.severitySum).toBe(s.events24h);
      expect(s.events24h).toBe(s.events);
      expect(s.autoRemediable).toBe(s.events24h);
      expect(s.sources).toBe(1);
    }
    for (const sequence of reads) {
      for (let i = 1; i < sequence.length; i++) {
        expect(sequence[i]!.events).toBeGreaterThanOrEqual(sequence[i - 1]!.events);
        expect(sequence[i]!.snapshots).toBeGreaterThanOrEqual(sequence[i - 1]!.snapshots);
      }
    }
    // The end state agrees with what the store lists.
    const sourceId = await d.sourceId('app');
    expect(final.events).toBe((await d.reader.store.listEvents({ limit: 100_000 })).length);
    expect(final.events).toBe(new Set(results.flatMap((r) => r.eventIds ?? [])).size);
    expect(final.snapshots).toBe((await d.reader.store.listSnapshots(sourceId)).length);
    expect(final.severity.low + final.severity.medium + final.severity.high + final.severity.critical).toBe(final.events24h);
  }, 120_000);
});
