// Many agents starting at the same instant on a fresh state directory: one
// store schema, one fingerprint key, every one of them running. (SPEC 1:
// every operation is safe when many processes share one store; the key
// must be shared for their snapshots to agree.)
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDetector } from '../../src/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { deploy, HOST, storeUrlFor, type Deployment } from './fixture.js';
import { callerErrors, MODES, startPool, type Pool } from './run-mode.js';

const tempDir = useTempDir('dw-conc-');
let open: { pool?: Pool; d?: Deployment } = {};
afterEach(async () => {
  await open.pool?.close();
  await open.d?.close();
  open = {};
});

const WORKERS = 20;
const ROUNDS = 5;

// async-shared is left out: its one shared detector opens once, there is nothing to race.
describe.each(MODES.filter((m) => m !== 'async-shared'))('concurrent first start (%s)', (mode) => {
  it(`${WORKERS} workers opening a store and key that do not exist yet all start, share one key, and store one snapshot (${ROUNDS} fresh state directories)`, async () => {
    const dir = tempDir();
    const d = (open.d = await deploy(dir));
    const pool = (open.pool = await startPool(mode, { workers: WORKERS, open: false }, d.job));
    for (let round = 1; round <= ROUNDS; round++) {
      // Not the deployment's store and key (its reader made those): fresh ones nobody has touched.
      const fresh = path.join(dir, `fresh-${round}`);
      const job = { ...d.job, storeUrl: storeUrlFor(fresh), keyFile: path.join(fresh, 'state', 'secret.key') };
      const opened = await pool.step('open', { job: { storeUrl: job.storeUrl, keyFile: job.keyFile } });
      expect(callerErrors(opened), `round ${round}`).toEqual([]);
      const snap = await pool.step('snapshot', { source: 'app' });
      expect(callerErrors(snap)).toEqual([]);
      // One key: every worker's scan has the same digest, so one snapshot.
      expect(new Set(snap.flatMap((r) => r.snapshotIds)).size).toBe(1);
      const reader = await createDetector({ config: job.config, configDir: dir, store: job.storeUrl, keyFile: job.keyFile, host: HOST });
      try {
        const source = await reader.store.findSource(HOST, 'app');
        expect((await reader.store.listSnapshots(source!.id)).length).toBe(1);
      } finally {
        await reader.close();
      }
    }
  });
});
