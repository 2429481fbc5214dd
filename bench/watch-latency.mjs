#!/usr/bin/env node
// How soon `driftwatch watch` records a change: from the write to the drift event in the store.
//
//   node bench/watch-latency.mjs [COUNT...]        (default: 1000 10000)
//
// For each COUNT: generates COUNT config files (bench/generate-tree.mjs), starts the agent in
// this process on a real chokidar watcher and a real SQLite store, then, BENCH_RUNS times (default
// 30), changes one file and measures until the cycle that recorded its drift event has finished.
// Runs with the default debounce (300 ms) and with none, and times a bare `detector.check` of the
// same tree in the same process as the reference: latency = debounce + event delivery + one cycle.
// Build first: npm run build.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree } from './generate-tree.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const { createDetector } = await import(path.join(dist, 'detector', 'create-detector.js'));
const { createAgent } = await import(path.join(dist, 'watch', 'agent.js'));

const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
const runs = Number(process.env.BENCH_RUNS ?? 30);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
let appended = 0;
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

async function measure(tree, work, debounce) {
  const detector = await createDetector({
    config: { sources: [{ name: 'tree', path: tree }], watch: { debounce } },
    store: path.join(work, `drift-${debounce}.db`), keyFile: path.join(work, 'secret.key'),
  });
  let waiting = null;
  const agent = createAgent({
    detector,
    onCycle: (cycle) => { if (cycle.newEvents > 0 && waiting) waiting(); },
  });
  await agent.start();
  const reference = [];
  for (let i = 0; i < 5; i++) {
    const start = process.hrtime.bigint();
    await detector.check('tree');
    reference.push(ms(start));
  }
  const victims = fs.readdirSync(tree, { recursive: true }).filter((f) => String(f).endsWith('.yaml')).slice(0, runs).map((f) => path.join(tree, String(f)));
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const file = victims[i % victims.length];
    const recorded = new Promise((resolve, reject) => {
      waiting = resolve;
      setTimeout(() => reject(new Error(`no drift event 30 s after changing ${file}`)), 30_000).unref();
    });
    const start = process.hrtime.bigint();
    fs.appendFileSync(file, `bench_latency_${++appended}: ${i}\n`);
    await recorded;
    samples.push(ms(start));
    waiting = null;
    await sleep(100);
  }
  await agent.stop({ final: false });
  await detector.close();
  return { samples, reference: quantile(reference, 0.5) };
}

console.log(`${runs} changes each, ${os.cpus().length} cores, node ${process.version}\n`);
console.log('| files | debounce | median | p95 | max | one check (reference) | median - debounce - check |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const count of counts.length ? counts : [1000, 10_000]) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `dw-latency-${count}-`));
  try {
    const tree = path.join(work, 'tree');
    generateTree(tree, count);
    for (const [label, debounceMs] of [['300ms', 300], ['0ms', 0]]) {
      const { samples, reference } = await measure(tree, work, label);
      const med = quantile(samples, 0.5);
      console.log(`| ${count} | ${label} | ${med.toFixed(0)} ms | ${quantile(samples, 0.95).toFixed(0)} ms | ${Math.max(...samples).toFixed(0)} ms | ` +
        `${reference.toFixed(0)} ms | ${(med - debounceMs - reference).toFixed(0)} ms |`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
