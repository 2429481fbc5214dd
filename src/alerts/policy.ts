/**
 * The alert policy as pure functions: the store gathers the state inside its
 * transaction, asks these what to do, and writes the answer in the same
 * transaction. Time comes in as `now` (epoch ms); nothing here reads a clock.
 */
import { severityRank, type Severity } from '../core/change.js';

/** The sliding window of `maxPerHour`. */
export const HOUR_MS = 3_600_000;

export interface PolicyLimits {
  cooldownMs: number;
  maxPerHour: number;
}

/** What the store knows at decision time. */
export interface PolicyState {
  /** Alerts (digests included) that took a place under maxPerHour in the hour before now. */
  sentInHour: number;
  /** When each key last went out, for the keys of this decision that have. */
  lastSent: ReadonlyMap<string, number>;
}

/** The verdict on one group of items (one source's changes from one cycle). */
export interface GroupVerdict<T> {
  /** Items whose keys are free: one alert, sent or held back by the hour's limit. */
  fresh: T[];
  freshReason: 'sent' | 'rate_limited';
  /** Items whose key alerted within the cooldown: held back. */
  cooling: T[];
  /** When the last of the cooling keys' cooldowns ends: then they are due in a digest. */
  coolingEndsAt: number;
}

/**
 * Splits a group into the items that may alert now and those whose key is
 * cooling down; the fresh ones go out as one alert when the hour has room.
 *
 * @example
 * decideGroup([{ key: 'h/app/manual_change' }], { sentInHour: 0, lastSent: new Map() }, { cooldownMs: 3_600_000, maxPerHour: 10 }, now)
 * // { fresh: [item], freshReason: 'sent', cooling: [], coolingEndsAt: now }
 */
export function decideGroup<T extends { key: string }>(items: readonly T[], state: PolicyState, limits: PolicyLimits, now: number): GroupVerdict<T> {
  const fresh: T[] = [];
  const cooling: T[] = [];
  let coolingEndsAt = now;
  for (const item of items) {
    const last = state.lastSent.get(item.key);
    if (last !== undefined && limits.cooldownMs > 0 && last > now - limits.cooldownMs) {
      cooling.push(item);
      coolingEndsAt = Math.max(coolingEndsAt, last + limits.cooldownMs);
    } else {
      fresh.push(item);
    }
  }
  return { fresh, freshReason: hasRoom(state.sentInHour, limits.maxPerHour) ? 'sent' : 'rate_limited', cooling, coolingEndsAt };
}

/** Whether the sliding hour has a place left. */
export function hasRoom(sentInHour: number, maxPerHour: number): boolean {
  return sentInHour < maxPerHour;
}

/**
 * A digest goes out when something held back is due (its cooldown is over,
 * or it was held by the hour's limit) and the hour has a place for it.
 */
export function digestDue(state: { dueHeldBack: number; sentInHour: number }, maxPerHour: number): boolean {
  return state.dueHeldBack > 0 && hasRoom(state.sentInHour, maxPerHour);
}

/** What one receiver does with an alert that goes out. */
export type ReceiverVerdict = 'skip' | 'deliver' | 'suppressed';

export interface ReceiverLimitState {
  minSeverity: Severity;
  maxPerHour: number | null;
  /** Deliveries to this receiver that took a place in the hour before now. */
  sentInHour: number;
}

/** Below the receiver's severity: skipped; past its own hourly limit: suppressed, for its digest. */
export function receiverVerdict(severity: Severity, receiver: ReceiverLimitState): ReceiverVerdict {
  if (severityRank(severity) < severityRank(receiver.minSeverity)) return 'skip';
  if (receiver.maxPerHour !== null && !hasRoom(receiver.sentInHour, receiver.maxPerHour)) return 'suppressed';
  return 'deliver';
}

export interface BackoffPolicy {
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * After the `failures`-th failed attempt: retry after an exponential delay
 * (initial, doubling, capped), or give up once `attempts` have failed.
 *
 * @example nextAttempt(3, { attempts: 5, initialDelayMs: 1000, maxDelayMs: 60_000 }) // { retryInMs: 4000 }
 */
export function nextAttempt(failures: number, policy: BackoffPolicy): { retryInMs: number } | { giveUp: true } {
  if (failures >= policy.attempts) return { giveUp: true };
  const exponent = Math.min(Math.max(failures - 1, 0), 40);
  return { retryInMs: Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent) };
}

/** The most severe of some severities (`low` for none). */
export function maxSeverity(severities: Iterable<Severity>): Severity {
  let best: Severity = 'low';
  for (const s of severities) if (severityRank(s) > severityRank(best)) best = s;
  return best;
}
