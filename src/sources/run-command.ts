import { execFile } from 'node:child_process';
import type { Problem } from '../core/problem.js';

export interface CommandOptions {
  /** argv: the program and its arguments; never run through a shell. */
  argv: readonly string[];
  timeoutMs: number;
  cwd?: string;
  maxBytes: number;
}

export type CommandRun = { stdout: Buffer } | { problem: Problem };

/**
 * Runs a command source and returns its stdout. No shell, a timeout, a size
 * limit. A failure is a problem naming the program and its exit code or
 * signal, never its arguments or output (either may hold a secret).
 *
 * @example await runCommand({ argv: ['sysctl', 'net.ipv4.ip_forward'], timeoutMs: 30_000, maxBytes: 1 << 24 })
 */
export function runCommand(options: CommandOptions): Promise<CommandRun> {
  const [program, ...args] = options.argv;
  return new Promise((resolve) => {
    execFile(program!, args, {
      shell: false, timeout: options.timeoutMs, maxBuffer: options.maxBytes, encoding: 'buffer', windowsHide: true,
      ...(options.cwd ? { cwd: options.cwd } : {}),
    }, (error, stdout) => {
      if (!error) return resolve({ stdout });
      const e = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: string | number };
      let why: string;
      if (e.code === 'ENOENT') why = `"${program}" was not found`;
      else if (e.code === 'EACCES') why = `"${program}" is not executable`;
      else if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') why = `its output passed ${options.maxBytes} bytes`;
      else if (e.killed || e.signal === 'SIGTERM') why = `it ran longer than ${options.timeoutMs} ms and was stopped`;
      else if (e.signal) why = `it was killed by ${e.signal}`;
      else why = `it exited with code ${String(e.code)}`;
      resolve({ problem: { file: '', code: 'SOURCE_COMMAND_FAILED', message: `command ${program}: ${why}` } });
    });
  });
}
