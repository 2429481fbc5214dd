import { appendFile } from 'node:fs/promises';
import type { Notifier } from './notifier.js';

/**
 * Appends one JSON line per alert to a file. Each line is one write in
 * append mode, so lines from several processes never interleave.
 *
 * @example createLogFileNotifier({ name: 'log', file: '/var/log/driftwatch/alerts.jsonl' })
 */
export function createLogFileNotifier(options: { name: string; file: string }): Notifier {
  return {
    name: options.name,
    kind: 'log',
    timeoutMs: 0,
    async send({ json }) {
      try {
        await appendFile(options.file, json + '\n', { mode: 0o600 });
        return { ok: true };
      } catch (error) {
        return { ok: false, retry: true, reason: `cannot append to ${options.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
      }
    },
  };
}
