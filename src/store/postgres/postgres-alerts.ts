/**
 * Alert decisions and digests in PostgreSQL. All of it runs under the
 * `alerts` advisory lock (PostgresStore): what a decision reads (the hour's
 * count, the cooldowns, what waits for a digest) cannot change before its
 * rows are written, so maxPerHour holds exactly across every host writing to
 * the store. Decisions are plans: the decisions a process has queued are
 * decided together in one transaction (batchDecision), in call order, each
 * against the state the ones before it left, which is exactly what deciding
 * them one after another would give, for one lock wait instead of many.
 * The policy itself is src/alerts/policy.ts.
 */
import type { Severity } from '../../core/change.js';
import { decideGroup, digestDue, maxSeverity, receiverVerdict } from '../../alerts/policy.js';
import type {
  AlertDecision, AlertDecisionInput, AlertGroupDecision, AlertGroupInput, AlertItemInput, DecidedAlert, DigestCounts, DigestInput, DigestRecord,
  ReceiverLimit,
} from '../store.js';
import { insertAlertSql, type NewDelivery } from './alert-rows-sql.js';
import { alertStateSql, AlertState, type AlertNeeds } from './alert-state.js';
import { addAlert, emptyCounts, finish, mergeCounts, onlySource } from '../../alerts/digest-counts.js';
import type { Decision } from './locked-statements.js';
import type { AlertRow } from './postgres-deliveries.js';
import type { Client } from './with-transaction.js';

/** One decision: what it reads, and, given the state, the statements that record it and its answer once they ran. */
export interface AlertPlan<T> {
  needs: AlertNeeds;
  apply(state: AlertState): { write: string[]; answer(ids: (number | undefined)[]): T };
}

/** Decides `plans` in one transaction, in order, against one state read once. */
export function batchDecision(plans: readonly AlertPlan<unknown>[]): Decision<unknown[]> {
  return {
    read: alertStateSql(plans.map((p) => p.needs)),
    decide(row) {
      const state = new AlertState(row);
      const applied = plans.map((p) => p.apply(state));
      return {
        write: applied.flatMap((a) => a.write),
        answer(ids) {
          let at = 0;
          return applied.map((a) => a.answer(ids.slice(at, (at += a.write.length))));
        },
      };
    },
  };
}

interface Offer {
  key: string;
  item: AlertItemInput | null;
}

interface Header {
  host: string | null;
  source: string | null;
  now: number;
  cooldownMs: number;
  maxPerHour: number;
  receivers: readonly ReceiverLimit[];
}

/** Store#decideAlerts. */
export function decideAlertsPlan(input: AlertGroupInput): AlertPlan<AlertGroupDecision> {
  return {
    needs: {
      now: input.now, keys: input.items.map((i) => i.key), receivers: limited(input.receivers),
      eventIds: input.onlyNew ? input.items.flatMap((i) => (i.eventId === null ? [] : [i.eventId])) : [],
    },
    apply(state) {
      // onlyNew: an event decided before, or offered twice, is skipped.
      const items = input.onlyNew ? input.items.filter((i) => i.eventId === null || state.offerEvent(i.eventId)) : [...input.items];
      const plan = planAlerts(state, input, items.map((item) => ({ key: item.key, item })));
      return { write: plan.write, answer: (ids) => ({ alerts: plan.answer(ids), skipped: input.items.length - items.length }) };
    },
  };
}

/** Store#decideAlert: one key, one decision; with `alert`, the outbox rows too. */
export function decideAlertPlan(input: AlertDecisionInput): AlertPlan<AlertDecision> {
  const extra = input.alert;
  const header: Header = {
    host: extra?.host ?? null, source: extra?.source ?? null, now: input.now,
    cooldownMs: input.cooldownMs, maxPerHour: input.maxPerHour, receivers: extra?.receivers ?? [],
  };
  const item = extra ? { ...extra.item, key: input.key } : null;
  return {
    needs: { now: input.now, keys: [input.key], eventIds: [], receivers: limited(header.receivers) },
    apply(state) {
      const plan = planAlerts(state, header, [{ key: input.key, item }]);
      return {
        write: plan.write,
        answer(ids) {
          const [decided] = plan.answer(ids);
          return { send: decided!.send, reason: decided!.reason === 'digest' ? 'sent' : decided!.reason, id: decided!.id };
        },
      };
    },
  };
}

/** The policy's verdict on `offers`: the statements that record it (and what it changes in `state`), and the answer once they ran. */
function planAlerts(state: AlertState, header: Header, offers: Offer[]): { write: string[]; answer(ids: (number | undefined)[]): DecidedAlert[] } {
  if (offers.length === 0) return { write: [], answer: () => [] };
  const { now } = header;
  const verdict = decideGroup(offers, { sentInHour: state.sentInHour(now), lastSent: state.lastSent() }, header, now);
  const write: string[] = [];
  const decided: Omit<DecidedAlert, 'id'>[] = [];
  const alert = { kind: 'alert' as const, host: header.host, source: header.source, decidedAt: now, receiver: null, summary: null };
  if (verdict.fresh.length > 0) {
    const send = verdict.freshReason === 'sent';
    const severity = severityOf(verdict.fresh);
    const keys = send ? [...new Set(verdict.fresh.map((o) => o.key))] : [];
    if (send) state.addCounted(now, keys);
    const deliveries = send ? deliveriesFor(severity, header.receivers, state, now) : [];
    write.push(insertAlertSql({ ...alert, severity, held: !send, reason: verdict.freshReason, counted: send, dueAt: send ? null : now }, {
      items: itemsOf(verdict.fresh), cooldownKeys: keys, deliveries,
    }));
    decided.push({ reason: verdict.freshReason, send, items: countItems(verdict.fresh), deliveries: deliveries.filter((d) => d.status === 'pending').length });
  }
  if (verdict.cooling.length > 0) {
    write.push(insertAlertSql({
      ...alert, severity: severityOf(verdict.cooling), held: true, reason: 'cooldown', counted: false, dueAt: verdict.coolingEndsAt,
    }, { items: itemsOf(verdict.cooling) }));
    decided.push({ reason: 'cooldown', send: false, items: countItems(verdict.cooling), deliveries: 0 });
  }
  return { write, answer: (ids) => decided.map((d, i) => ({ id: ids[i]!, ...d })) };
}

/** A delivery for each receiver that takes an alert of this severity: pending, or suppressed past its own limit. */
function deliveriesFor(severity: Severity, receivers: readonly ReceiverLimit[], state: AlertState, now: number): NewDelivery[] {
  const out: NewDelivery[] = [];
  for (const receiver of receivers) {
    const sent = receiver.maxPerHour === null ? 0 : state.receiverSentInHour(receiver.name, now);
    const verdict = receiverVerdict(severity, { ...receiver, sentInHour: sent });
    if (verdict === 'skip') continue;
    if (verdict === 'deliver') state.addDelivery(receiver.name, now);
    out.push(verdict === 'deliver' ? { receiver: receiver.name, status: 'pending', reason: null } : { receiver: receiver.name, status: 'suppressed', reason: 'receiver_rate_limited' });
  }
  return out;
}

/** Store#flushDigests, in a transaction holding the `alerts` lock. */
export async function flushDigestsPg(c: Client, input: DigestInput): Promise<DigestRecord[]> {
  const { now } = input;
  const out: DigestRecord[] = [];
  const state = new AlertState((await c.query(alertStateSql([{ now, keys: [], eventIds: [], receivers: limited(input.receivers) }]))).rows[0] ?? {});
  const held = (await c.query<AlertRow & { item_count: number }>(`SELECT a.*, (SELECT count(*) FROM alert_items i WHERE i.alert_id = a.id) AS item_count
    FROM alerts a WHERE held AND digest_id IS NULL ORDER BY id`)).rows;
  const dueHeldBack = held.filter((a) => (a.due_at ?? 0) <= now).length;
  if (digestDue({ dueHeldBack, sentInHour: state.sentInHour(now) }, input.maxPerHour)) {
    const counts = emptyCounts(now);
    for (const alert of held) addAlert(counts, alert, alert.item_count, 1);
    const only = onlySource(counts);
    const severity = maxSeverity(held.map((a) => a.severity));
    const summary = finish(counts);
    const deliveries = deliveriesFor(severity, input.receivers, state, now);
    const { rows: [row] } = await c.query<{ id: number }>(insertAlertSql({
      kind: 'digest', host: only?.host ?? null, source: only?.source ?? null, severity, decidedAt: now,
      held: false, reason: 'digest', counted: true, dueAt: null, receiver: null, summary: JSON.stringify(summary),
    }, { deliveries, countsAlerts: held.map((a) => a.id) }));
    out.push({ id: row!.id, receiver: null, counts: summary, deliveries: deliveries.filter((d) => d.status === 'pending').length });
  }
  for (const receiver of input.receivers) {
    if (receiver.maxPerHour === null) continue;
    const rows = (await c.query<AlertRow & { delivery_id: number; item_count: number }>(`SELECT d.id AS delivery_id, a.*,
        (SELECT count(*) FROM alert_items i WHERE i.alert_id = a.id) AS item_count
      FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
      WHERE d.receiver = $1 AND d.status = 'suppressed' AND d.digest_id IS NULL ORDER BY d.id`, [receiver.name])).rows;
    if (rows.length === 0 || state.receiverSentInHour(receiver.name, now) >= receiver.maxPerHour) continue;
    const counts = emptyCounts(now);
    for (const alert of rows) {
      if (alert.kind === 'digest' && alert.summary !== null) mergeCounts(counts, JSON.parse(alert.summary) as DigestCounts);
      else addAlert(counts, alert, alert.item_count, 1, 'receiver_rate_limited');
    }
    const only = onlySource(counts);
    const summary = finish(counts);
    const { rows: [row] } = await c.query<{ id: number }>(insertAlertSql({
      kind: 'digest', host: only?.host ?? null, source: only?.source ?? null, severity: maxSeverity(rows.map((a) => a.severity)), decidedAt: now,
      held: false, reason: 'digest', counted: false, dueAt: null, receiver: receiver.name, summary: JSON.stringify(summary),
    }, { deliveries: [{ receiver: receiver.name, status: 'pending', reason: null }], countsDeliveries: rows.map((r) => r.delivery_id) }));
    state.addDelivery(receiver.name, now);
    out.push({ id: row!.id, receiver: receiver.name, counts: summary, deliveries: 1 });
  }
  return out;
}

function limited(receivers: readonly ReceiverLimit[]): string[] {
  return receivers.filter((r) => r.maxPerHour !== null).map((r) => r.name);
}

function itemsOf(offers: readonly Offer[]): AlertItemInput[] {
  return offers.flatMap((o) => (o.item ? [o.item] : []));
}

function severityOf(offers: readonly Offer[]): Severity {
  const known = offers.flatMap((o) => (o.item ? [o.item.severity] : []));
  return known.length ? maxSeverity(known) : 'low';
}

function countItems(offers: readonly Offer[]): number {
  return offers.filter((o) => o.item !== null).length;
}
