import { readFileSync } from 'node:fs';
import picomatch from 'picomatch';
import type { Problem } from '../core/problem.js';
import { createMap, type ValueMap } from '../core/value.js';

export interface EnvOptions {
  /** Key globs (`APP_*`); default every variable. */
  include: readonly string[];
  exclude: readonly string[];
  /** Read another process's environment (/proc/PID/environ) instead of our own. */
  pid: number | null;
  /** Our own environment, injectable for tests. */
  env?: NodeJS.ProcessEnv;
  /** Where /proc lives, injectable for tests. */
  procRoot?: string;
}

export type EnvRead = { document: ValueMap } | { problem: Problem };

/**
 * An environment as a map of strings, filtered by key globs: driftwatch's
 * own (for runs from cron or CI) or another process's by pid (what an agent
 * beside a service watches). The environ file of a process holds the
 * environment it started with.
 *
 * @example readEnv({ include: ['APP_*'], exclude: [], pid: null })
 */
export function readEnv(options: EnvOptions): EnvRead {
  let entries: [string, string][];
  if (options.pid === null) {
    entries = Object.entries(options.env ?? process.env).filter((e): e is [string, string] => e[1] !== undefined);
  } else {
    const file = `${options.procRoot ?? '/proc'}/${options.pid}/environ`;
    try {
      entries = parseEnviron(readFileSync(file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      const gone = code === 'ENOENT' || code === 'ESRCH';
      return {
        problem: gone
          ? { file: '', code: 'SOURCE_MISSING', message: `no process with pid ${options.pid} (${file}: ${code}); is the service running?` }
          : { file: '', code: 'SOURCE_UNREADABLE', message: `cannot read ${file} (${code}); run driftwatch as the service's user or as root` },
      };
    }
  }
  const included = options.include.length ? picomatch([...options.include]) : () => true;
  const excluded = options.exclude.length ? picomatch([...options.exclude]) : () => false;
  return { document: createMap(entries.filter(([key]) => included(key) && !excluded(key)).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

// NUL-separated KEY=VALUE pairs; a value may itself contain `=`.
function parseEnviron(bytes: Buffer): [string, string][] {
  const out: [string, string][] = [];
  for (const pair of bytes.toString('utf8').split('\0')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out.push([pair.slice(0, eq), pair.slice(eq + 1)]);
  }
  return out;
}
