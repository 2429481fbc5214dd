// One deployment per test: a temp dir holding a source tree, the store, the
// fingerprint key and a scratch dir, plus a detector in the test process to
// set things up and read results back through the library API.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { createDetector, type Detector, type DriftwatchConfig, type SnapshotRecord, type Store } from '../../src/index.js';
import { dropSchemas, freshSchema, postgresUrl, schemaOf, shouldRunPostgres } from '../store/postgres-test-db.js';
import type { Job } from './plans.mjs';
import { MODES, type Mode } from './run-mode.js';

export const HOST = 'dw-concurrency';
/** The injected clock's instant for scenarios that need a fixed one (alerts, 24 h windows). */
export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

/** A few config files in several formats: a small but real source tree. */
export const TREE: Record<string, string> = {
  'app.yaml': 'server:\n  host: 0.0.0.0\n  port: 8080\n  timeout: 30\nfeatures:\n  beta: false\n',
  'db/database.json': '{ "host": "db.internal", "port": 5432, "pool": { "max": 20 } }\n',
  'cache.toml': '[redis]\nhost = "cache"\nttl = 300\n',
  '.env': 'LOG_LEVEL=info\nREGION=eu-west-1\n',
  'nginx.conf': 'worker_processes 4;\nevents { worker_connections 1024; }\n',
};

export type StoreKind = 'sqlite' | 'postgres';

/**
 * The store a test runs on: a SQLite file in `dir`, or a fresh schema of
 * the PostgreSQL test database (test/store/postgres-test-db.ts), dropped
 * when the deployment closes. Every scenario runs unchanged on either.
 */
export function storeUrlFor(dir: string, store: StoreKind = 'sqlite'): string {
  if (store === 'postgres') return postgresUrl(freshSchema('dw_conc'));
  return `sqlite:${path.join(dir, 'state', 'drift.db')}`;
}

/**
 * The (mode, store) pairs a scenario runs in, for describe.each with a
 * `$label` title: every mode on SQLite; async, threads and processes on
 * PostgreSQL, when its test server answers (in CI always: an unreachable
 * server fails them; elsewhere they are skipped with a console message).
 */
export const STORE_MODES: readonly { mode: Mode; store: StoreKind; label: string }[] = [
  ...MODES.map((mode) => ({ mode, store: 'sqlite' as const, label: mode })),
  ...(await shouldRunPostgres('the PostgreSQL variants of the concurrency scenarios') ? (['async', 'threads', 'processes'] as const) : [])
    .map((mode) => ({ mode, store: 'postgres' as const, label: `postgres, ${mode}` })),
];

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
}

/** Files under root, relative with `/`, sorted the way snapshots list them. */
export function listTree(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listTree(root, r));
    else out.push(r);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface Deployment {
  dir: string;
  /** Where source trees live: sources point at root/<name>. */
  root: string;
  scratch: string;
  job: Job;
  /** A detector in the test process, on the same store, key, host and clock. */
  reader: Detector;
  sourceId(name: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * Sets up a deployment in `dir`: each named source gets a copy of TREE (or
 * the files given), the key file and store are created by the reader before
 * any worker starts (concurrent first starts have their own test).
 */
export async function deploy(dir: string, options: {
  sources?: Record<string, Record<string, string>>;
  config?: Omit<DriftwatchConfig, 'sources' | 'store'>;
  clockMs?: number | null;
  countStoreCalls?: boolean;
  store?: StoreKind;
} = {}): Promise<Deployment> {
  const root = path.join(dir, 'trees');
  const scratch = path.join(dir, 'scratch');
  fs.mkdirSync(scratch, { recursive: true });
  const sources = options.sources ?? { app: TREE };
  for (const [name, files] of Object.entries(sources)) writeTree(path.join(root, name), files);
  const job: Job = {
    storeUrl: storeUrlFor(dir, options.store),
    keyFile: path.join(dir, 'state', 'secret.key'),
    host: HOST,
    configDir: dir,
    config: { ...options.config, sources: Object.keys(sources).map((name) => ({ name, path: path.join(root, name) })) },
    clockMs: options.clockMs === undefined ? NOW : options.clockMs,
    countStoreCalls: options.countStoreCalls ?? false,
  };
  const clockMs = job.clockMs;
  const reader = await createDetector({
    config: job.config as DriftwatchConfig, configDir: dir, store: job.storeUrl, keyFile: job.keyFile, host: HOST,
    user: 'concurrency-test', clock: () => clockMs ?? Date.now(),
  });
  return {
    dir, root, scratch, job, reader,
    async sourceId(name) {
      const found = await reader.store.findSource(HOST, name);
      if (!found) throw new Error(`source ${name} is not in the store`);
      return found.id;
    },
    async close() {
      await reader.close();
      const schema = schemaOf(job.storeUrl);
      if (schema !== null) await dropSchemas([schema]);
    },
  };
}

/** A snapshot is whole: as many files as it says, and every content it names is stored. */
export async function expectCompleteSnapshot(store: Store, snapshot: SnapshotRecord | undefined, treeFiles?: string[]): Promise<void> {
  expect(snapshot).toBeDefined();
  const files = await store.snapshotFiles(snapshot!.id);
  expect(files.length).toBe(snapshot!.fileCount);
  if (treeFiles) expect(files.map((f) => f.file)).toEqual(treeFiles);
  const ids = files.flatMap((f) => (f.contentId === null ? [] : [f.contentId]));
  const contents = await store.getContents(ids);
  expect(ids.filter((id) => !contents.has(id))).toEqual([]);
}

/** Each drift event's identity (compared-against snapshot, file, path, kind, attribute, new value) appears once. */
export async function expectEventsUnique(store: Store): Promise<number> {
  const events = await store.listEvents({ limit: 1_000_000 });
  const ids = events.map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(events.map((e) => e.identity)).size).toBe(events.length);
  const tuples = events.map((e) => JSON.stringify([e.sourceId, e.againstSnapshotId, e.file, e.path, e.kind, e.attribute, e.after]));
  expect(new Set(tuples).size).toBe(events.length);
  return events.length;
}
