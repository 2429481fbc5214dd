#!/usr/bin/env node
// Memory of the `driftwatch watch` agent over many cycles on a large tree: it must stay flat.
//
//   node bench/watch-memory.mjs [COUNT] [CYCLES]        (default: 10000 files, 1000 cycles)
//
// Generates COUNT config files (bench/generate-tree.mjs) and starts the agent in this process on
// a real chokidar watcher and a real SQLite store. Then CYCLES times: rewrites one file (nine
// times in ten with the same bytes, so the cycle reads it and stores nothing; every tenth time
// with a new key, so the cycle stores a snapshot and a drift event) and waits for the cycle the
// file-system event started. Samples the heap after a full GC and the RSS every CYCLES/10 cycles,
// and prints them with the growth per cycle (least squares over the samples after the first).
// The reference is the same loop without the agent: plain `detector.check` calls, in the same
// process, before the agent starts. Build first: npm run build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree } from './generate-tree.mjs';

// A heap figure is only comparable after a full collection: re-run with --expose-gc.
if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const { createDetector } = await import(path.join(dist, 'detector', 'create-detector.js'));
const { createAgent } = await import(path.join(dist, 'watch', 'agent.js'));

const count = Number(process.argv[2] ?? 10_000);
const cycles = Number(process.argv[3] ?? 1000);
const referenceCycles = Number(process.env.BENCH_REFERENCE ?? Math.min(200, cycles));
const every = Math.max(1, Math.floor(cycles / 10));
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

function sample() {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss, external: m.external };
}

/** Least-squares slope of y over x, in bytes per cycle. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), `dw-memory-${count}-`));
try {
  const tree = path.join(work, 'tree');
  generateTree(tree, count);
  const victims = fs.readdirSync(tree, { recursive: true }).map(String).filter((f) => f.endsWith('.yaml') && !f.startsWith('.git')).slice(0, 50).map((f) => path.join(tree, f));
  const originals = new Map(victims.map((f) => [f, fs.readFileSync(f)]));
  let added = 0;
  /** One step of the workload: the same bytes again, or every tenth time a new key. */
  const touch = (i) => {
    const file = victims[i % victims.length];
    if (i % 10 === 9) originals.set(file, Buffer.concat([originals.get(file), Buffer.from(`bench_memory_${++added}: ${i}\n`)]));
    fs.writeFileSync(file, originals.get(file));
  };

  const detector = await createDetector({
    config: { sources: [{ name: 'tree', path: tree }], watch: { debounce: '20ms' }, retention: { snapshots: { maxAge: '0s', keepLast: 5 } } },
    store: path.join(work, 'drift.db'), keyFile: path.join(work, 'secret.key'),
  });

  // Reference: the same workload, driven by plain checks, no watcher.
  await detector.check('tree');
  const refStart = sample();
  for (let i = 0; i < referenceCycles; i++) {
    touch(i);
    await detector.check('tree');
  }
  await detector.cleanup();
  const refEnd = sample();

  let done = 0;
  let wake = null;
  const agent = createAgent({ detector, onCycle: () => { done++; wake?.(); } });
  const startedAt = Date.now();
  await agent.start();
  const startup = Date.now() - startedAt;
  const rows = [{ cycle: 0, ...sample() }];
  const t0 = Date.now();
  for (let i = 0; i < cycles; i++) {
    const target = done + 1;
    const cycled = new Promise((resolve, reject) => {
      wake = () => { if (done >= target) resolve(); };
      setTimeout(() => reject(new Error(`no cycle 30 s after change ${i}`)), 30_000).unref();
    });
    touch(referenceCycles + i);
    await cycled;
    // Retention runs hourly in an agent; here often enough that the store, not memory, holds the history.
    if ((i + 1) % 100 === 0) await detector.cleanup();
    if ((i + 1) % every === 0) rows.push({ cycle: i + 1, ...sample() });
  }
  const elapsed = Date.now() - t0;
  await agent.stop({ final: false });
  await detector.close();

  console.log(`${count} files, ${cycles} cycles (${(elapsed / cycles).toFixed(0)} ms each), agent start ${startup} ms, ` +
    `${os.cpus().length} cores, node ${process.version}\n`);
  console.log('| cycles | heap after GC | RSS | external |');
  console.log('| ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.cycle} | ${mb(r.heap)} MB | ${mb(r.rss)} MB | ${mb(r.external)} MB |`);
  const after = rows.slice(1);
  const heapSlope = slope(after.map((r) => ({ x: r.cycle, y: r.heap })));
  const rssSlope = slope(after.map((r) => ({ x: r.cycle, y: r.rss })));
  const refSlope = (refEnd.heap - refStart.heap) / referenceCycles;
  console.log(`\nheap growth: agent ${(heapSlope / 1024).toFixed(2)} KB/cycle (RSS ${(rssSlope / 1024).toFixed(2)} KB/cycle) over cycles ` +
    `${after[0]?.cycle}-${cycles}; reference (${referenceCycles} plain checks, no agent) ${(refSlope / 1024).toFixed(2)} KB/cycle`);
  console.log(`heap at the end / after the first ${every} cycles: ${(rows.at(-1).heap / rows[1].heap).toFixed(3)}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
