// SPEC 6.2: N concurrent compareSnapshots of the same pair record each change exactly once.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { deploy, STORE_MODES, expectEventsUnique, TREE, writeTree, type Deployment } from './fixture.js';
import { callerErrors, startPool, type Pool } from './run-mode.js';

const tempDir = useTempDir('dw-conc-');
let open: { pool?: Pool; d?: Deployment } = {};
afterEach(async () => {
  await open.pool?.close();
  await open.d?.close();
  open = {};
});

describe.each(STORE_MODES)('concurrent drift detection ($label)', ({ mode, store }) => {
  it('10 concurrent compareSnapshots of a changed pair store each of its 3 changes exactly once, and every caller gets the same events', async () => {
    const d = (open.d = await deploy(tempDir(), { store }));
    expect((await d.reader.check('app')).status).toBe('baseline_recorded');
    const tree = path.join(d.root, 'app');
    writeTree(tree, {
      'app.yaml': TREE['app.yaml']!.replace('port: 8080', 'port: 9090'),
      'db/database.json': TREE['db/database.json']!.replace('"max": 20', '"max": 50'),
      'cache.toml': TREE['cache.toml']!.replace('ttl = 300', 'ttl = 60'),
    });
    const latest = (await d.reader.takeSnapshot('app')).snapshot!;
    const baseline = (await d.reader.store.getBaseline(latest.sourceId))!;
    expect(latest.id).not.toBe(baseline.snapshotId);

    const pool = (open.pool = await startPool(mode, { workers: 10 }, d.job));
    const results = await pool.step('compare', { source: 'app' });
    expect(callerErrors(results)).toEqual([]);

    const stored = await d.reader.store.listEvents({ sourceId: latest.sourceId });
    expect(stored.length).toBe(3);
    expect(stored.map((e) => [e.file, e.path, e.kind, e.againstSnapshotId, e.snapshotId]).sort()).toEqual([
      ['app.yaml', '/server/port', 'modified', baseline.snapshotId, latest.id],
      ['cache.toml', '/redis/ttl', 'modified', baseline.snapshotId, latest.id],
      ['db/database.json', '/pool/max', 'modified', baseline.snapshotId, latest.id],
    ]);
    const ids = stored.map((e) => e.id).sort();
    for (const result of results) {
      expect(result.events.length).toBe(1);
      expect(result.events[0].map((e: { id: number }) => e.id).sort()).toEqual(ids);
    }
    await expectEventsUnique(d.reader.store);
    // Asked again, later: the same drift, the same events, nothing new.
    expect((await d.reader.compareSnapshots('app')).map((e) => e.id).sort()).toEqual(ids);
    expect((await d.reader.store.listEvents()).length).toBe(3);
  });
});
