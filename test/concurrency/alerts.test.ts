// SPEC 6.3: with maxPerHour M, concurrent shouldAlert calls on distinct keys
// return true exactly M times in the hour; on one key, at most once per cooldown.
// Every worker's injected clock reads the same instant, so the hour is exact.
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { deploy, STORE_MODES, NOW, type Deployment } from './fixture.js';
import { callerErrors, startPool, type Pool, type StepResult } from './run-mode.js';

const tempDir = useTempDir('dw-conc-');
let open: { pool?: Pool; d?: Deployment } = {};
afterEach(async () => {
  await open.pool?.close();
  await open.d?.close();
  open = {};
});

const MINUTE = 60_000;
const sent = (results: StepResult[]) => results.reduce((n, r) => n + r.sent, 0);
const answered = (results: StepResult[]) => results.reduce((n, r) => n + r.answered, 0);

describe.each(STORE_MODES)('concurrent alert rate limiting ($label)', ({ mode, store }) => {
  it('1000 concurrent shouldAlert on distinct keys with maxPerHour 10 return true exactly 10 times; 1000 on one key within its cooldown, once', async () => {
    const d = (open.d = await deploy(tempDir(), { store, config: { alerts: { maxPerHour: 10, cooldown: '1h' } } }));
    // 10 detectors each firing 100 calls at once: 1000 concurrent calls.
    const pool = (open.pool = await startPool(mode, { workers: 10 }, d.job));

    const distinct = await pool.step('alerts', { calls: 100, key: 'distinct' });
    expect(callerErrors(distinct)).toEqual([]);
    expect(answered(distinct)).toBe(1000);
    expect(sent(distinct)).toBe(10);

    // Still the same hour: nothing more goes out, on any key.
    const more = await pool.step('alerts', { calls: 10, key: 'distinct', prefix: 'again' });
    expect(sent(more)).toBe(0);

    // Two hours later the rate window is empty; one key, 1000 calls, cooldown 1h: one alert.
    await pool.step('setClock', { ms: NOW + 120 * MINUTE });
    const oneKey = await pool.step('alerts', { calls: 100, key: 'same' });
    expect(callerErrors(oneKey)).toEqual([]);
    expect(answered(oneKey)).toBe(1000);
    expect(sent(oneKey)).toBe(1);
  });

  it('cleanup with an event retention shorter than the hour does not reset the rate limit or the cooldown', async () => {
    const d = (open.d = await deploy(tempDir(), { store, config: { alerts: { maxPerHour: 10, cooldown: '1h' }, retention: { events: { maxAge: '30m' } } } }));
    const pool = (open.pool = await startPool(mode, { workers: 10 }, d.job));

    expect(sent(await pool.step('alerts', { calls: 100, key: 'same' }))).toBe(1);
    expect(sent(await pool.step('alerts', { calls: 100, key: 'distinct' }))).toBe(9);
    await pool.step('setClock', { ms: NOW + 31 * MINUTE });
    const cleaned = await pool.step('cleanup');
    expect(callerErrors(cleaned)).toEqual([]);
    // 31 minutes after ten alerts went out, the sliding hour and the one key's cooldown still hold them.
    const oneKey = await pool.step('alerts', { calls: 100, key: 'same' });
    const distinct = await pool.step('alerts', { calls: 100, key: 'distinct', prefix: 'after-cleanup' });
    expect(callerErrors([...oneKey, ...distinct])).toEqual([]);
    expect({ oneKey: sent(oneKey), distinct: sent(distinct) }).toEqual({ oneKey: 0, distinct: 0 });
  });
});
