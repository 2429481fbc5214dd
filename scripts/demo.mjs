#!/usr/bin/env node
// The README's first command: a baseline of the shipped example configuration,
// a night of unreviewed edits, and what driftwatch says about them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'driftwatch.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'driftwatch-demo-'));
const config = path.join(work, 'config');
const store = path.join(work, 'state', 'drift.db');
// Keep the demo's fingerprint key beside its store, not in your home directory.
const env = { ...process.env, DRIFTWATCH_STATE_DIR: path.join(work, 'state') };

function driftwatch(...args) {
  console.log(`\n$ driftwatch ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [bin, ...args, '--store', store], { stdio: 'inherit', env, cwd: work });
  console.log(`(exit ${result.status})`);
  return result.status;
}

fs.cpSync(path.join(root, 'examples', 'demo', 'config'), config, { recursive: true });
console.log(`Example configuration copied to ${config}`);
driftwatch('check', 'config');

console.log('\n# Overnight: a port, a TLS switch, a database password, a hosts entry, a token, a float,');
console.log('# a file mode and a deleted file change; nobody tells you.');
fs.cpSync(path.join(root, 'examples', 'demo', 'changes'), config, { recursive: true });
fs.chmodSync(path.join(config, 'app', '.env'), 0o666);
fs.rmSync(path.join(config, 'nginx.conf'));

const code = driftwatch('check', 'config');
driftwatch('events', '--severity', 'high');
driftwatch('summary');
console.log(`\nThe demo's files are in ${work}; remove it when done.`);
process.exit(code === 2 ? 0 : 1);
