import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (where package.json and bin/ live). */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI entry point, run with the current Node. Build first (`npx tsc -p tsconfig.build.json`). */
export const cliBin = path.join(projectRoot, 'bin', 'driftwatch.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document it must be; throws with the output when it is not. */
  json(): any;
}

export interface RunCliOptions {
  cwd?: string;
  /** Added to a clean environment (PATH, HOME, LANG from this process, NO_COLOR=1). */
  env?: Record<string, string | undefined>;
  /** Run through this command prefix, e.g. ['setpriv', '--reuid=65534', ...]. */
  prefix?: string[];
  /** Another copy of bin/driftwatch.js to run (e.g. one readable by an unprivileged user). */
  bin?: string;
  timeoutMs?: number;
}

/**
 * Runs `node bin/driftwatch.js ...args` to completion. The environment is
 * minimal on purpose: no DRIFTWATCH_* variable of the caller leaks in, so a
 * test names its own state directory and store.
 */
export function runCli(args: string[], options: RunCliOptions = {}): CliResult {
  const env: Record<string, string> = { NO_COLOR: '1' };
  for (const name of ['PATH', 'HOME', 'LANG', 'TZ', 'SYSTEMROOT']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const argv = [process.execPath, options.bin ?? cliBin, ...args];
  const [command, ...rest] = options.prefix?.length ? [...options.prefix, ...argv] : argv;
  const r = spawnSync(command!, rest, {
    cwd: options.cwd ?? projectRoot,
    env,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  const stdout = r.stdout ?? '';
  const stderr = r.stderr ?? '';
  return {
    code: r.status,
    signal: r.signal,
    stdout,
    stderr,
    json() {
      try {
        return JSON.parse(stdout);
      } catch {
        throw new Error(`stdout is not one JSON document (exit ${r.status}):\n${stdout.slice(0, 2000)}\nstderr:\n${stderr.slice(0, 2000)}`);
      }
    },
  };
}

/** A state directory and store inside `dir`, and a runner bound to them. */
export function cliWithState(dir: string, extraEnv: Record<string, string | undefined> = {}) {
  const stateDir = path.join(dir, 'state');
  const store = path.join(stateDir, 'drift.db');
  fs.mkdirSync(stateDir, { recursive: true });
  const run = (args: string[], options: RunCliOptions = {}) =>
    runCli([...args, '--store', store], {
      cwd: dir,
      ...options,
      env: { DRIFTWATCH_STATE_DIR: stateDir, ...extraEnv, ...options.env },
    });
  return { stateDir, store, run };
}

/** Every file under `dir` (store, WAL, key file), concatenated byte for byte. */
export function readAllBytes(dir: string): Buffer {
  const parts: Buffer[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) parts.push(fs.readFileSync(p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return Buffer.concat(parts);
}

/** Throws, with the run's output, unless it exited with `code`: a failed setup step then says why. */
export function expectExit(r: CliResult, code: number): CliResult {
  if (r.code !== code) {
    throw new Error(`exit ${r.code}${r.signal ? ` (${r.signal})` : ''}, expected ${code}\nstdout: ${r.stdout.slice(0, 1500)}\nstderr: ${r.stderr.slice(0, 1500)}`);
  }
  return r;
}
