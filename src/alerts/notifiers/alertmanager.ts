import { alertTextPlain, renderAlertText } from '../alert-text.js';
import type { AlertDocument } from '../alert-document.js';
import type { Notifier, NotifierContext } from './notifier.js';
import { postBody } from './http-post.js';

/**
 * The alert as Alertmanager's v2 API takes it (`POST /api/v2/alerts`, a JSON
 * array): labels to route on (`alertname`, `source`, `host`, `severity`,
 * `type`), annotations to read. No `endsAt`: Alertmanager resolves it after
 * its resolve_timeout, as drift is an event, not a state it can watch end.
 * The idempotency key is a label, so a repeat updates the same alert.
 *
 * @example alertmanagerAlerts(doc)[0].labels // { alertname: 'ConfigDrift', source: 'app', host: 'web-1', severity: 'high', type: 'manual_change', ... }
 */
export function alertmanagerAlerts(document: AlertDocument): { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string }[] {
  const text = renderAlertText(document, 20);
  const digest = document.kind === 'digest';
  const labels: Record<string, string> = {
    alertname: digest ? 'ConfigDriftDigest' : 'ConfigDrift',
    source: document.source ?? 'all',
    host: document.host ?? 'all',
    severity: document.severity,
    type: digest ? 'digest' : primaryType(document),
    idempotency_key: document.idempotencyKey,
  };
  const annotations: Record<string, string> = {
    summary: text.title,
    description: alertTextPlain({ ...text, commands: [] }),
    see_more: document.commands.show,
  };
  if (document.commands.accept) annotations.accept = document.commands.accept;
  if (document.types.length > 1) annotations.types = document.types.join(', ');
  return [{ labels, annotations, startsAt: document.since }];
}

/** Prometheus Alertmanager, at its base URL (`http://127.0.0.1:9093`). */
export function createAlertmanagerNotifier(options: { name: string; url: string; timeoutMs: number }, ctx: NotifierContext): Notifier {
  const endpoint = /\/api\/v2\/alerts\/?$/.test(options.url) ? options.url : options.url.replace(/\/+$/, '') + '/api/v2/alerts';
  return {
    name: options.name,
    kind: 'alertmanager',
    timeoutMs: options.timeoutMs,
    send({ document }) {
      return postBody(ctx.fetch, endpoint, JSON.stringify(alertmanagerAlerts(document)), { 'content-type': 'application/json', 'user-agent': 'driftwatch' }, options.timeoutMs);
    },
  };
}

/** The type of the most severe change (the first listed: changes come in event order). */
function primaryType(document: AlertDocument): string {
  const order = ['low', 'medium', 'high', 'critical'];
  let best = document.changes[0];
  for (const c of document.changes) if (best && order.indexOf(c.severity) > order.indexOf(best.severity)) best = c;
  return best?.type ?? document.types[0] ?? 'manual_change';
}
