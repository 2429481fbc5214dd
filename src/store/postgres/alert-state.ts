/**
 * What alert decisions read before they decide, for one decision or a batch
 * of them decided in one transaction (under the `alerts` lock): the counted
 * alerts of the sliding hour, the last send of each key, the events alerted
 * before, the deliveries in each limited receiver's hour. Decisions of a
 * batch run in order against one AlertState, each adding what it decided, so
 * a batch decides exactly as the same decisions would one after another.
 */
import { HOUR_MS } from '../../alerts/policy.js';
import { sql } from './sql-literal.js';

/** What one decision needs to read. */
export interface AlertNeeds {
  now: number;
  keys: readonly string[];
  eventIds: readonly number[];
  /** Receivers with a limit of their own. */
  receivers: readonly string[];
}

/** Times in a sliding hour: those inside every window of the batch are counted; the others are kept to compare. */
interface Window {
  base: number;
  times: number[];
}

/**
 * One statement reading the state for every decision of a batch. With the
 * batch's times between `min` and `max`, whatever is newer than `max - 1h` is
 * in every decision's hour and only counted; what lies between `min - 1h`
 * and `max - 1h` is listed, to place against each decision's own `now`.
 */
export function alertStateSql(needs: readonly AlertNeeds[]): string {
  const min = Math.min(...needs.map((n) => n.now)) - HOUR_MS;
  const max = Math.max(...needs.map((n) => n.now)) - HOUR_MS;
  const all = <T>(pick: (n: AlertNeeds) => readonly T[]) => [...new Set(needs.flatMap(pick))];
  return sql`SELECT
      (SELECT count(*) FROM alerts WHERE counted AND decided_at > ${max}) AS counted_base,
      (SELECT coalesce(json_agg(decided_at), '[]'::json) FROM alerts WHERE counted AND decided_at > ${min} AND decided_at <= ${max}) AS counted_times,
      (SELECT coalesce(json_agg(json_build_array(key, sent_at)), '[]'::json) FROM alert_cooldowns WHERE key = ANY(${all((n) => n.keys)}::text[])) AS last_sent,
      (SELECT coalesce(json_agg(DISTINCT event_id), '[]'::json) FROM alert_items WHERE event_id = ANY(${all((n) => n.eventIds)}::bigint[])) AS seen,
      (SELECT coalesce(json_object_agg(receiver, json_build_array(base, times)), '{}'::json) FROM (
        SELECT receiver, count(*) FILTER (WHERE created_at > ${max}) AS base,
          coalesce(json_agg(created_at) FILTER (WHERE created_at <= ${max}), '[]'::json) AS times
        FROM alert_deliveries
        WHERE receiver = ANY(${all((n) => n.receivers)}::text[]) AND created_at > ${min} AND status != 'suppressed'
        GROUP BY receiver) r) AS receivers`;
}

export class AlertState {
  #counted: Window;
  #lastSent: Map<string, number>;
  #seen: Set<number>;
  #receivers: Map<string, Window>;

  constructor(row: Record<string, unknown>) {
    this.#counted = { base: Number(row.counted_base ?? 0), times: [...((row.counted_times ?? []) as number[])] };
    this.#lastSent = new Map((row.last_sent ?? []) as [string, number][]);
    this.#seen = new Set((row.seen ?? []) as number[]);
    this.#receivers = new Map(Object.entries((row.receivers ?? {}) as Record<string, [number, number[]]>)
      .map(([name, [base, times]]) => [name, { base: Number(base), times: [...times] }]));
  }

  /** Alerts (digests included) that took a place under maxPerHour in the hour before `now`. */
  sentInHour(now: number): number {
    return inHour(this.#counted, now);
  }

  /** Deliveries to `receiver` that took a place in its hour before `now`. */
  receiverSentInHour(receiver: string, now: number): number {
    const window = this.#receivers.get(receiver);
    return window ? inHour(window, now) : 0;
  }

  lastSent(): ReadonlyMap<string, number> {
    return this.#lastSent;
  }

  /** Whether this event was offered to a decision before; marks it offered. */
  offerEvent(eventId: number): boolean {
    if (this.#seen.has(eventId)) return false;
    this.#seen.add(eventId);
    return true;
  }

  /** An alert that took a place under the limit at `at`; `keys` start their cooldown then. */
  addCounted(at: number, keys: readonly string[] = []): void {
    this.#counted.times.push(at);
    for (const key of keys) this.#lastSent.set(key, Math.max(this.#lastSent.get(key) ?? at, at));
  }

  /** A delivery that took a place in `receiver`'s hour at `at`. */
  addDelivery(receiver: string, at: number): void {
    const window = this.#receivers.get(receiver) ?? { base: 0, times: [] };
    window.times.push(at);
    this.#receivers.set(receiver, window);
  }
}

function inHour(window: Window, now: number): number {
  return window.base + window.times.filter((t) => t > now - HOUR_MS).length;
}
