/**
 * Alert decisions and digests in PostgreSQL. Every function here runs in a
 * transaction that first takes the `alerts` advisory lock (see
 * PostgresStore), so what it reads (the hour's count, the cooldowns, what
 * waits for a digest) cannot change before its rows are written: maxPerHour
 * holds exactly across every host writing to the store. The policy itself is
 * src/alerts/policy.ts; this file reads its inputs and writes its answer.
 */
import { randomUUID } from 'node:crypto';
import type { Severity } from '../../core/change.js';
import { decideGroup, digestDue, HOUR_MS, maxSeverity, receiverVerdict } from '../../alerts/policy.js';
import type {
  AlertDecision, AlertDecisionInput, AlertGroupDecision, AlertGroupInput, AlertItemInput, AlertReason, DecidedAlert, DeliveryStatus,
  DigestCounts, DigestInput, DigestRecord, ReceiverLimit,
} from '../store.js';
import { addAlert, emptyCounts, finish, mergeCounts, onlySource } from './digest-counts.js';
import type { AlertRow } from './postgres-deliveries.js';
import type { Client } from './with-transaction.js';

/** One entry offered to a decision: its cooldown key, and the change it stands for when known. */
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
export async function decideAlertsPg(c: Client, input: AlertGroupInput): Promise<AlertGroupDecision> {
  let items = [...input.items];
  const before = items.length;
  if (input.onlyNew) {
    const ids = [...new Set(items.flatMap((item) => (item.eventId === null ? [] : [item.eventId])))];
    const seen = new Set(ids.length === 0 ? [] : (await c.query<{ event_id: number }>(
      `SELECT DISTINCT event_id FROM alert_items WHERE event_id = ANY($1::bigint[])`, [ids])).rows.map((r) => r.event_id));
    items = items.filter((item) => {
      if (item.eventId === null) return true;
      if (seen.has(item.eventId)) return false;
      seen.add(item.eventId);
      return true;
    });
  }
  const alerts = await decide(c, input, items.map((item) => ({ key: item.key, item })));
  return { alerts, skipped: before - items.length };
}

/** Store#decideAlert: one key, one decision; with `alert`, the outbox rows too. */
export async function decideAlertPg(c: Client, input: AlertDecisionInput): Promise<AlertDecision> {
  const extra = input.alert;
  const header: Header = {
    host: extra?.host ?? null, source: extra?.source ?? null, now: input.now,
    cooldownMs: input.cooldownMs, maxPerHour: input.maxPerHour, receivers: extra?.receivers ?? [],
  };
  const item = extra ? { ...extra.item, key: input.key } : null;
  const [decided] = await decide(c, header, [{ key: input.key, item }]);
  const reason = decided!.reason === 'digest' ? 'sent' : decided!.reason;
  return { send: decided!.send, reason, id: decided!.id };
}

async function decide(c: Client, header: Header, offers: Offer[]): Promise<DecidedAlert[]> {
  if (offers.length === 0) return [];
  const { now } = header;
  const keys = [...new Set(offers.map((o) => o.key))];
  const lastSent = new Map((await c.query<{ key: string; sent_at: number }>(`SELECT key, sent_at FROM alert_cooldowns WHERE key = ANY($1::text[])`, [keys]))
    .rows.map((r) => [r.key, r.sent_at]));
  const verdict = decideGroup(offers, { sentInHour: await sentInHour(c, now), lastSent }, header, now);
  const out: DecidedAlert[] = [];
  if (verdict.fresh.length > 0) {
    const send = verdict.freshReason === 'sent';
    const severity = severityOf(verdict.fresh);
    const id = await insertAlert(c, {
      kind: 'alert', host: header.host, source: header.source, severity, decidedAt: now,
      held: !send, reason: verdict.freshReason, counted: send, dueAt: send ? null : now, receiver: null, summary: null,
    });
    await insertItems(c, id, verdict.fresh);
    let deliveries = 0;
    if (send) {
      await c.query(`INSERT INTO alert_cooldowns (key, sent_at) SELECT k, $2 FROM unnest($1::text[]) AS k
        ON CONFLICT (key) DO UPDATE SET sent_at = GREATEST(alert_cooldowns.sent_at, excluded.sent_at)`, [[...new Set(verdict.fresh.map((o) => o.key))], now]);
      deliveries = await queueDeliveries(c, id, severity, header.receivers, now);
    }
    out.push({ id, reason: verdict.freshReason, send, items: countItems(verdict.fresh), deliveries });
  }
  if (verdict.cooling.length > 0) {
    const id = await insertAlert(c, {
      kind: 'alert', host: header.host, source: header.source, severity: severityOf(verdict.cooling), decidedAt: now,
      held: true, reason: 'cooldown', counted: false, dueAt: verdict.coolingEndsAt, receiver: null, summary: null,
    });
    await insertItems(c, id, verdict.cooling);
    out.push({ id, reason: 'cooldown', send: false, items: countItems(verdict.cooling), deliveries: 0 });
  }
  return out;
}

/** Store#flushDigests. */
export async function flushDigestsPg(c: Client, input: DigestInput): Promise<DigestRecord[]> {
  const { now } = input;
  const out: DigestRecord[] = [];
  const held = (await c.query<AlertRow & { item_count: number }>(`SELECT a.*, (SELECT count(*) FROM alert_items i WHERE i.alert_id = a.id) AS item_count
    FROM alerts a WHERE held AND digest_id IS NULL ORDER BY id`)).rows;
  const dueHeldBack = held.filter((a) => (a.due_at ?? 0) <= now).length;
  if (digestDue({ dueHeldBack, sentInHour: await sentInHour(c, now) }, input.maxPerHour)) {
    const counts = emptyCounts(now);
    for (const alert of held) addAlert(counts, alert, alert.item_count, 1);
    const only = onlySource(counts);
    const severity = maxSeverity(held.map((a) => a.severity));
    const summary = finish(counts);
    const id = await insertAlert(c, {
      kind: 'digest', host: only?.host ?? null, source: only?.source ?? null, severity, decidedAt: now,
      held: false, reason: 'digest', counted: true, dueAt: null, receiver: null, summary: JSON.stringify(summary),
    });
    await c.query(`UPDATE alerts SET digest_id = $1 WHERE id = ANY($2::bigint[])`, [id, held.map((a) => a.id)]);
    out.push({ id, receiver: null, counts: summary, deliveries: await queueDeliveries(c, id, severity, input.receivers, now) });
  }
  for (const receiver of input.receivers) {
    if (receiver.maxPerHour === null) continue;
    const rows = (await c.query<AlertRow & { delivery_id: number; item_count: number }>(`SELECT d.id AS delivery_id, a.*,
        (SELECT count(*) FROM alert_items i WHERE i.alert_id = a.id) AS item_count
      FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
      WHERE d.receiver = $1 AND d.status = 'suppressed' AND d.digest_id IS NULL ORDER BY d.id`, [receiver.name])).rows;
    if (rows.length === 0 || await receiverSentInHour(c, receiver.name, now) >= receiver.maxPerHour) continue;
    const counts = emptyCounts(now);
    for (const alert of rows) {
      if (alert.kind === 'digest' && alert.summary !== null) mergeCounts(counts, JSON.parse(alert.summary) as DigestCounts);
      else addAlert(counts, alert, alert.item_count, 1, 'receiver_rate_limited');
    }
    const only = onlySource(counts);
    const summary = finish(counts);
    const id = await insertAlert(c, {
      kind: 'digest', host: only?.host ?? null, source: only?.source ?? null, severity: maxSeverity(rows.map((a) => a.severity)), decidedAt: now,
      held: false, reason: 'digest', counted: false, dueAt: null, receiver: receiver.name, summary: JSON.stringify(summary),
    });
    await c.query(`UPDATE alert_deliveries SET digest_id = $1 WHERE id = ANY($2::bigint[])`, [id, rows.map((r) => r.delivery_id)]);
    await insertDelivery(c, id, receiver.name, 'pending', null, now);
    out.push({ id, receiver: receiver.name, counts: summary, deliveries: 1 });
  }
  return out;
}

async function sentInHour(c: Client, now: number): Promise<number> {
  return (await c.query<{ n: number }>(`SELECT count(*) AS n FROM alerts WHERE counted AND decided_at > $1`, [now - HOUR_MS])).rows[0]!.n;
}

async function receiverSentInHour(c: Client, receiver: string, now: number): Promise<number> {
  return (await c.query<{ n: number }>(`SELECT count(*) AS n FROM alert_deliveries WHERE receiver = $1 AND created_at > $2 AND status != 'suppressed'`,
    [receiver, now - HOUR_MS])).rows[0]!.n;
}

interface NewAlert {
  kind: 'alert' | 'digest';
  host: string | null;
  source: string | null;
  severity: Severity;
  decidedAt: number;
  held: boolean;
  reason: AlertReason;
  counted: boolean;
  dueAt: number | null;
  receiver: string | null;
  summary: string | null;
}

async function insertAlert(c: Client, a: NewAlert): Promise<number> {
  const { rows } = await c.query<{ id: number }>(`INSERT INTO alerts (kind, host, source, severity, decided_at, held, reason, counted, due_at, receiver, summary)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
  [a.kind, a.host, a.source, a.severity, a.decidedAt, a.held, a.reason, a.counted, a.dueAt, a.receiver, a.summary]);
  return rows[0]!.id;
}

async function insertItems(c: Client, alertId: number, offers: readonly Offer[]): Promise<void> {
  const items = offers.flatMap((o) => (o.item ? [o.item] : []));
  if (items.length === 0) return;
  await c.query(`INSERT INTO alert_items (alert_id, seq, event_id, key, severity, type, detected_at, detail)
    SELECT $1, n - 1, event_id, key, severity, type, detected_at, detail
    FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[]) WITH ORDINALITY AS i (event_id, key, severity, type, detected_at, detail, n)`,
  [alertId, items.map((i) => i.eventId), items.map((i) => i.key), items.map((i) => i.severity), items.map((i) => i.type), items.map((i) => i.detectedAt), items.map((i) => i.detail)]);
}

/** A pending delivery for each receiver that takes an alert of this severity; suppressed past its own limit. */
async function queueDeliveries(c: Client, alertId: number, severity: Severity, receivers: readonly ReceiverLimit[], now: number): Promise<number> {
  let queued = 0;
  for (const receiver of receivers) {
    const sent = receiver.maxPerHour === null ? 0 : await receiverSentInHour(c, receiver.name, now);
    const verdict = receiverVerdict(severity, { ...receiver, sentInHour: sent });
    if (verdict === 'skip') continue;
    await insertDelivery(c, alertId, receiver.name, verdict === 'deliver' ? 'pending' : 'suppressed', verdict === 'deliver' ? null : 'receiver_rate_limited', now);
    if (verdict === 'deliver') queued++;
  }
  return queued;
}

async function insertDelivery(c: Client, alertId: number, receiver: string, status: DeliveryStatus, reason: string | null, now: number): Promise<void> {
  // Random, stored once: the same key for every retry and after any crash, unique across stores.
  await c.query(`INSERT INTO alert_deliveries (alert_id, receiver, idempotency_key, status, reason, created_at, next_attempt_at)
    VALUES ($1, $2, $3, $4, $5, $6, $6)`, [alertId, receiver, `dw-${alertId}-${randomUUID()}`, status, reason, now]);
}

function severityOf(offers: readonly Offer[]): Severity {
  const known = offers.flatMap((o) => (o.item ? [o.item.severity] : []));
  return known.length ? maxSeverity(known) : 'low';
}

function countItems(offers: readonly Offer[]): number {
  return offers.filter((o) => o.item !== null).length;
}
