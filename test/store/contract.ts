import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertGroupInput, AlertItemInput, ContentRecord, EventInput, SnapshotFile, Store } from '../../src/store/store.js';

/**
 * The one contract every Store backend passes. Each backend's test file calls
 * this with a factory that returns a fresh, empty store.
 */
export function storeContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => { store = await makeStore(); });
    afterEach(async () => { await store.close(); });

    const source = (n = 'app', host = 'h1') => store.ensureSource({ host, name: n, kind: 'files', origin: '/etc/app', now: 1000 });
    const file = (f: string, contentId: string | null, extra: Partial<SnapshotFile> = {}): SnapshotFile => ({
      file: f, type: 'file', mode: 0o644, uid: 0, gid: 0, size: 10, mtimeMs: 1.5, contentId, target: null, ...extra,
    });
    const content = (id: string, extra: Partial<ContentRecord> = {}): ContentRecord => ({
      id, format: 'yaml', size: 10, encoding: { bom: false, eol: 'lf' }, document: '{"a":"i:1"}', raw: Buffer.from('a: 1\n'), secret: false, ...extra,
    });
    const event = (sourceId: number, identity: string, extra: Partial<EventInput> = {}): EventInput => ({
      identity, sourceId, againstSnapshotId: 1, snapshotId: 2, file: 'a.yaml', path: '/a', kind: 'modified', attribute: null,
      before: 'i:1', after: 'i:2', severity: 'medium', type: 'manual_change', secret: false, detectedAt: 5000, ...extra,
    });

    it('registers a source once per (host, name)', async () => {
      const a = await source();
      const b = await source();
      const other = await source('app', 'h2');
      expect(b.id).toBe(a.id);
      expect(other.id).not.toBe(a.id);
      expect((await store.listSources()).length).toBe(2);
      expect((await store.findSource('h1', 'app'))?.id).toBe(a.id);
      expect(await store.findSource('h1', 'nope')).toBeUndefined();
    });

    it('stores a snapshot once per distinct state and its contents once', async () => {
      const s = await source();
      const input = { sourceId: s.id, takenAt: 2000, digest: 'd1', keyId: 'k', files: [file('b.yaml', 'c1'), file('a.yaml', 'c1')], contents: [content('c1')] };
      const first = await store.recordSnapshot(input);
      const again = await store.recordSnapshot({ ...input, takenAt: 3000 });
      expect(first.status).toBe('created');
      expect(again.status).toBe('unchanged');
      if (first.status === 'missing-contents' || again.status === 'missing-contents') throw new Error('unexpected');
      expect(again.snapshot.id).toBe(first.snapshot.id);
      expect((await store.snapshotFiles(first.snapshot.id)).map((f) => f.file)).toEqual(['a.yaml', 'b.yaml']);
      expect(await store.missingContents(['c1', 'c2'])).toEqual(new Set(['c2']));
      const got = (await store.getContents(['c1'])).get('c1')!;
      expect(got.raw?.toString()).toBe('a: 1\n');
      expect(got.encoding).toEqual({ bom: false, eol: 'lf' });
      // A, B, A is three snapshots: only equality with the latest deduplicates.
      await store.recordSnapshot({ ...input, digest: 'd2', files: [file('a.yaml', 'c1')] });
      expect((await store.recordSnapshot(input)).status).toBe('created');
      expect((await store.listSnapshots(s.id)).length).toBe(3);
    });

    it('refuses a snapshot that refers to content it does not hold', async () => {
      const s = await source();
      const result = await store.recordSnapshot({ sourceId: s.id, takenAt: 1, digest: 'd', keyId: 'k', files: [file('a', 'gone')], contents: [] });
      expect(result).toEqual({ status: 'missing-contents', ids: ['gone'] });
      expect(await store.latestSnapshot(s.id)).toBeUndefined();
    });

    it('keeps the first baseline when asked only-if-absent, and replaces it otherwise', async () => {
      const s = await source();
      const base = { sourceId: s.id, acceptedAt: 1, acceptedBy: 'ops', reason: null };
      const snap = async (d: string) => {
        const r = await store.recordSnapshot({ sourceId: s.id, takenAt: 1, digest: d, keyId: 'k', files: [], contents: [] });
        if (r.status === 'missing-contents') throw new Error('unexpected');
        return r.snapshot.id;
      };
      const one = await snap('1');
      const two = await snap('2');
      expect((await store.setBaseline({ ...base, snapshotId: one, onlyIfAbsent: true })).snapshotId).toBe(one);
      expect((await store.setBaseline({ ...base, snapshotId: two, onlyIfAbsent: true })).snapshotId).toBe(one);
      expect((await store.setBaseline({ ...base, snapshotId: two, reason: 'reviewed' })).snapshotId).toBe(two);
      expect(await store.getBaseline(s.id)).toMatchObject({ snapshotId: two, reason: 'reviewed', acceptedBy: 'ops' });
    });

    it('records an event once per identity and orders events by sequence', async () => {
      const s = await source();
      const first = await store.recordEvents([event(s.id, 'x'), event(s.id, 'y', { severity: 'critical', detectedAt: 6000 })]);
      const again = await store.recordEvents([event(s.id, 'y', { detectedAt: 9999 }), event(s.id, 'x')]);
      expect(again.map((e) => e.id)).toEqual(first.map((e) => e.id));
      expect(first[0]!.id).toBeLessThan(first[1]!.id);
      expect(again.find((e) => e.identity === 'y')!.detectedAt).toBe(6000);
      expect((await store.listEvents()).map((e) => e.identity)).toEqual(['x', 'y']);
      expect((await store.listEvents({ minSeverity: 'high' })).map((e) => e.identity)).toEqual(['y']);
      expect((await store.listEvents({ since: 5500 })).map((e) => e.identity)).toEqual(['y']);
      expect((await store.listEvents({ limit: 1 })).map((e) => e.identity)).toEqual(['y']);
    });

    it('records checks with their problems and reads each source\'s latest', async () => {
      const a = await source('a');
      const b = await source('b');
      await store.recordCheck({ sourceId: a.id, snapshotId: null, at: 1, status: 'clean', changes: 0, problems: [] });
      await store.recordCheck({ sourceId: a.id, snapshotId: null, at: 2, status: 'problems', changes: 0, problems: [{ file: 'x.json', code: 'PARSE_ERROR', message: 'bad', line: 3 }] });
      await store.recordCheck({ sourceId: b.id, snapshotId: null, at: 3, status: 'drift', changes: 2, problems: [] });
      const latest = await store.latestChecks();
      expect(latest.map((c) => [c.sourceId, c.status])).toEqual([[a.id, 'problems'], [b.id, 'drift']]);
      expect(latest[0]!.problems).toEqual([{ file: 'x.json', code: 'PARSE_ERROR', message: 'bad', line: 3 }]);
    });

    it('summarises counts whose severities sum to the 24 h total', async () => {
      const s = await source();
      const now = 100 * 86_400_000;
      await store.recordEvents([
        event(s.id, 'old', { detectedAt: now - 2 * 86_400_000 }),
        event(s.id, 'a', { detectedAt: now - 1000, severity: 'low' }),
        event(s.id, 'b', { detectedAt: now - 1000, severity: 'critical', secret: true }),
      ]);
      await store.recordCheck({ sourceId: s.id, snapshotId: null, at: now - 10, status: 'drift', changes: 2, problems: [] });
      const summary = await store.summary(now);
      expect(summary).toMatchObject({ sources: 1, events: 3, events24h: 2, restorable24h: 1, lastCheckAt: now - 10 });
      expect(summary.severity24h).toEqual({ low: 1, medium: 0, high: 0, critical: 1 });
    });

    it('prunes old snapshots and content but never a baseline, the latest, or referenced content', async () => {
      const s = await source();
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await store.recordSnapshot({ sourceId: s.id, takenAt: i, digest: `d${i}`, keyId: 'k', files: [file('a', `c${i}`), file('shared', 'cs')], contents: [content(`c${i}`), content('cs')] });
        if (r.status === 'missing-contents') throw new Error('unexpected');
        ids.push(r.snapshot.id);
      }
      await store.setBaseline({ sourceId: s.id, snapshotId: ids[0]!, acceptedAt: 0, acceptedBy: 'ops', reason: null });
      await store.recordEvents([event(s.id, 'old', { detectedAt: 0 }), event(s.id, 'new', { detectedAt: 1_000_000 })]);
      const result = await store.prune({ snapshots: { maxAgeMs: 10, keepLast: 1 }, events: { maxAgeMs: 500_000 } }, 1_000_000);
      expect(result).toMatchObject({ snapshots: 3, contents: 3, events: 1 });
      const left = (await store.listSnapshots(s.id)).map((x) => x.id).sort((a, b) => a - b);
      expect(left).toEqual([ids[0], ids[4]]);
      expect(await store.missingContents(['c0', 'c4', 'cs', 'c2'])).toEqual(new Set(['c2']));
      expect((await store.listEvents()).map((e) => e.identity)).toEqual(['new']);
    });

    it('sends at most maxPerHour alerts in any sliding hour and one per key per cooldown', async () => {
      const decide = (key: string, now: number) => store.decideAlert({ key, eventId: null, now, cooldownMs: 600_000, maxPerHour: 3 });
      const hour = 3_600_000;
      const first = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k, i) => decide(k, 1000 + i)));
      expect(first.map((d) => d.send)).toEqual([true, true, true, false, false]);
      expect(first[3]!.reason).toBe('rate_limited');
      // The hour slides: once the first three are older than an hour, room again.
      expect((await decide('f', 1000 + hour - 1)).send).toBe(false);
      expect((await decide('f', 1003 + hour)).send).toBe(true);
      // Cooldown per key.
      expect((await decide('f', 1003 + hour + 1)).reason).toBe('cooldown');
      expect((await decide('f', 1003 + hour + 600_001)).send).toBe(true);
    });

    it('keeps silences with an owner, a reason and an expiry; expired ones stop being live', async () => {
      const a = await store.addSilence({ match: { file: 'nginx/**' }, owner: 'ana', reason: 'migration', createdAt: 10, expiresAt: 100 });
      const b = await store.addSilence({ match: { path: '/tls/**', kind: 'modified' }, owner: 'bo', reason: 'rotation', createdAt: 20, expiresAt: 50 });
      expect((await store.listSilences(40)).map((s) => s.id)).toEqual([b.id, a.id]);
      expect((await store.listSilences(60)).map((s) => s.id)).toEqual([a.id]);
      expect(await store.expireSilence(a.id, 70)).toBe(true);
      expect(await store.expireSilence(9999, 70)).toBe(false);
      expect(await store.listSilences(71)).toEqual([]);
      expect((await store.listSilences()).find((s) => s.id === b.id)).toEqual({ ...b });
    });

    it('keeps the latest health report per source', async () => {
      const s = await source();
      const health = { mode: 'events' as const, filesWatched: 3, lastCycleAt: 10, lastCycleMs: 5, problems: 0 };
      await store.putHealth(s.id, health, 10);
      await store.putHealth(s.id, { ...health, mode: 'polling', note: 'inotify limit' }, 20);
      expect(await store.listHealth()).toEqual([{ sourceId: s.id, updatedAt: 20, health: { ...health, mode: 'polling', note: 'inotify limit' } }]);
    });

    it('keeps a scan cache per source', async () => {
      const s = await source();
      const entry = { file: 'a', size: 1, mtimeMs: 2.25, ctimeMs: 3.5, ino: 4, racy: false, contentId: 'c' };
      await store.updateScanCache(s.id, [entry, { ...entry, file: 'b', racy: true }], []);
      await store.updateScanCache(s.id, [{ ...entry, size: 9 }], ['b']);
      expect([...(await store.loadScanCache(s.id)).values()]).toEqual([{ ...entry, size: 9 }]);
    });

    // --- Alerts: decisions, the outbox, digests and deliveries ----------------
    describe('alerts', () => {
      const HOUR = 3_600_000;
      const T = 10 * HOUR;
      const item = (eventId: number | null, key: string, extra: Partial<AlertItemInput> = {}): AlertItemInput => ({
        eventId, key, severity: 'high', type: 'manual_change', detectedAt: T - 5, detail: JSON.stringify({ eventId, file: 'a.yaml' }), ...extra,
      });
      const hook = { name: 'hook', minSeverity: 'low' as const, maxPerHour: null };
      const group = (items: AlertItemInput[], extra: Partial<AlertGroupInput> = {}): AlertGroupInput => ({
        host: 'h1', source: 'app', now: T, cooldownMs: HOUR, maxPerHour: 10, items, onlyNew: true, receivers: [hook], ...extra,
      });
      const claim = (owner: string, now = T, limit = 10, receivers = ['hook']) => store.claimDeliveries({ owner, receivers, now, leaseMs: 1000, limit });

      it('makes one alert of a group, with a pending delivery per receiver that takes it, and never decides an event twice', async () => {
        const decided = await store.decideAlerts(group([item(1, 'k1'), item(2, 'k1'), item(3, 'k2', { severity: 'critical' })], {
          receivers: [hook, { name: 'pager', minSeverity: 'critical', maxPerHour: null }, { name: 'quiet', minSeverity: 'critical', maxPerHour: 0 }],
        }));
        expect(decided.alerts).toEqual([{ id: expect.any(Number), reason: 'sent', send: true, items: 3, deliveries: 2 }]);
        const [entry] = await store.listAlerts();
        expect(entry).toMatchObject({ kind: 'alert', host: 'h1', source: 'app', severity: 'critical', state: 'pending', suppressed: false });
        expect(entry!.items.map((i) => i.eventId)).toEqual([1, 2, 3]);
        expect(entry!.deliveries.map((d) => [d.receiver, d.status, d.reason])).toEqual([
          ['hook', 'pending', null], ['pager', 'pending', null], ['quiet', 'suppressed', 'receiver_rate_limited'],
        ]);
        expect(new Set(entry!.deliveries.map((d) => d.idempotencyKey)).size).toBe(3);
        const again = await store.decideAlerts(group([item(1, 'k1'), item(3, 'k2')], { now: T + 2 * HOUR }));
        expect(again).toEqual({ alerts: [], skipped: 2 });
      });

      it('holds back keys in their cooldown and alerts past the hourly limit, for a digest', async () => {
        await store.decideAlerts(group([item(1, 'k1')]));
        const mixed = await store.decideAlerts(group([item(2, 'k1'), item(3, 'k2')], { now: T + 1 }));
        expect(mixed.alerts.map((a) => [a.reason, a.send, a.items])).toEqual([['sent', true, 1], ['cooldown', false, 1]]);
        const limited = await store.decideAlerts(group([item(4, 'k3')], { now: T + 2, maxPerHour: 2 }));
        expect(limited.alerts.map((a) => [a.reason, a.send, a.deliveries])).toEqual([['rate_limited', false, 0]]);
        expect((await store.listAlerts({ state: 'suppressed' })).map((a) => a.reason)).toEqual(['rate_limited', 'cooldown']);
        // decideAlert shares the same hour and cooldowns.
        expect(await store.decideAlert({ key: 'k2', eventId: null, now: T + 3, cooldownMs: HOUR, maxPerHour: 10 })).toMatchObject({ send: false, reason: 'cooldown' });
        expect(await store.decideAlert({ key: 'k9', eventId: null, now: T + 3, cooldownMs: HOUR, maxPerHour: 2 })).toMatchObject({ send: false, reason: 'rate_limited' });
      });

      it('writes the outbox rows of decideAlert in its transaction when given the alert', async () => {
        const d = await store.decideAlert({
          key: 'h1/app/manual_change', eventId: 7, now: T, cooldownMs: HOUR, maxPerHour: 10,
          alert: { host: 'h1', source: 'app', item: { eventId: 7, severity: 'high', type: 'manual_change', detectedAt: T, detail: '{"eventId":7}' }, receivers: [hook] },
        });
        expect(d.send).toBe(true);
        const [entry] = await store.listAlerts();
        expect(entry).toMatchObject({ id: d.id, state: 'pending', items: [{ eventId: 7, key: 'h1/app/manual_change', detail: '{"eventId":7}' }] });
        expect(entry!.deliveries).toHaveLength(1);
      });

      it('sends one digest of everything held back once one is due and the hour has room; it takes a place', async () => {
        for (let i = 0; i < 5; i++) await store.decideAlerts(group([item(i, `k${i}`)], { maxPerHour: 2 }));
        const limits = { maxPerHour: 2, receivers: [hook] };
        // Still the same hour: no room, no digest.
        expect(await store.flushDigests({ now: T + 1, ...limits })).toEqual([]);
        const digests = await Promise.all([1, 2, 3].map(() => store.flushDigests({ now: T + HOUR + 1, ...limits })));
        const made = digests.flat();
        expect(made).toHaveLength(1);
        expect(made[0]).toMatchObject({ receiver: null, deliveries: 1, counts: { alerts: 3, changes: 3, byReason: { rate_limited: 3 }, since: T, until: T } });
        expect(made[0]!.counts.bySeverity.high).toBe(3);
        const [digest] = await store.listAlerts({ limit: 1 });
        expect(digest).toMatchObject({ id: made[0]!.id, kind: 'digest', reason: 'digest', state: 'pending' });
        expect((await store.listAlerts({ state: 'suppressed' })).every((a) => a.digestId === made[0]!.id)).toBe(true);
        // The digest took one of the two places of its hour: one more alert, then none.
        const next = await Promise.all([10, 11].map((i) => store.decideAlerts(group([item(i, `n${i}`)], { now: T + HOUR + 2, maxPerHour: 2 }))));
        expect(next.map((d) => d.alerts[0]!.send).sort()).toEqual([false, true]);
      });

      it('makes a cooldown hold-back due when its cooldown ends', async () => {
        await store.decideAlerts(group([item(1, 'k1')]));
        await store.decideAlerts(group([item(2, 'k1')], { now: T + 10 }));
        const limits = { maxPerHour: 10, receivers: [hook] };
        expect(await store.flushDigests({ now: T + HOUR - 1, ...limits })).toEqual([]);
        const [digest] = await store.flushDigests({ now: T + HOUR, ...limits });
        expect(digest!.counts).toMatchObject({ alerts: 1, byReason: { cooldown: 1 } });
      });

      it("gives a receiver with its own limit a digest of what it held back, when its hour has room", async () => {
        const capped = { name: 'capped', minSeverity: 'low' as const, maxPerHour: 1 };
        for (let i = 0; i < 3; i++) await store.decideAlerts(group([item(i, `k${i}`)], { receivers: [capped] }));
        expect(await store.flushDigests({ now: T + 1, maxPerHour: 10, receivers: [capped] })).toEqual([]);
        const [digest] = await store.flushDigests({ now: T + HOUR + 1, maxPerHour: 10, receivers: [capped] });
        expect(digest).toMatchObject({ receiver: 'capped', deliveries: 1, counts: { alerts: 2, byReason: { receiver_rate_limited: 2 } } });
        // A receiver digest does not take a place under the global limit.
        expect((await store.decideAlerts(group([item(9, 'k9')], { now: T + HOUR + 2, maxPerHour: 1, receivers: [] }))).alerts[0]!.send).toBe(true);
      });

      it('leases each due delivery to one claimant at a time; an expired lease frees it', async () => {
        for (let i = 0; i < 4; i++) await store.decideAlerts(group([item(i, `k${i}`)]));
        const [a, b] = await Promise.all([claim('a', T, 3), claim('b', T, 3)]);
        expect(a!.length + b!.length).toBe(4);
        expect(new Set([...a!, ...b!].map((d) => d.id)).size).toBe(4);
        expect(await claim('c', T + 999)).toEqual([]);
        const again = await claim('c', T + 1000);
        expect(again).toHaveLength(4);
        const first = [...a!, ...b!].find((d) => d.id === again[0]!.id)!;
        expect(again[0]!.idempotencyKey).toBe(first.idempotencyKey);
        expect(again[0]!.alert.items[0]!.detail).toBe(first.alert.items[0]!.detail);
      });

      it('records sent, retry, failed and release; only the lease holder fails or releases, anyone records sent', async () => {
        for (let i = 0; i < 4; i++) await store.decideAlerts(group([item(i, `k${i}`)]));
        const [d0, d1, d2, d3] = await claim('a');
        expect(await store.finishDelivery({ id: d0!.id, owner: 'b', now: T, outcome: 'failed', error: 'x' })).toBe(false);
        expect(await store.finishDelivery({ id: d0!.id, owner: 'b', now: T, outcome: 'sent' })).toBe(true);
        expect(await store.finishDelivery({ id: d0!.id, owner: 'a', now: T, outcome: 'sent' })).toBe(false);
        expect(await store.finishDelivery({ id: d1!.id, owner: 'a', now: T, outcome: 'retry', error: 'HTTP 500', nextAttemptAt: T + 5000 })).toBe(true);
        expect(await store.finishDelivery({ id: d2!.id, owner: 'a', now: T, outcome: 'failed', error: 'HTTP 400 (not retried)' })).toBe(true);
        expect(await store.finishDelivery({ id: d3!.id, owner: 'a', now: T, outcome: 'release' })).toBe(true);
        expect((await claim('b', T + 4500)).map((d) => d.id)).toEqual([d3!.id]);
        const retried = await claim('c', T + 5000);
        expect(retried.map((d) => [d.id, d.failures])).toEqual([[d1!.id, 1]]);
        const states = new Map((await store.listAlerts()).map((a) => [a.id, a]));
        expect(states.get(d0!.alertId)).toMatchObject({ state: 'sent', deliveries: [{ status: 'sent', sentAt: T }] });
        expect(states.get(d2!.alertId)).toMatchObject({ state: 'failed', deliveries: [{ status: 'failed', reason: 'HTTP 400 (not retried)', failures: 1 }] });
        expect((await store.listAlerts({ state: 'failed' })).map((a) => a.id)).toEqual([d2!.alertId]);
        expect((await store.listAlerts({ state: 'pending', source: 'app', limit: 1 })).map((a) => a.id)).toEqual([d3!.alertId]);
      });

      it('prunes finished alerts but never one pending or waiting for a digest', async () => {
        await store.decideAlerts(group([item(1, 'k1')]));
        await store.decideAlerts(group([item(2, 'k2')], { maxPerHour: 1 }));
        await store.decideAlerts(group([item(3, 'k3')], { receivers: [] }));
        expect(await store.pruneAlerts(T + 1)).toBe(1);
        expect((await store.listAlerts()).map((a) => a.state).sort()).toEqual(['pending', 'suppressed']);
      });
    });
  });
}
