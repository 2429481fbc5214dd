#!/usr/bin/env node
// Throughput of the library's operations when several processes share one store.
//
//   node bench/concurrency.mjs [--duration MS] [--processes 1,2,4,8] [--ops snapshot,compare,shouldAlert,summary]
//
// For each operation and each process count P: a fresh store and source tree
// (the 5-file tree the concurrency tests use, plus 20 more small files), P
// child processes each opening a detector on that store, then all of them
// running the operation in a loop for --duration ms (default 2000) from one
// shared start instant. Prints total operations per second, and the ratio to
// the 1-process run of the same operation (measured in this same run).
//
//   snapshot     takeSnapshot of an unchanged source (the stat fast path, then "unchanged")
//   compare      compareSnapshots of a changed pair (diff, then recordEvents of known identities)
//   shouldAlert  shouldAlert on a new key each call (one immediate write transaction)
//   summary      getDriftSummary (one read transaction)
//
// Build first: npx tsc -p tsconfig.build.json (the children import dist/).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist', 'index.js');
const HOST = 'bench-host';
const NOW = Date.UTC(2025, 0, 15, 12);

const TREE = {
  'app.yaml': 'server:\n  host: 0.0.0.0\n  port: 8080\n  timeout: 30\nfeatures:\n  beta: false\n',
  'db/database.json': '{ "host": "db.internal", "port": 5432, "pool": { "max": 20 } }\n',
  'cache.toml': '[redis]\nhost = "cache"\nttl = 300\n',
  '.env': 'LOG_LEVEL=info\nREGION=eu-west-1\n',
  'nginx.conf': 'worker_processes 4;\nevents { worker_connections 1024; }\n',
};
for (let i = 0; i < 20; i++) TREE[`services/svc-${i}.yaml`] = `name: svc-${i}\nreplicas: ${i % 4 + 1}\nport: ${9000 + i}\n`;

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}

function writeTree(root, files) {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
}

function jobFor(dir) {
  return {
    store: `sqlite:${path.join(dir, 'state', 'drift.db')}`,
    keyFile: path.join(dir, 'state', 'secret.key'),
    config: { sources: [{ name: 'app', path: path.join(dir, 'tree') }], alerts: { maxPerHour: 10 } },
  };
}

async function open(lib, job) {
  return lib.createDetector({ config: job.config, store: job.store, keyFile: job.keyFile, host: HOST, user: 'bench', clock: () => NOW });
}

/** One child: open, say ready, wait for the start instant, loop the operation until the deadline, report the count. */
async function child() {
  const lib = await import(dist);
  const { job, op, index } = JSON.parse(process.argv[3]);
  const detector = await open(lib, job);
  const run = {
    snapshot: () => detector.takeSnapshot('app'),
    compare: () => detector.compareSnapshots('app'),
    shouldAlert: (i) => detector.shouldAlert({ id: i, host: HOST, source: `bench-${index}-${i}`, type: 'security_degradation', severity: 'critical' }),
    summary: () => detector.getDriftSummary(),
  }[op];
  await run(-1); // warm: the first call compiles the code paths.
  process.send({ ready: true });
  const { startAt, endAt } = await new Promise((resolve) => process.once('message', resolve));
  await sleep(Math.max(0, startAt - Date.now()));
  let count = 0;
  while (Date.now() < endAt) await run(count++);
  await detector.close();
  process.send({ count });
}

/** A fresh store with a baseline and a changed latest snapshot, so compare has drift to find. */
async function prepare(lib) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-bench-conc-'));
  writeTree(path.join(dir, 'tree'), TREE);
  const job = jobFor(dir);
  const detector = await open(lib, job);
  await detector.check('app');
  writeTree(path.join(dir, 'tree'), { 'app.yaml': TREE['app.yaml'].replace('8080', '9090'), 'cache.toml': TREE['cache.toml'].replace('300', '60') });
  await detector.check('app');
  await detector.close();
  return { dir, job };
}

async function measure(lib, op, processes, durationMs) {
  const { dir, job } = await prepare(lib);
  const children = Array.from({ length: processes }, (_, index) =>
    fork(fileURLToPath(import.meta.url), ['child', JSON.stringify({ job, op, index })], { execArgv: [] }));
  const message = (c) => new Promise((resolve, reject) => {
    c.once('message', resolve);
    c.once('exit', (code) => reject(new Error(`a ${op} child exited with ${code}`)));
  });
  await Promise.all(children.map(message));
  const startAt = Date.now() + 50;
  const counts = children.map(message);
  for (const c of children) c.send({ startAt, endAt: startAt + durationMs });
  const total = (await Promise.all(counts)).reduce((n, m) => n + m.count, 0);
  fs.rmSync(dir, { recursive: true, force: true });
  return total / (durationMs / 1000);
}

async function main() {
  if (!fs.existsSync(dist)) throw new Error('dist/ is missing: run npx tsc -p tsconfig.build.json first');
  const lib = await import(dist);
  const durationMs = Number(option('duration', '2000'));
  const counts = option('processes', '1,2,4,8').split(',').map(Number);
  const ops = option('ops', 'snapshot,compare,shouldAlert,summary').split(',');
  console.log(`driftwatch ${JSON.parse(fs.readFileSync(path.join(here, '..', 'package.json'), 'utf8')).version}, node ${process.version}, ${os.cpus().length} cores, ${durationMs} ms per cell, one SQLite store (WAL)`);
  console.log('');
  console.log(`| operation | ${counts.map((p) => `${p} process${p > 1 ? 'es' : ''}`).join(' | ')} |`);
  console.log(`| --- | ${counts.map(() => '---:').join(' | ')} |`);
  for (const op of ops) {
    const rates = [];
    for (const p of counts) rates.push(await measure(lib, op, p, durationMs));
    const cells = rates.map((r, i) => (i === 0 ? `${Math.round(r)}/s` : `${Math.round(r)}/s (x${(r / rates[0]).toFixed(2)})`));
    console.log(`| ${op} | ${cells.join(' | ')} |`);
  }
}

if (process.argv[2] === 'child') await child();
else await main();
