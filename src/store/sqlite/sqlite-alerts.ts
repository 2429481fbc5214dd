/**
 * The alert outbox in SQLite: decisions, held-back alerts, digests and
 * deliveries. Every function runs inside the caller's immediate transaction
 * (SqliteStore#write), so what it reads is what it writes against: the hour's
 * count and the cooldowns cannot change between the decision and its rows.
 * The policy itself is src/alerts/policy.ts; this file only reads its inputs
 * and writes its answer.
 */
import { addAlert, emptyCounts, finish, mergeCounts } from '../../alerts/digest-counts.js';
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { DriftType, Severity } from '../../core/change.js';
import { decideGroup, digestDue, HOUR_MS, maxSeverity, receiverVerdict } from '../../alerts/policy.js';
import type {
  AlertDecision, AlertDecisionInput, AlertFilter, AlertGroupDecision, AlertGroupInput, AlertHistoryEntry, AlertItemInput, AlertItemRecord,
  AlertReason, AlertRecord, AlertState, ClaimedDelivery, ClaimInput, DecidedAlert, DeliveryRecord, DeliveryStatus, DigestCounts, DigestInput,
  DigestRecord, FinishDeliveryInput, ReceiverLimit,
} from '../store.js';

type Db = Database.Database;

interface AlertRow {
  id: number;
  kind: 'alert' | 'digest';
  host: string | null;
  source: string | null;
  severity: Severity;
  decided_at: number;
  held: number;
  reason: AlertReason;
  counted: number;
  due_at: number | null;
  digest_id: number | null;
  receiver: string | null;
  summary: string | null;
}

interface DeliveryRow {
  id: number;
  alert_id: number;
  receiver: string;
  idempotency_key: string;
  status: DeliveryStatus;
  reason: string | null;
  created_at: number;
  failures: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  sent_at: number | null;
  digest_id: number | null;
}

interface ItemRow {
  alert_id: number;
  seq: number;
  event_id: number | null;
  key: string;
  severity: Severity;
  type: DriftType;
  detected_at: number;
  detail: string;
}

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
export function decideAlertsSql(db: Db, input: AlertGroupInput): AlertGroupDecision {
  let items = [...input.items];
  const before = items.length;
  if (input.onlyNew) {
    const seen = db.prepare(`SELECT 1 FROM alert_items WHERE event_id = ? LIMIT 1`).pluck();
    const offered = new Set<number>();
    items = items.filter((item) => {
      if (item.eventId === null) return true;
      if (offered.has(item.eventId) || seen.get(item.eventId) !== undefined) return false;
      offered.add(item.eventId);
      return true;
    });
  }
  const alerts = decide(db, input, items.map((item) => ({ key: item.key, item })));
  return { alerts, skipped: before - items.length };
}

/** Store#decideAlert: one key, one decision; with `alert`, the outbox rows too. */
export function decideAlertSql(db: Db, input: AlertDecisionInput): AlertDecision {
  const extra = input.alert;
  const header: Header = {
    host: extra?.host ?? null, source: extra?.source ?? null, now: input.now,
    cooldownMs: input.cooldownMs, maxPerHour: input.maxPerHour, receivers: extra?.receivers ?? [],
  };
  const item = extra ? { ...extra.item, key: input.key } : null;
  const [decided] = decide(db, header, [{ key: input.key, item }]);
  const reason = decided!.reason === 'digest' ? 'sent' : decided!.reason;
  return { send: decided!.send, reason, id: decided!.id };
}

function decide(db: Db, header: Header, offers: Offer[]): DecidedAlert[] {
  if (offers.length === 0) return [];
  const { now } = header;
  const lastSentOf = db.prepare(`SELECT sent_at FROM alert_cooldowns WHERE key = ?`).pluck();
  const lastSent = new Map<string, number>();
  for (const key of new Set(offers.map((o) => o.key))) {
    const at = lastSentOf.get(key) as number | undefined;
    if (at !== undefined) lastSent.set(key, at);
  }
  const verdict = decideGroup(offers, { sentInHour: sentInHour(db, now), lastSent }, header, now);
  const out: DecidedAlert[] = [];
  if (verdict.fresh.length > 0) {
    const send = verdict.freshReason === 'sent';
    const id = insertAlert(db, {
      kind: 'alert', host: header.host, source: header.source, severity: severityOf(verdict.fresh), decidedAt: now,
      held: !send, reason: verdict.freshReason, counted: send, dueAt: send ? null : now, receiver: null, summary: null,
    });
    insertItems(db, id, verdict.fresh);
    let deliveries = 0;
    if (send) {
      const cool = db.prepare(`INSERT INTO alert_cooldowns (key, sent_at) VALUES (?, ?)
        ON CONFLICT (key) DO UPDATE SET sent_at = max(sent_at, excluded.sent_at)`);
      for (const key of new Set(verdict.fresh.map((o) => o.key))) cool.run(key, now);
      deliveries = queueDeliveries(db, id, severityOf(verdict.fresh), header.receivers, now);
    }
    out.push({ id, reason: verdict.freshReason, send, items: countItems(verdict.fresh), deliveries });
  }
  if (verdict.cooling.length > 0) {
    const id = insertAlert(db, {
      kind: 'alert', host: header.host, source: header.source, severity: severityOf(verdict.cooling), decidedAt: now,
      held: true, reason: 'cooldown', counted: false, dueAt: verdict.coolingEndsAt, receiver: null, summary: null,
    });
    insertItems(db, id, verdict.cooling);
    out.push({ id, reason: 'cooldown', send: false, items: countItems(verdict.cooling), deliveries: 0 });
  }
  return out;
}

/** Store#flushDigests. */
export function flushDigestsSql(db: Db, input: DigestInput): DigestRecord[] {
  const { now } = input;
  const out: DigestRecord[] = [];
  const held = db.prepare(`SELECT * FROM alerts WHERE held = 1 AND digest_id IS NULL ORDER BY id`).all() as AlertRow[];
  const dueHeldBack = held.filter((a) => (a.due_at ?? 0) <= now).length;
  if (digestDue({ dueHeldBack, sentInHour: sentInHour(db, now) }, input.maxPerHour)) {
    const counts = emptyCounts(now);
    for (const alert of held) addAlert(counts, alert, itemCount(db, alert.id), 1);
    const only = counts.sources.size === 1 ? [...counts.sources.values()][0]! : null;
    const severity = maxSeverity(held.map((a) => a.severity));
    const id = insertAlert(db, {
      kind: 'digest', host: only?.host ?? null, source: only?.source ?? null, severity, decidedAt: now,
      held: false, reason: 'digest', counted: true, dueAt: null, receiver: null, summary: JSON.stringify(finish(counts)),
    });
    const mark = db.prepare(`UPDATE alerts SET digest_id = ? WHERE id = ?`);
    for (const alert of held) mark.run(id, alert.id);
    out.push({ id, receiver: null, counts: finish(counts), deliveries: queueDeliveries(db, id, severity, input.receivers, now) });
  }
  for (const receiver of input.receivers) {
    if (receiver.maxPerHour === null) continue;
    const rows = db.prepare(`SELECT d.id AS delivery_id, a.* FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
      WHERE d.receiver = ? AND d.status = 'suppressed' AND d.digest_id IS NULL ORDER BY d.id`).all(receiver.name) as (AlertRow & { delivery_id: number })[];
    if (rows.length === 0 || receiverSentInHour(db, receiver.name, now) >= receiver.maxPerHour) continue;
    const counts = emptyCounts(now);
    for (const alert of rows) {
      if (alert.kind === 'digest' && alert.summary !== null) mergeCounts(counts, JSON.parse(alert.summary) as DigestCounts);
      else addAlert(counts, alert, itemCount(db, alert.id), 1, 'receiver_rate_limited');
    }
    const only = counts.sources.size === 1 ? [...counts.sources.values()][0]! : null;
    const severity = maxSeverity(rows.map((a) => a.severity));
    const id = insertAlert(db, {
      kind: 'digest', host: only?.host ?? null, source: only?.source ?? null, severity, decidedAt: now,
      held: false, reason: 'digest', counted: false, dueAt: null, receiver: receiver.name, summary: JSON.stringify(finish(counts)),
    });
    const mark = db.prepare(`UPDATE alert_deliveries SET digest_id = ? WHERE id = ?`);
    for (const row of rows) mark.run(id, row.delivery_id);
    insertDelivery(db, id, receiver.name, 'pending', null, now);
    out.push({ id, receiver: receiver.name, counts: finish(counts), deliveries: 1 });
  }
  return out;
}

/** Store#claimDeliveries. */
export function claimDeliveriesSql(db: Db, input: ClaimInput): ClaimedDelivery[] {
  if (input.receivers.length === 0 || input.limit <= 0) return [];
  const rows = db.prepare(`SELECT * FROM alert_deliveries
    WHERE status = 'pending' AND receiver IN (${input.receivers.map(() => '?').join(', ')})
      AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
    ORDER BY id LIMIT ?`).all(...input.receivers, input.now, input.now, input.limit) as DeliveryRow[];
  const lease = db.prepare(`UPDATE alert_deliveries SET lease_owner = ?, lease_until = ? WHERE id = ?`);
  const alerts = new Map<number, AlertRecord>();
  return rows.map((row) => {
    lease.run(input.owner, input.now + input.leaseMs, row.id);
    let alert = alerts.get(row.alert_id);
    if (!alert) {
      alert = readAlert(db, row.alert_id);
      alerts.set(row.alert_id, alert);
    }
    return {
      id: row.id, alertId: row.alert_id, receiver: row.receiver, idempotencyKey: row.idempotency_key,
      failures: row.failures, createdAt: row.created_at, alert,
    };
  });
}

/** Store#finishDelivery. */
export function finishDeliverySql(db: Db, input: FinishDeliveryInput): boolean {
  const free = `lease_owner = NULL, lease_until = NULL`;
  switch (input.outcome) {
    case 'sent':
      // It went out: record it whoever holds the lease now, so nobody sends it again.
      return db.prepare(`UPDATE alert_deliveries SET status = 'sent', sent_at = ?, reason = NULL, ${free} WHERE id = ? AND status = 'pending'`)
        .run(input.now, input.id).changes > 0;
    case 'retry':
      return db.prepare(`UPDATE alert_deliveries SET failures = failures + 1, reason = ?, next_attempt_at = ?, ${free}
        WHERE id = ? AND status = 'pending' AND lease_owner = ?`).run(input.error, input.nextAttemptAt, input.id, input.owner).changes > 0;
    case 'failed':
      return db.prepare(`UPDATE alert_deliveries SET status = 'failed', failures = failures + 1, reason = ?, ${free}
        WHERE id = ? AND status = 'pending' AND lease_owner = ?`).run(input.error, input.id, input.owner).changes > 0;
    case 'release':
      return db.prepare(`UPDATE alert_deliveries SET ${free} WHERE id = ? AND status = 'pending' AND lease_owner = ?`)
        .run(input.id, input.owner).changes > 0;
  }
}

const STATE_SQL = `CASE
  WHEN a.held = 1 THEN 'suppressed'
  WHEN EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = a.id AND d.status = 'pending') THEN 'pending'
  WHEN EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = a.id AND d.status = 'failed') THEN 'failed'
  ELSE 'sent' END`;

/** Store#listAlerts. */
export function listAlertsSql(db: Db, filter: AlertFilter): AlertHistoryEntry[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.state !== undefined) { where.push('state = ?'); args.push(filter.state); }
  if (filter.source !== undefined) { where.push('source = ?'); args.push(filter.source); }
  const rows = db.prepare(`SELECT * FROM (SELECT a.*, ${STATE_SQL} AS state FROM alerts a)
    ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`).all(...args, filter.limit ?? 100) as (AlertRow & { state: AlertState })[];
  const deliveries = db.prepare(`SELECT * FROM alert_deliveries WHERE alert_id = ? ORDER BY id`);
  return rows.map((row) => ({
    ...toAlert(row, readItems(db, row.id)),
    state: row.state,
    deliveries: (deliveries.all(row.id) as DeliveryRow[]).map(toDelivery),
  }));
}

/** Store#pruneAlerts. */
export function pruneAlertsSql(db: Db, before: number): number {
  const removed = db.prepare(`DELETE FROM alerts WHERE decided_at < ?
    AND NOT (held = 1 AND digest_id IS NULL)
    AND NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = alerts.id
      AND (d.status = 'pending' OR (d.status = 'suppressed' AND d.digest_id IS NULL)))`).run(before).changes;
  db.prepare(`DELETE FROM alert_cooldowns WHERE sent_at < ?`).run(before);
  return removed;
}

function sentInHour(db: Db, now: number): number {
  return db.prepare(`SELECT count(*) FROM alerts WHERE counted = 1 AND decided_at > ?`).pluck().get(now - HOUR_MS) as number;
}

function receiverSentInHour(db: Db, receiver: string, now: number): number {
  return db.prepare(`SELECT count(*) FROM alert_deliveries WHERE receiver = ? AND created_at > ? AND status != 'suppressed'`).pluck()
    .get(receiver, now - HOUR_MS) as number;
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

function insertAlert(db: Db, a: NewAlert): number {
  const { lastInsertRowid } = db.prepare(`INSERT INTO alerts (kind, host, source, severity, decided_at, held, reason, counted, due_at, receiver, summary)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(a.kind, a.host, a.source, a.severity, a.decidedAt, a.held ? 1 : 0, a.reason, a.counted ? 1 : 0, a.dueAt, a.receiver, a.summary);
  return Number(lastInsertRowid);
}

function insertItems(db: Db, alertId: number, offers: readonly Offer[]): void {
  const put = db.prepare(`INSERT INTO alert_items (alert_id, seq, event_id, key, severity, type, detected_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  let seq = 0;
  for (const { item } of offers) {
    if (item) put.run(alertId, seq++, item.eventId, item.key, item.severity, item.type, item.detectedAt, item.detail);
  }
}

/** A pending delivery for each receiver that takes an alert of this severity; suppressed past its own limit. */
function queueDeliveries(db: Db, alertId: number, severity: Severity, receivers: readonly ReceiverLimit[], now: number): number {
  let queued = 0;
  for (const receiver of receivers) {
    const verdict = receiverVerdict(severity, { ...receiver, sentInHour: receiver.maxPerHour === null ? 0 : receiverSentInHour(db, receiver.name, now) });
    if (verdict === 'skip') continue;
    insertDelivery(db, alertId, receiver.name, verdict === 'deliver' ? 'pending' : 'suppressed', verdict === 'deliver' ? null : 'receiver_rate_limited', now);
    if (verdict === 'deliver') queued++;
  }
  return queued;
}

function insertDelivery(db: Db, alertId: number, receiver: string, status: DeliveryStatus, reason: string | null, now: number): void {
  // Random, stored once: the same key for every retry and after any crash, unique across stores.
  db.prepare(`INSERT INTO alert_deliveries (alert_id, receiver, idempotency_key, status, reason, created_at, next_attempt_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`).run(alertId, receiver, `dw-${alertId}-${randomUUID()}`, status, reason, now, now);
}

function severityOf(offers: readonly Offer[]): Severity {
  const known = offers.flatMap((o) => (o.item ? [o.item.severity] : []));
  return known.length ? maxSeverity(known) : 'low';
}

function countItems(offers: readonly Offer[]): number {
  return offers.filter((o) => o.item !== null).length;
}

function itemCount(db: Db, alertId: number): number {
  return db.prepare(`SELECT count(*) FROM alert_items WHERE alert_id = ?`).pluck().get(alertId) as number;
}

function readItems(db: Db, alertId: number): AlertItemRecord[] {
  return (db.prepare(`SELECT * FROM alert_items WHERE alert_id = ? ORDER BY seq`).all(alertId) as ItemRow[]).map((r) => ({
    eventId: r.event_id, key: r.key, severity: r.severity, type: r.type, detectedAt: r.detected_at, detail: r.detail,
  }));
}

function readAlert(db: Db, id: number): AlertRecord {
  return toAlert(db.prepare(`SELECT * FROM alerts WHERE id = ?`).get(id) as AlertRow, readItems(db, id));
}

function toAlert(row: AlertRow, items: AlertItemRecord[]): AlertRecord {
  return {
    id: row.id, kind: row.kind, host: row.host, source: row.source, severity: row.severity, decidedAt: row.decided_at,
    reason: row.reason, suppressed: row.held === 1, digestId: row.digest_id, receiver: row.receiver, items,
    digest: row.summary === null ? null : JSON.parse(row.summary) as DigestCounts,
  };
}

function toDelivery(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id, receiver: row.receiver, status: row.status, reason: row.reason, failures: row.failures, createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at, sentAt: row.sent_at, idempotencyKey: row.idempotency_key, digestId: row.digest_id,
  };
}
