import type { ResolvedAlertPolicy } from '../config/config-types.js';
import { severityRank } from '../core/change.js';
import type { AlertDecisionInput, AlertGroupDecision, DigestRecord, ReceiverLimit, Store } from '../store/store.js';
import { alertItem, type AlertableEvent } from './alert-item.js';

/** The receivers as decisions see them: names and limits only. */
export function receiverLimits(policy: ResolvedAlertPolicy): ReceiverLimit[] {
  return policy.receivers.map((r) => ({ name: r.name, minSeverity: r.minSeverity, maxPerHour: r.maxPerHour }));
}

/**
 * The decideAlert input for one event (shouldAlert): its cooldown key, the
 * limits, and the outbox rows to write in the same transaction when it goes out.
 *
 * @example const { send } = await store.decideAlert(alertDecisionInput(event, config.alerts, Date.now()));
 */
export function alertDecisionInput(event: AlertableEvent, policy: ResolvedAlertPolicy, now: number): AlertDecisionInput {
  const item = alertItem(event, policy.cooldownKey, now);
  return {
    key: item.key, eventId: event.id, now, cooldownMs: policy.cooldownMs, maxPerHour: policy.maxPerHour,
    alert: {
      host: event.host, source: event.source, receivers: receiverLimits(policy),
      item: { eventId: item.eventId, severity: item.severity, type: item.type, detectedAt: item.detectedAt, detail: item.detail },
    },
  };
}

/**
 * Decides the alert of one source's check: its changes at or above
 * minSeverity, not silenced and not decided before, become one alert (or are
 * held back for a digest). Null when nothing was offered.
 *
 * @example await enqueueAlerts(store, config.alerts, await detector.check('app'), Date.now());
 */
export async function enqueueAlerts(
  store: Store, policy: ResolvedAlertPolicy, report: { source: string; host: string; changes: readonly (AlertableEvent & { silenced?: unknown })[] }, now: number,
): Promise<AlertGroupDecision | null> {
  const min = severityRank(policy.minSeverity);
  const events = report.changes.filter((e) => severityRank(e.severity) >= min && e.silenced === undefined);
  if (events.length === 0) return null;
  return store.decideAlerts({
    host: report.host, source: report.source, now, cooldownMs: policy.cooldownMs, maxPerHour: policy.maxPerHour,
    items: events.map((e) => alertItem(e, policy.cooldownKey, now)), onlyNew: true, receivers: receiverLimits(policy),
  });
}

/** Creates the digests that are due (see Store#flushDigests). */
export function flushDigests(store: Store, policy: ResolvedAlertPolicy, now: number): Promise<DigestRecord[]> {
  return store.flushDigests({ now, maxPerHour: policy.maxPerHour, receivers: receiverLimits(policy) });
}
