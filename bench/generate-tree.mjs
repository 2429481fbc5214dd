#!/usr/bin/env node
// Usage: node bench/generate-tree.mjs DIR [COUNT]
// Writes COUNT (default 10000) config files in nested directories, with content
// from a seeded PRNG so every run builds the same tree, then commits it to a
// fresh git repository in DIR so `git status` can be timed on the same files.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** mulberry32: small, fast, and the same sequence for the same seed. */
function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['api', 'db', 'cache', 'queue', 'auth', 'tls', 'log', 'metrics', 'proxy', 'worker',
  'timeout', 'retries', 'host', 'port', 'pool', 'region', 'bucket', 'feature', 'limit', 'mode'];
const TOP = ['services', 'infra', 'apps', 'platform', 'teams'];
const ENVS = ['dev', 'staging', 'prod', 'qa'];
const KINDS = [
  ['json', 'json'], ['yaml', 'yaml'], ['toml', 'toml'], ['ini', 'ini'], ['env', 'env'],
  ['conf', 'conf'], ['properties', 'properties'], ['xml', 'xml'],
];

function pairs(random, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const key = `${WORDS[Math.floor(random() * WORDS.length)]}_${i}`;
    const roll = random();
    const value = roll < 0.3 ? Math.floor(random() * 65536)
      : roll < 0.45 ? random() < 0.5
      : `${WORDS[Math.floor(random() * WORDS.length)]}-${Math.floor(random() * 1e6).toString(36)}`;
    out.push([key, value]);
  }
  return out;
}

function render(kind, random) {
  const entries = pairs(random, 8 + Math.floor(random() * 80));
  switch (kind) {
    case 'json': return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
    case 'yaml': return entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}\n`).join('');
    case 'toml': return `[main]\n${entries.map(([k, v]) => `${k} = ${typeof v === 'string' ? JSON.stringify(v) : v}\n`).join('')}`;
    case 'ini': return `[section]\n${entries.map(([k, v]) => `${k}=${v}\n`).join('')}`;
    case 'env': return entries.map(([k, v]) => `${k.toUpperCase()}=${v}\n`).join('');
    case 'conf': return entries.map(([k, v]) => `${k} ${v};\n`).join('');
    case 'properties': return entries.map(([k, v]) => `${k.replace('_', '.')}=${v}\n`).join('');
    default: return `<?xml version="1.0"?>\n<config>\n${entries.map(([k, v]) => `  <${k}>${v}</${k}>\n`).join('')}</config>\n`;
  }
}

/** Directory for file number i: about 40 files a directory, two to four levels deep. */
function directoryFor(i, random) {
  const group = Math.floor(i / 40);
  const top = TOP[group % TOP.length];
  const service = `svc-${Math.floor(group / TOP.length / ENVS.length).toString().padStart(4, '0')}`;
  const env = ENVS[Math.floor(group / TOP.length) % ENVS.length];
  return random() < 0.3 ? join(top, service, env, 'conf.d') : join(top, service, env);
}

function git(dir, args) {
  execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 26 });
}

/**
 * Build the tree and commit it. Returns the number of files written.
 * @example generateTree('/tmp/tree', 10000)
 */
export function generateTree(dir, count = 10000) {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  const random = createRandom(20240601);
  const made = new Set();
  for (let i = 0; i < count; i++) {
    const sub = join(root, directoryFor(i, random));
    if (!made.has(sub)) { mkdirSync(sub, { recursive: true }); made.add(sub); }
    const [ext, kind] = KINDS[i % KINDS.length];
    const name = ext === 'env' && i % 3 === 0 ? `.env.${ENVS[i % ENVS.length]}-${i}` : `${WORDS[i % WORDS.length]}-${i}.${ext}`;
    writeFileSync(join(sub, name), render(kind, random));
  }
  if (!existsSync(join(root, '.git'))) git(root, ['init', '-q']);
  git(root, ['config', 'user.name', 'driftwatch bench']);
  git(root, ['config', 'user.email', 'bench@driftwatch.invalid']);
  git(root, ['add', '-A']);
  git(root, ['commit', '-q', '--allow-empty', '-m', `bench tree: ${count} files`]);
  return count;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dir, rawCount] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node bench/generate-tree.mjs DIR [COUNT]');
    process.exit(1);
  }
  const count = rawCount === undefined ? 10000 : Number(rawCount);
  if (!Number.isInteger(count) || count < 1) {
    console.error(`COUNT must be a positive integer, got ${rawCount}`);
    process.exit(1);
  }
  const started = Date.now();
  generateTree(dir, count);
  console.log(`wrote and committed ${count} files in ${resolve(dir)} (${Date.now() - started} ms)`);
}
