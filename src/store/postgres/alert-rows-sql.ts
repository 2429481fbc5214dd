/**
 * The statements that write an alert and what hangs off it (its items, the
 * cooldowns it starts, its deliveries, what it counts), as one statement
 * with inline literals: it can travel with COMMIT in one round trip.
 */
import { randomUUID } from 'node:crypto';
import type { Severity } from '../../core/change.js';
import type { AlertItemInput, AlertReason, DeliveryStatus } from '../store.js';
import { sql } from './sql-literal.js';

export interface NewAlert {
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

export interface NewDelivery {
  receiver: string;
  status: DeliveryStatus;
  reason: string | null;
}

export interface AlertRows {
  items?: readonly AlertItemInput[];
  /** Keys whose cooldown starts at the alert's time (it went out). */
  cooldownKeys?: readonly string[];
  deliveries?: readonly NewDelivery[];
  /** Held-back alerts this digest counts. */
  countsAlerts?: readonly number[];
  /** Suppressed deliveries this receiver digest counts. */
  countsDeliveries?: readonly number[];
}

/** One statement: the alert row and its rows; it returns the alert's `id`. */
export function insertAlertSql(a: NewAlert, rows: AlertRows = {}): string {
  const items = rows.items ?? [];
  const deliveries = rows.deliveries ?? [];
  // Random, stored once: the same idempotency key for every retry and after any crash, unique across stores.
  const nonces = deliveries.map(() => randomUUID());
  return sql`WITH a AS (
      INSERT INTO alerts (kind, host, source, severity, decided_at, held, reason, counted, due_at, receiver, summary)
      VALUES (${a.kind}, ${a.host}, ${a.source}, ${a.severity}, ${a.decidedAt}, ${a.held}, ${a.reason}, ${a.counted}, ${a.dueAt}, ${a.receiver}, ${a.summary})
      RETURNING id
    ), i AS (
      INSERT INTO alert_items (alert_id, seq, event_id, key, severity, type, detected_at, detail)
      SELECT a.id, n - 1, event_id, key, severity, type, detected_at, detail
      FROM a, unnest(${items.map((x) => x.eventId)}::bigint[], ${items.map((x) => x.key)}::text[], ${items.map((x) => x.severity)}::text[],
        ${items.map((x) => x.type)}::text[], ${items.map((x) => x.detectedAt)}::bigint[], ${items.map((x) => x.detail)}::text[])
        WITH ORDINALITY AS i (event_id, key, severity, type, detected_at, detail, n)
    ), k AS (
      INSERT INTO alert_cooldowns (key, sent_at) SELECT k, ${a.decidedAt}::bigint FROM unnest(${rows.cooldownKeys ?? []}::text[]) AS k
      ON CONFLICT (key) DO UPDATE SET sent_at = GREATEST(alert_cooldowns.sent_at, excluded.sent_at)
    ), d AS (
      INSERT INTO alert_deliveries (alert_id, receiver, idempotency_key, status, reason, created_at, next_attempt_at)
      SELECT a.id, receiver, 'dw-' || a.id || '-' || nonce, status, reason, ${a.decidedAt}::bigint, ${a.decidedAt}::bigint
      FROM a, unnest(${deliveries.map((x) => x.receiver)}::text[], ${nonces}::text[], ${deliveries.map((x) => x.status)}::text[],
        ${deliveries.map((x) => x.reason)}::text[]) WITH ORDINALITY AS d (receiver, nonce, status, reason, n)
      ORDER BY n
    ), ca AS (
      UPDATE alerts SET digest_id = (SELECT id FROM a) WHERE id = ANY(${rows.countsAlerts ?? []}::bigint[])
    ), cd AS (
      UPDATE alert_deliveries SET digest_id = (SELECT id FROM a) WHERE id = ANY(${rows.countsDeliveries ?? []}::bigint[])
    )
    SELECT id FROM a`;
}
