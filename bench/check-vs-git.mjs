#!/usr/bin/env node
// driftwatch check on a generated tree, side by side with `git status` on the same tree.
//
//   node bench/check-vs-git.mjs [COUNT...]        (default: 10000 100000)
//
// For each COUNT: generates COUNT config files (bench/generate-tree.mjs, committed to git),
// runs the first check (which parses everything), then times, alternating, repeated runs of
// `git status --porcelain`, a bare `node -e 0`, and a clean re-check (`driftwatch check`, a fresh
// process each time, nothing changed), and a re-check after one file changed. Prints medians and
// ratios. Build first: npm run build.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', 'bin', 'driftwatch.js');
const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
const runs = Number(process.env.BENCH_RUNS ?? 9);

function time(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && result.status !== 2) throw new Error(`${command} ${args.join(' ')}: exit ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function bench(count) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `dw-bench-${count}-`));
  const tree = path.join(work, 'tree');
  const env = { ...process.env, DRIFTWATCH_STATE_DIR: path.join(work, 'state'), NO_COLOR: '1' };
  const check = ['check', tree, '--store', path.join(work, 'state', 'drift.db')];
  try {
    execFileSync(process.execPath, [path.join(here, 'generate-tree.mjs'), tree, String(count)], { stdio: 'ignore' });
    const first = time(process.execPath, [bin, ...check], { env });
    time('git', ['-c', 'gc.auto=0', 'status', '--porcelain'], { cwd: tree }); // warm the index
    const samples = { git: [], node: [], check: [] };
    for (let i = 0; i < runs; i++) {
      samples.git.push(time('git', ['-c', 'gc.auto=0', 'status', '--porcelain'], { cwd: tree }));
      samples.node.push(time(process.execPath, ['-e', '0']));
      samples.check.push(time(process.execPath, [bin, ...check], { env }));
    }
    // One changed file: the re-check reads and parses just that one.
    const victim = execFileSync('git', ['ls-files'], { cwd: tree, encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n').find((f) => f.endsWith('.yaml'));
    fs.appendFileSync(path.join(tree, victim), 'bench_added_key: 1\n');
    const changed = time(process.execPath, [bin, ...check], { env });
    const m = { git: median(samples.git), node: median(samples.node), check: median(samples.check) };
    return { count, first, ...m, changed };
  } finally {
    // git may still be writing to its .git (a background gc): cleaning up is best effort.
    try { fs.rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }); } catch { /* left in the temp dir */ }
  }
}

console.log(`median of ${runs} runs each, ${os.cpus().length} cores, node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}\n`);
console.log('| files | first check | clean re-check | git status | node -e 0 | re-check / git | re-check - node start | one file changed |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const count of counts.length ? counts : [10_000, 100_000]) {
  const r = bench(count);
  const f = (ms) => `${ms.toFixed(0)} ms`;
  console.log(`| ${r.count} | ${f(r.first)} | ${f(r.check)} | ${f(r.git)} | ${f(r.node)} | ${(r.check / r.git).toFixed(1)}x | ${f(r.check - r.node)} | ${f(r.changed)} |`);
}
