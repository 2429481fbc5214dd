import { createDispatcher } from '../../alerts/dispatcher.js';
import type { AlertChange } from '../../alerts/alert-item.js';
import { DriftError } from '../../errors.js';
import type { AlertHistoryEntry, AlertState } from '../../store/store.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { openDetector } from '../open-detector.js';
import { paintSeverity, type Paint } from '../paint.js';
import { writeReport } from '../write-report.js';

const STATES: readonly AlertState[] = ['sent', 'pending', 'failed', 'suppressed'];

export interface AlertsOptions {
  status?: string;
  source?: string;
  limit?: string;
}

/**
 * `driftwatch alerts`: the alert history, newest last (sent, pending,
 * failed, suppressed, with reasons); `driftwatch alerts dispatch`: one round
 * of the dispatcher (due digests, then every due delivery).
 */
export async function runAlerts(io: CliIo, options: GlobalOptions, action: string | undefined, filter: AlertsOptions): Promise<number> {
  if (action !== undefined && action !== 'list' && action !== 'dispatch') {
    throw new DriftError('USAGE', `alerts: expected "list" or "dispatch", found "${action}"`);
  }
  if (action === 'dispatch') return dispatch(io, options);
  if (filter.status !== undefined && !STATES.includes(filter.status as AlertState)) {
    throw new DriftError('USAGE', `--status: expected one of ${STATES.join(', ')}, found "${filter.status}"`);
  }
  const limit = filter.limit === undefined ? 50 : Number(filter.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new DriftError('USAGE', `--limit: expected a positive whole number, found "${filter.limit}"`);
  const { detector } = await openDetector(io, options);
  try {
    const alerts = (await detector.store.listAlerts({
      limit,
      ...(filter.status !== undefined ? { state: filter.status as AlertState } : {}),
      ...(filter.source !== undefined ? { source: filter.source } : {}),
    })).reverse();
    writeReport(io, options, { version: 1, alerts: alerts.map(alertDocument) }, (paint) =>
      alerts.length === 0 ? `no alerts${filter.status ? ` ${filter.status}` : ''} recorded\n` : alerts.map((a) => alertLines(paint, a)).join('\n') + '\n');
    return 0;
  } finally {
    await detector.close();
  }
}

async function dispatch(io: CliIo, options: GlobalOptions): Promise<number> {
  const { detector } = await openDetector(io, options);
  try {
    const dispatcher = createDispatcher({
      store: detector.store, alerts: detector.config.alerts, env: io.env,
      // One JSON document on stdout with --format json: the stdout receiver moves to stderr.
      stdout: options.format === 'json' ? io.stderr : io.stdout,
    });
    const report = await dispatcher.runOnce();
    writeReport(io, options, { version: 1, receivers: dispatcher.receivers, ...report }, () =>
      dispatcher.receivers.length === 0
        ? 'no receivers configured (alerts.notify): nothing to deliver\n'
        : `delivered ${report.sent}, to retry ${report.retried}, failed ${report.failed}, digests ${report.digests}\n`);
    return report.failed > 0 || report.retried > 0 ? 2 : 0;
  } finally {
    await detector.close();
  }
}

function alertDocument(a: AlertHistoryEntry) {
  return {
    id: a.id, kind: a.kind, state: a.state, reason: a.reason, severity: a.severity, host: a.host, source: a.source,
    decidedAt: new Date(a.decidedAt).toISOString(), digestId: a.digestId, receiver: a.receiver,
    changes: a.items.map((i) => {
      // Values as their one-line text: exact whatever their size, and already masked.
      const { before: _b, after: _a, ...change } = JSON.parse(i.detail) as AlertChange;
      return change;
    }),
    digest: a.digest ? { ...a.digest, since: new Date(a.digest.since).toISOString(), until: new Date(a.digest.until).toISOString() } : null,
    deliveries: a.deliveries.map((d) => ({
      receiver: d.receiver, status: d.status, reason: d.reason, failures: d.failures, idempotencyKey: d.idempotencyKey,
      sentAt: d.sentAt === null ? null : new Date(d.sentAt).toISOString(),
      nextAttemptAt: d.status === 'pending' ? new Date(d.nextAttemptAt).toISOString() : null,
    })),
  };
}

function alertLines(paint: Paint, a: AlertHistoryEntry): string {
  const when = new Date(a.decidedAt).toISOString().slice(0, 19).replace('T', ' ');
  const where = a.source === null ? (a.kind === 'digest' ? 'several sources' : '(source not recorded)') : `${a.source}${a.host ? ` on ${a.host}` : ''}`;
  const what = a.kind === 'digest' && a.digest
    ? `digest: ${plural(a.digest.alerts, 'alert')} held back (${plural(a.digest.changes, 'change')})${a.receiver ? `, for ${a.receiver}` : ''}`
    : plural(a.items.length, 'change');
  const state = a.state === 'suppressed'
    ? `suppressed (${a.reason === 'rate_limited' ? 'hourly limit' : a.reason}${a.digestId !== null ? `, in digest #${a.digestId}` : ', digest to come'})`
    : a.state;
  const head = `#${a.id}  ${when}  ${paintSeverity(paint, a.severity)} ${where}  ${what}  ${paint(a.state === 'failed' ? 'red' : a.state === 'pending' ? 'yellow' : 'reset', state)}`;
  const deliveries = a.deliveries.map((d) => {
    const detail = d.status === 'pending'
      ? `pending${d.failures ? `, ${d.failures} failed attempt${d.failures === 1 ? '' : 's'} (${d.reason}), next ${new Date(d.nextAttemptAt).toISOString().slice(11, 19)}` : ''}`
      : d.status === 'failed' ? `failed after ${d.failures} attempts: ${d.reason}` : d.status === 'suppressed' ? `suppressed (${d.reason})` : 'sent';
    return `      ${d.receiver}: ${detail}`;
  });
  return [head, ...deliveries].join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
