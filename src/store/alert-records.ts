/** The records of the alert outbox (see the Store methods and docs/alerts.md). */
import type { DriftType, Severity } from '../core/change.js';

/** Why an alert went out (`sent`, `digest`) or was held back (`cooldown`, `rate_limited`). */
export type AlertReason = 'sent' | 'cooldown' | 'rate_limited' | 'digest';

/** Where an alert stands: held back, waiting for a receiver, given up on by one, or delivered to all. */
export type AlertState = 'sent' | 'pending' | 'failed' | 'suppressed';

/** A delivery to one receiver. `suppressed`: held back by the receiver's own limit (reason `receiver_rate_limited`). */
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'suppressed';

export interface AlertDecision {
  send: boolean;
  reason: 'sent' | 'cooldown' | 'rate_limited';
  id: number;
}

/**
 * One alert decision. With `alert`, decideAlert also writes the outbox (the
 * alert row, its item and a pending delivery per receiver) in the decision's
 * transaction.
 */
export interface AlertDecisionInput {
  key: string;
  eventId: number | null;
  now: number;
  cooldownMs: number;
  maxPerHour: number;
  alert?: {
    host: string;
    source: string;
    item: Omit<AlertItemInput, 'key'>;
    receivers: readonly ReceiverLimit[];
  };
}

/** One change offered for alerting. */
export interface AlertItemInput {
  eventId: number | null;
  /** The cooldown key (alerts.cooldownKey of the change). */
  key: string;
  severity: Severity;
  type: DriftType;
  detectedAt: number;
  /** JSON text describing the change, values already masked (src/alerts/alert-item.ts). */
  detail: string;
}

/** A receiver as decisions see it: its name and its own limits, never its address or secret. */
export interface ReceiverLimit {
  name: string;
  minSeverity: Severity;
  maxPerHour: number | null;
}

export interface AlertGroupInput {
  host: string;
  source: string;
  now: number;
  cooldownMs: number;
  maxPerHour: number;
  items: readonly AlertItemInput[];
  /** Skip items whose event was decided before (drift that persists is alerted once). */
  onlyNew?: boolean;
  receivers: readonly ReceiverLimit[];
}

export interface DecidedAlert {
  id: number;
  reason: AlertReason;
  /** True when it goes out (deliveries were queued for the receivers that take it). */
  send: boolean;
  items: number;
  deliveries: number;
}

export interface AlertGroupDecision {
  /** At most two: the alert of the fresh items (sent or rate_limited), the items held by cooldown. */
  alerts: DecidedAlert[];
  /** Items skipped by `onlyNew`. */
  skipped: number;
}

export interface DigestInput {
  now: number;
  maxPerHour: number;
  receivers: readonly ReceiverLimit[];
}

/** What a digest counts: the alerts held back since the previous one. Times are epoch ms. */
export interface DigestCounts {
  alerts: number;
  changes: number;
  byReason: Record<string, number>;
  bySeverity: Record<Severity, number>;
  /** The sources with the most held-back alerts, at most ten. */
  sources: { host: string | null; source: string | null; alerts: number }[];
  since: number;
  until: number;
}

export interface DigestRecord {
  id: number;
  /** A receiver's own digest goes to it alone; null for the global digest. */
  receiver: string | null;
  counts: DigestCounts;
  deliveries: number;
}

export interface ClaimInput {
  /** Who holds the lease (unique per dispatcher). */
  owner: string;
  receivers: readonly string[];
  now: number;
  leaseMs: number;
  limit: number;
}

export interface AlertItemRecord {
  eventId: number | null;
  key: string;
  severity: Severity;
  type: DriftType;
  detectedAt: number;
  detail: string;
}

/** A decided alert or digest. */
export interface AlertRecord {
  id: number;
  kind: 'alert' | 'digest';
  host: string | null;
  source: string | null;
  severity: Severity;
  decidedAt: number;
  reason: AlertReason;
  /** Held back: waiting for (or counted by) a digest. */
  suppressed: boolean;
  /** Held back: the digest that counted it. */
  digestId: number | null;
  /** A receiver's own digest: the receiver. */
  receiver: string | null;
  items: AlertItemRecord[];
  digest: DigestCounts | null;
}

export interface ClaimedDelivery {
  id: number;
  alertId: number;
  receiver: string;
  /** Stable for the delivery's whole life: retries and crashes repeat it. */
  idempotencyKey: string;
  /** Failed attempts before this one. */
  failures: number;
  createdAt: number;
  alert: AlertRecord;
}

export type FinishDeliveryInput = { id: number; owner: string; now: number } & (
  | { outcome: 'sent' }
  | { outcome: 'retry'; error: string; nextAttemptAt: number }
  | { outcome: 'failed'; error: string }
  /** Give the lease back without counting an attempt (not tried: its receiver just failed). */
  | { outcome: 'release' }
);

export interface DeliveryRecord {
  id: number;
  receiver: string;
  status: DeliveryStatus;
  /** Why it is suppressed, or the last failure. */
  reason: string | null;
  failures: number;
  createdAt: number;
  nextAttemptAt: number;
  sentAt: number | null;
  idempotencyKey: string;
  /** Suppressed: the receiver digest that counted it. */
  digestId: number | null;
}

export interface AlertFilter {
  state?: AlertState;
  source?: string;
  limit?: number;
}

export type AlertHistoryEntry = AlertRecord & { state: AlertState; deliveries: DeliveryRecord[] };
