// SPEC 6.6: a process killed at any point leaves the store readable and
// consistent, and the next run proceeds without manual repair. 50 rounds:
// start a writer process (kill-writer.mjs), SIGKILL it after a seeded random
// 20-300 ms of work, then check the store. This one test opens the SQLite
// file directly, for PRAGMA integrity_check; everything else goes through
// the library.
import { fork } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createDetector } from '../../src/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { deploy, expectCompleteSnapshot, expectEventsUnique, HOST } from './fixture.js';
import { prng } from './plans.mjs';
import { assertBuilt } from './run-mode.js';

const tempDir = useTempDir('dw-kill-');
const ROUNDS = 50;
const SEED = 0x5eed;
const writerScript = new URL('./kill-writer.mjs', import.meta.url);
const sqlitePathOf = (storeUrl: string) => storeUrl.replace(/^sqlite:/, '');

interface Round { delayMs: number; opsDone: number }

/** Starts a writer, lets it work `delayMs` after it is ready, SIGKILLs it; fails if it died on its own. */
async function killWriterAfter(args: object, delayMs: number): Promise<Round> {
  const child = fork(writerScript, [JSON.stringify(args)], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  let opsDone = 0;
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<void>((resolve) => child.on('message', (m: { ready?: boolean; ops?: number }) => {
    if (m.ready) resolve();
    if (m.ops) opsDone = m.ops;
  }));
  const first = await Promise.race([ready.then(() => 'ready' as const), exited]);
  if (first !== 'ready') throw new Error(`the writer exited before it was ready (${JSON.stringify(first)}):\n${stderr}`);
  await sleep(delayMs);
  // Still running: an error that reached the writer would have ended it with code 1.
  expect(child.exitCode, stderr).toBeNull();
  child.kill('SIGKILL');
  const end = await exited;
  expect(end.signal, stderr).toBe('SIGKILL');
  return { delayMs, opsDone };
}

describe('crash: a writer killed at a random moment (processes)', () => {
  it(`${ROUNDS} rounds of SIGKILL mid-work: each time the store opens, PRAGMA integrity_check is ok, counts are consistent, and a check runs without repair`, async () => {
    assertBuilt();
    const dir = tempDir();
    const d = await deploy(dir, {
      clockMs: null,
      config: { alerts: { maxPerHour: 10 }, retention: { snapshots: { maxAge: '0s', keepLast: 2 }, events: { maxAge: '90d' } } },
    });
    expect((await d.reader.check('app')).status).toBe('baseline_recorded');
    const sourceId = await d.sourceId('app');
    const baseline = (await d.reader.store.getBaseline(sourceId))!;
    await d.close();

    const random = prng(SEED);
    const rounds: Round[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const delayMs = 20 + Math.floor(random() * 281);
      rounds.push(await killWriterAfter({ job: d.job, tree: path.join(d.root, 'app'), scratch: d.scratch, seed: round }, delayMs));

      const db = new Database(sqlitePathOf(d.job.storeUrl));
      try {
        expect(db.pragma('integrity_check', { simple: true }), `round ${round}`).toBe('ok');
        expect(db.pragma('foreign_key_check'), `round ${round}`).toEqual([]);
      } finally {
        db.close();
      }

      const next = await createDetector({ config: d.job.config, configDir: dir, store: d.job.storeUrl, keyFile: d.job.keyFile, host: HOST });
      try {
        const { store } = next;
        expect(await store.getBaseline(sourceId), `round ${round}`).toEqual(baseline);
        const snapshots = await store.listSnapshots(sourceId);
        expect(snapshots.some((s) => s.id === baseline.snapshotId)).toBe(true);
        expect((await store.latestSnapshot(sourceId))?.id).toBe(snapshots[0]!.id);
        for (const snapshot of snapshots) await expectCompleteSnapshot(store, snapshot);
        const events = await expectEventsUnique(store);
        const summary = await next.getDriftSummary();
        expect({ snapshots: summary.snapshots, events: summary.events }).toEqual({ snapshots: snapshots.length, events });
        // The next run proceeds as if nothing happened.
        const report = await next.check('app');
        expect(['drift', 'clean'], `round ${round}: ${JSON.stringify(report.problems)}`).toContain(report.status);
      } finally {
        await next.close();
      }
    }
    // The kills landed during work, not only during start-up.
    expect(rounds.filter((r) => r.opsDone > 0).length).toBeGreaterThan(ROUNDS / 2);
  }, 180_000);
});
