import type { ResolvedReceiver } from '../../config/alerts-config.js';
import { DriftError } from '../../errors.js';
import { createAlertmanagerNotifier } from './alertmanager.js';
import { createCommandNotifier } from './command.js';
import { readUrl } from './http-post.js';
import { createLogFileNotifier } from './log-file.js';
import type { Notifier, NotifierContext } from './notifier.js';
import { createSlackNotifier } from './slack.js';
import { createStdoutNotifier } from './stdout.js';
import { createWebhookNotifier } from './webhook.js';

/**
 * The notifier of one configured receiver. Environment references (a URL,
 * an HMAC key) are read now: a missing one is CONFIG_INVALID naming the
 * variable, before anything is sent.
 *
 * @example createNotifier(config.alerts.receivers[0], { env: process.env, fetch, now: Date.now, stdout: (t) => process.stdout.write(t) })
 */
export function createNotifier(receiver: ResolvedReceiver, ctx: NotifierContext): Notifier {
  const { name, timeoutMs } = receiver;
  const fromEnv = (variable: string, what: string) => {
    const value = ctx.env[variable];
    if (!value) {
      throw new DriftError('CONFIG_INVALID', `alerts receiver "${name}": the environment variable ${variable} (its ${what}) is not set; set it where driftwatch delivers alerts`, { key: 'alerts.notify' });
    }
    return value;
  };
  const url = (ref: { url: string } | { env: string }) => readUrl(ref, ctx.env) ?? fromEnv((ref as { env: string }).env, 'URL');
  switch (receiver.kind) {
    case 'webhook': {
      const secret = receiver.secret === null ? null : 'env' in receiver.secret ? fromEnv(receiver.secret.env, 'HMAC secret') : receiver.secret.value.reveal();
      return createWebhookNotifier({ name, url: url(receiver.url), secret, timeoutMs }, ctx);
    }
    case 'slack': return createSlackNotifier({ name, url: url(receiver.url), timeoutMs }, ctx);
    case 'alertmanager': return createAlertmanagerNotifier({ name, url: url(receiver.url), timeoutMs }, ctx);
    case 'command': return createCommandNotifier({ name, argv: receiver.argv, cwd: receiver.cwd, timeoutMs }, ctx);
    case 'stdout': return createStdoutNotifier({ name }, ctx);
    case 'log': return createLogFileNotifier({ name, file: receiver.file });
  }
}
