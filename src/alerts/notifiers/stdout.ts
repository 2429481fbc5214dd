import type { Notifier, NotifierContext } from './notifier.js';

/**
 * One JSON line per alert on standard output (the watch agent's log stream,
 * journald, a pipe into jq).
 *
 * @example createStdoutNotifier({ name: 'stdout' }, ctx)
 */
export function createStdoutNotifier(options: { name: string }, ctx: NotifierContext): Notifier {
  return {
    name: options.name,
    kind: 'stdout',
    timeoutMs: 0,
    send({ json }) {
      ctx.stdout(json + '\n');
      return Promise.resolve({ ok: true });
    },
  };
}
