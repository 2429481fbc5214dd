import { spawn } from 'node:child_process';
import type { Notifier, NotifierContext } from './notifier.js';

/**
 * Runs an argv (no shell) with the alert JSON on stdin; exit 0 is delivered,
 * anything else is retried. `DRIFTWATCH_IDEMPOTENCY_KEY`, `DRIFTWATCH_ALERT_KIND`
 * and `DRIFTWATCH_SEVERITY` are in its environment. Failure reasons name the
 * program and its exit code, never its arguments or output.
 *
 * @example createCommandNotifier({ name: 'pager', argv: ['/usr/local/bin/page', '--team', 'ops'], cwd: '/', timeoutMs: 10_000 }, ctx)
 */
export function createCommandNotifier(options: { name: string; argv: string[]; cwd: string; timeoutMs: number }, ctx: NotifierContext): Notifier {
  const [program, ...args] = options.argv;
  return {
    name: options.name,
    kind: 'command',
    timeoutMs: options.timeoutMs,
    send({ document, json }) {
      return new Promise((resolve) => {
        const child = spawn(program!, args, {
          cwd: options.cwd,
          stdio: ['pipe', 'ignore', 'ignore'],
          env: {
            ...ctx.env,
            DRIFTWATCH_IDEMPOTENCY_KEY: document.idempotencyKey,
            DRIFTWATCH_ALERT_KIND: document.kind,
            DRIFTWATCH_SEVERITY: document.severity,
          },
        });
        let timedOut = false;
        const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, options.timeoutMs);
        child.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          resolve({ ok: false, retry: true, reason: `cannot run ${program}: ${error.code ?? error.message}` });
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (timedOut) resolve({ ok: false, retry: true, reason: `${program} timed out after ${options.timeoutMs / 1000}s` });
          else if (code === 0) resolve({ ok: true });
          else resolve({ ok: false, retry: true, reason: `${program} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}` });
        });
        // A command that exits without reading its stdin is its own business: only the exit code counts.
        child.stdin.on('error', () => {});
        child.stdin.end(json + '\n');
      });
    },
  };
}
