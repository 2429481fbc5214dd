import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDetector, type Detector } from '../../src/detector/create-detector.js';
import type { DriftwatchConfig } from '../../src/config/config-types.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const open: Detector[] = [];
afterEach(async () => { for (const d of open.splice(0)) await d.close(); });

const HOUR = 3_600_000;

async function setup(extra: Partial<DriftwatchConfig> = {}) {
  const dir = tempDir();
  const tree = path.join(dir, 'tree');
  fs.mkdirSync(tree);
  fs.writeFileSync(path.join(tree, 'a.yaml'), 'tls:\n  enabled: true\nport: 1\n');
  let now = Date.parse('2026-12-01T00:00:00Z');
  const d = await createDetector({
    config: { sources: [{ name: 'app', path: tree }], alerts: { minSeverity: 'low', cooldown: '1s', maxPerHour: 100 }, ...extra },
    store: path.join(dir, 'drift.db'), keyFile: path.join(dir, 'secret.key'), clock: () => now,
  });
  open.push(d);
  await d.check('app');
  fs.writeFileSync(path.join(tree, 'a.yaml'), 'tls:\n  enabled: false\nport: 2\n');
  return { d, advance: (ms: number) => { now += ms; } };
}

describe('silences', () => {
  it('records silenced drift, shows it as silenced, never alerts it, and stops applying when it expires', async () => {
    const { d, advance } = await setup();
    const silence = await d.addSilence({ match: { path: '/tls/**' }, forMs: 2 * HOUR, reason: 'cert rotation', owner: 'ana' });
    const report = await d.check('app');
    const byPath = new Map(report.changes.map((c) => [c.path, c]));
    expect(byPath.get('/tls/enabled')?.silenced).toMatchObject({ id: silence.id, owner: 'ana', reason: 'cert rotation' });
    expect(byPath.get('/port')?.silenced).toBeUndefined();
    expect(await d.shouldAlert(byPath.get('/tls/enabled')!)).toBe(false);
    expect(await d.shouldAlert(byPath.get('/port')!)).toBe(true);

    advance(2 * HOUR + 1);
    const later = await d.check('app');
    expect(later.changes.every((c) => c.silenced === undefined)).toBe(true);
    expect(await d.shouldAlert(later.changes.find((c) => c.path === '/tls/enabled')!)).toBe(true);
    expect(await d.listSilences()).toEqual([]);
    expect((await d.listSilences({ all: true })).map((s) => s.id)).toEqual([silence.id]);
  });

  it('ends a silence on demand and refuses one without a reason or a match', async () => {
    const { d } = await setup();
    const silence = await d.addSilence({ match: { file: '*.yaml' }, forMs: HOUR, reason: 'r', owner: 'o' });
    expect(await d.endSilence(silence.id)).toBe(true);
    expect((await d.check('app')).changes.some((c) => c.silenced)).toBe(false);
    await expect(d.addSilence({ match: {}, forMs: HOUR, reason: 'r', owner: 'o' })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(d.addSilence({ match: { file: 'x' }, forMs: HOUR, reason: ' ', owner: 'o' })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('applies silences from the config file until their expiry date', async () => {
    const { d, advance } = await setup({ silences: [{ file: 'a.yaml', kind: 'modified', reason: 'migration week', expires: '2026-12-02' }] });
    expect((await d.check('app')).changes.every((c) => c.silenced?.id === -1 && c.silenced.owner === 'config')).toBe(true);
    advance(25 * HOUR);
    expect((await d.check('app')).changes.some((c) => c.silenced)).toBe(false);
  });
});
