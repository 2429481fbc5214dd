import { describe, expect, it } from 'vitest';
import { decideGroup, digestDue, maxSeverity, nextAttempt, receiverVerdict } from '../../src/alerts/policy.js';

const HOUR = 3_600_000;
const NOW = 100 * HOUR;

describe('alert policy', () => {
  it('sends a group whose keys are free as one alert, and holds back the keys in their cooldown', () => {
    const items = [{ key: 'a' }, { key: 'b' }, { key: 'a' }, { key: 'c' }];
    const lastSent = new Map([['b', NOW - 10 * 60_000], ['c', NOW - HOUR]]);
    const verdict = decideGroup(items, { sentInHour: 0, lastSent }, { cooldownMs: HOUR, maxPerHour: 10 }, NOW);
    expect(verdict.fresh.map((i) => i.key)).toEqual(['a', 'a', 'c']);
    expect(verdict.freshReason).toBe('sent');
    expect(verdict.cooling.map((i) => i.key)).toEqual(['b']);
    expect(verdict.coolingEndsAt).toBe(NOW + 50 * 60_000);
  });

  it('holds back the fresh items once the sliding hour is full; a zero cooldown never cools', () => {
    const verdict = decideGroup([{ key: 'a' }], { sentInHour: 10, lastSent: new Map([['a', NOW]]) }, { cooldownMs: 0, maxPerHour: 10 }, NOW);
    expect(verdict).toMatchObject({ freshReason: 'rate_limited', cooling: [] });
    expect(verdict.fresh).toHaveLength(1);
  });

  it('makes a digest due when something held back is due and the hour has a place', () => {
    expect(digestDue({ dueHeldBack: 3, sentInHour: 9 }, 10)).toBe(true);
    expect(digestDue({ dueHeldBack: 3, sentInHour: 10 }, 10)).toBe(false);
    expect(digestDue({ dueHeldBack: 0, sentInHour: 0 }, 10)).toBe(false);
    expect(digestDue({ dueHeldBack: 1, sentInHour: 0 }, 0)).toBe(false);
  });

  it("applies a receiver's own severity floor and hourly limit", () => {
    expect(receiverVerdict('high', { minSeverity: 'critical', maxPerHour: null, sentInHour: 0 })).toBe('skip');
    expect(receiverVerdict('critical', { minSeverity: 'critical', maxPerHour: 2, sentInHour: 1 })).toBe('deliver');
    expect(receiverVerdict('critical', { minSeverity: 'low', maxPerHour: 2, sentInHour: 2 })).toBe('suppressed');
  });

  it('backs off exponentially up to a cap, then gives up after the last attempt', () => {
    const policy = { attempts: 6, initialDelayMs: 1000, maxDelayMs: 5000 };
    expect([1, 2, 3, 4, 5].map((n) => nextAttempt(n, policy))).toEqual([
      { retryInMs: 1000 }, { retryInMs: 2000 }, { retryInMs: 4000 }, { retryInMs: 5000 }, { retryInMs: 5000 },
    ]);
    expect(nextAttempt(6, policy)).toEqual({ giveUp: true });
    expect(nextAttempt(200, { ...policy, attempts: 1000 })).toEqual({ retryInMs: 5000 });
  });

  it('ranks severities', () => {
    expect(maxSeverity(['low', 'critical', 'high'])).toBe('critical');
    expect(maxSeverity([])).toBe('low');
  });
});
