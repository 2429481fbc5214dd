#!/usr/bin/env node
// Usage: node bench/scan-vs-git.mjs [COUNT] [--reps N] [--async]
// Times, side by side on one generated tree of COUNT files (default 10000):
// `git status --porcelain` (warm), a bare `node -e 0`, and a clean re-scan by
// scanFiles with a full cache, in this process and in a fresh one (node start
// + import + cache load + scan). Prints medians and ratios against git status.
// With --async, also times a bare sync walk against an fs.promises walk.
// Needs a build first: `npx tsc -p tsconfig.build.json` (or DRIFTWATCH_DIST=dir).
import { spawnSync } from 'node:child_process';
import { existsSync, promises, readdirSync, lstatSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateTree } from './generate-tree.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const count = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--reps') ?? 10000);
const reps = option('--reps', 7);
const dist = resolve(process.env.DRIFTWATCH_DIST ?? join(here, '../dist'));
const scannerUrl = pathToFileURL(join(dist, 'sources/scan-files.js')).href;
const statKeyUrl = pathToFileURL(join(dist, 'sources/stat-key.js')).href;
// The product's default excludes (src/config): the benchmark pays for the same glob work.
const exclude = ['**/.git/**', '**/.hg/**', '**/.svn/**'];

if (!existsSync(fileURLToPath(scannerUrl))) {
  console.error(`no build at ${dist}: run \`npx tsc -p tsconfig.build.json\` first, or set DRIFTWATCH_DIST`);
  process.exit(1);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(1).padStart(8)} ms`;

function timeProcess(command, argv, options = {}) {
  const started = performance.now();
  const run = spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  const elapsed = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed: ${run.stderr}`);
  return { elapsed, stdout: run.stdout };
}

async function timeAsync(fn) {
  const started = performance.now();
  const value = await fn();
  return { elapsed: performance.now() - started, value };
}

const root = resolve(here, '.data', `tree-${count}`);
if (!existsSync(join(root, '.git'))) {
  const started = Date.now();
  generateTree(root, count);
  console.log(`generated ${count} files in ${root} (${Date.now() - started} ms)`);
  // Files written within the racy window are re-read on purpose; wait so the cache is trusted.
  await new Promise((done) => setTimeout(done, 2500));
}

const { scanFiles } = await import(scannerUrl);
const { toStatKey } = await import(statKeyUrl);
const first = await timeAsync(() => scanFiles({ root, exclude }));
const cache = new Map(first.value.entries.map((e) => [e.file, toStatKey(e.meta, first.value.startedAtMs)]));
const cacheFile = join(here, '.data', `cache-${count}.json`);
writeFileSync(cacheFile, JSON.stringify([...cache]));
console.log(`first scan (reads every file): ${first.value.entries.length} entries, ${ms(first.elapsed)}`);
first.value = null; // let the bytes go: a caller keeps only the cache
// Warm, as git status is warm: a long-running watcher scans with optimised code, a CLI run does not (fresh process below).
for (let i = 0; i < 3; i++) await scanFiles({ root, exclude, cache });

const FRESH = `
const started = performance.now();
const { readFileSync } = await import('node:fs');
const { scanFiles } = await import(${JSON.stringify(scannerUrl)});
const imported = performance.now();
const cache = new Map(JSON.parse(readFileSync(process.argv[1], 'utf8')));
const loaded = performance.now();
const scan = await scanFiles({ root: process.argv[2], exclude: ${JSON.stringify(exclude)}, cache });
const done = performance.now();
const unchanged = scan.entries.filter((e) => e.unchanged).length;
process.stdout.write(JSON.stringify({ importMs: imported - started, cacheMs: loaded - imported, scanMs: done - loaded, unchanged }));
`;

const git = () => timeProcess('git', ['status', '--porcelain'], { cwd: root });
const node = () => timeProcess(process.execPath, ['-e', '0']);
const fresh = () => timeProcess(process.execPath, ['--input-type=module', '-e', FRESH, cacheFile, root]);
git(); // warm the index and the dentry cache

const results = { git: [], node: [], inProcess: [], fresh: [], freshParts: [] };
for (let i = 0; i < reps; i++) {
  // Interleaved, so a burst of load elsewhere hits every contender alike.
  results.git.push(git().elapsed);
  results.node.push(node().elapsed);
  const again = await timeAsync(() => scanFiles({ root, exclude, cache }));
  const unchanged = again.value.entries.filter((e) => e.unchanged).length;
  if (unchanged !== cache.size) throw new Error(`only ${unchanged} of ${cache.size} files were unchanged: not a clean re-check`);
  results.inProcess.push(again.elapsed);
  const run = fresh();
  results.fresh.push(run.elapsed);
  results.freshParts.push(JSON.parse(run.stdout));
}

const gitMs = median(results.git);
const row = (label, value) => console.log(`${label.padEnd(44)}${ms(value)}   ${(value / gitMs).toFixed(2)}x git status`);
console.log(`\n${count} files, ${reps} repetitions, medians (${process.version}, ${process.platform})`);
row('git status --porcelain (warm)', gitMs);
row('node -e 0 (bare start)', median(results.node));
row('scanFiles re-check, in process', median(results.inProcess));
row('scanFiles re-check, fresh process (total)', median(results.fresh));
for (const part of ['importMs', 'cacheMs', 'scanMs']) row(`  of which ${part.replace('Ms', '')}`, median(results.freshParts.map((p) => p[part])));
row('fresh process minus bare node start', median(results.fresh) - median(results.node));

if (flag('--async')) await compareSyncAsync(root);

/** A bare readdir + lstat walk, sync against fs.promises with bounded concurrency. */
async function compareSyncAsync(dir) {
  const syncWalk = () => {
    const stack = [dir];
    let files = 0;
    while (stack.length > 0) {
      const current = stack.pop();
      for (const entry of readdirSync(current, { withFileTypes: true })) {
        if (entry.name === '.git') continue;
        const path = `${current}/${entry.name}`;
        if (entry.isDirectory()) stack.push(path);
        else if (lstatSync(path).size >= 0) files++;
      }
    }
    return files;
  };
  const asyncWalk = async (concurrency) => {
    const files = [];
    for (let level = [dir]; level.length > 0;) {
      const listed = await Promise.all(level.map(async (d) => [d, await promises.readdir(d, { withFileTypes: true })]));
      level = [];
      for (const [d, entries] of listed) for (const e of entries) {
        if (e.name === '.git') continue;
        (e.isDirectory() ? level : files).push(`${d}/${e.name}`);
      }
    }
    let next = 0;
    const worker = async () => { while (next < files.length) await promises.lstat(files[next++]); };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return files.length;
  };
  console.log('\nbare walk (readdir + lstat, no cache, no entries), medians');
  const contenders = [['sync', async () => syncWalk()], ...[16, 64, 256].map((c) => [`fs.promises, ${c} in flight`, () => asyncWalk(c)])];
  for (const [label, fn] of contenders) {
    const times = [];
    for (let i = 0; i < reps; i++) times.push((await timeAsync(fn)).elapsed);
    row(label, median(times));
  }
}
