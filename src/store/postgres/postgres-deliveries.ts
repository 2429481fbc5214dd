/**
 * The alert outbox's deliveries and history in PostgreSQL: claiming with
 * leases, recording outcomes, listing, pruning. Claims lock the rows they
 * take (FOR UPDATE SKIP LOCKED), so dispatchers on many hosts each get
 * different deliveries; outcomes are single guarded UPDATEs.
 */
import type { DriftType, Severity } from '../../core/change.js';
import type {
  AlertFilter, AlertHistoryEntry, AlertItemRecord, AlertReason, AlertRecord, AlertState, ClaimedDelivery, ClaimInput, DeliveryRecord, DeliveryStatus,
  DigestCounts, FinishDeliveryInput,
} from '../store.js';
import { sql } from './sql-literal.js';
import type { Client } from './with-transaction.js';

export interface AlertRow {
  id: number;
  kind: 'alert' | 'digest';
  host: string | null;
  source: string | null;
  severity: Severity;
  decided_at: number;
  held: boolean;
  reason: AlertReason;
  counted: boolean;
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
  event_id: number | null;
  key: string;
  severity: Severity;
  type: DriftType;
  detected_at: number;
  detail: string;
}

/**
 * Store#claimDeliveries, in the caller's transaction: the due rows are locked
 * as they are read, and rows another claimant holds are skipped, not waited
 * for; its lease is written before the locks go.
 */
export async function claimDeliveriesPg(c: Client, input: ClaimInput): Promise<ClaimedDelivery[]> {
  if (input.receivers.length === 0 || input.limit <= 0) return [];
  const { rows } = await c.query<DeliveryRow>(`SELECT * FROM alert_deliveries
    WHERE status = 'pending' AND receiver = ANY($1::text[]) AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
    ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`, [input.receivers, input.now, input.limit]);
  if (rows.length === 0) return [];
  await c.query(`UPDATE alert_deliveries SET lease_owner = $1, lease_until = $2 WHERE id = ANY($3::bigint[])`,
    [input.owner, input.now + input.leaseMs, rows.map((r) => r.id)]);
  const alerts = await readAlerts(c, [...new Set(rows.map((r) => r.alert_id))]);
  return rows.map((row) => ({
    id: row.id, alertId: row.alert_id, receiver: row.receiver, idempotencyKey: row.idempotency_key,
    failures: row.failures, createdAt: row.created_at, alert: alerts.get(row.alert_id)!,
  }));
}

/** Store#finishDelivery: one UPDATE, guarded by the status and the lease it expects. */
export async function finishDeliveryPg(c: Client, input: FinishDeliveryInput): Promise<boolean> {
  const free = `lease_owner = NULL, lease_until = NULL`;
  const changed = (sql: string, args: unknown[]) => c.query(sql, args).then((r) => (r.rowCount ?? 0) > 0);
  switch (input.outcome) {
    case 'sent':
      // It went out: record it whoever holds the lease now, so nobody sends it again.
      return changed(`UPDATE alert_deliveries SET status = 'sent', sent_at = $1, reason = NULL, ${free} WHERE id = $2 AND status = 'pending'`, [input.now, input.id]);
    case 'retry':
      return changed(`UPDATE alert_deliveries SET failures = failures + 1, reason = $1, next_attempt_at = $2, ${free}
        WHERE id = $3 AND status = 'pending' AND lease_owner = $4`, [input.error, input.nextAttemptAt, input.id, input.owner]);
    case 'failed':
      return changed(`UPDATE alert_deliveries SET status = 'failed', failures = failures + 1, reason = $1, ${free}
        WHERE id = $2 AND status = 'pending' AND lease_owner = $3`, [input.error, input.id, input.owner]);
    case 'release':
      return changed(`UPDATE alert_deliveries SET ${free} WHERE id = $1 AND status = 'pending' AND lease_owner = $2`, [input.id, input.owner]);
  }
}

const STATE_SQL = `CASE
  WHEN a.held THEN 'suppressed'
  WHEN EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = a.id AND d.status = 'pending') THEN 'pending'
  WHEN EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = a.id AND d.status = 'failed') THEN 'failed'
  ELSE 'sent' END`;

/** Store#listAlerts, in a REPEATABLE READ transaction: the alerts, their items and deliveries from one point in time. */
export async function listAlertsPg(c: Client, filter: AlertFilter): Promise<AlertHistoryEntry[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (value: unknown) => `$${args.push(value)}`;
  if (filter.state !== undefined) where.push(`state = ${arg(filter.state)}`);
  if (filter.source !== undefined) where.push(`source = ${arg(filter.source)}`);
  const { rows } = await c.query<AlertRow & { state: AlertState }>(`SELECT * FROM (SELECT a.*, ${STATE_SQL} AS state FROM alerts a) x
    ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ${arg(filter.limit ?? 100)}`, args);
  const ids = rows.map((r) => r.id);
  const items = await readItems(c, ids);
  const deliveries = new Map<number, DeliveryRecord[]>();
  for (const row of (await c.query<DeliveryRow>(`SELECT * FROM alert_deliveries WHERE alert_id = ANY($1::bigint[]) ORDER BY id`, [ids])).rows) {
    deliveries.set(row.alert_id, [...(deliveries.get(row.alert_id) ?? []), toDelivery(row)]);
  }
  return rows.map((row) => ({ ...toAlert(row, items.get(row.id) ?? []), state: row.state, deliveries: deliveries.get(row.id) ?? [] }));
}

/**
 * Store#pruneAlerts as statements for withStatements under the `alerts`
 * lock: nothing pending or waiting for a digest goes. The first returns how
 * many alerts it removed.
 */
export function pruneAlertsStatements(before: number): string[] {
  return [
    sql`WITH d AS (DELETE FROM alerts WHERE decided_at < ${before}
      AND NOT (held AND digest_id IS NULL)
      AND NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = alerts.id
        AND (d.status = 'pending' OR (d.status = 'suppressed' AND d.digest_id IS NULL)))
      RETURNING 1) SELECT count(*) AS n FROM d`,
    sql`DELETE FROM alert_cooldowns WHERE sent_at < ${before}`,
  ];
}

async function readAlerts(c: Client, ids: number[]): Promise<Map<number, AlertRecord>> {
  const items = await readItems(c, ids);
  const { rows } = await c.query<AlertRow>(`SELECT * FROM alerts WHERE id = ANY($1::bigint[])`, [ids]);
  return new Map(rows.map((row) => [row.id, toAlert(row, items.get(row.id) ?? [])]));
}

async function readItems(c: Client, alertIds: number[]): Promise<Map<number, AlertItemRecord[]>> {
  const out = new Map<number, AlertItemRecord[]>();
  if (alertIds.length === 0) return out;
  const { rows } = await c.query<ItemRow>(`SELECT * FROM alert_items WHERE alert_id = ANY($1::bigint[]) ORDER BY alert_id, seq`, [alertIds]);
  for (const r of rows) {
    const list = out.get(r.alert_id) ?? [];
    list.push({ eventId: r.event_id, key: r.key, severity: r.severity, type: r.type, detectedAt: r.detected_at, detail: r.detail });
    out.set(r.alert_id, list);
  }
  return out;
}

function toAlert(row: AlertRow, items: AlertItemRecord[]): AlertRecord {
  return {
    id: row.id, kind: row.kind, host: row.host, source: row.source, severity: row.severity, decidedAt: row.decided_at,
    reason: row.reason, suppressed: row.held, digestId: row.digest_id, receiver: row.receiver, items,
    digest: row.summary === null ? null : JSON.parse(row.summary) as DigestCounts,
  };
}

function toDelivery(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id, receiver: row.receiver, status: row.status, reason: row.reason, failures: row.failures, createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at, sentAt: row.sent_at, idempotencyKey: row.idempotency_key, digestId: row.digest_id,
  };
}
