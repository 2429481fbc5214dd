import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDetector, type Detector } from '../../src/detector/create-detector.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const open: Detector[] = [];
afterEach(async () => { for (const d of open.splice(0)) await d.close(); delete process.env.DRIFTWATCH_STATE_DIR; });

async function setup() {
  const dir = tempDir();
  const tree = path.join(dir, 'tree');
  fs.mkdirSync(path.join(tree, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(tree, 'a.conf'), 'a=1\n', { mode: 0o644 });
  fs.writeFileSync(path.join(tree, 'sub', 'b.yaml'), 'b: 1\n');
  fs.writeFileSync(path.join(tree, '.env'), 'DB_PASSWORD=hunter22\n');
  fs.symlinkSync('a.conf', path.join(tree, 'link'));
  process.env.DRIFTWATCH_STATE_DIR = path.join(dir, 'state');
  const d = await createDetector({ config: { sources: [{ name: 'app', path: tree }] }, store: path.join(dir, 'drift.db'), keyFile: path.join(dir, 'k') });
  open.push(d);
  await d.check('app');
  return { d, tree, state: path.join(dir, 'state') };
}

describe('restore', () => {
  it('puts changed, removed and re-pointed files back, atomically, with backups outside the tree', async () => {
    const { d, tree, state } = await setup();
    fs.writeFileSync(path.join(tree, 'a.conf'), 'a=2\n');
    fs.chmodSync(path.join(tree, 'a.conf'), 0o666);
    fs.rmSync(path.join(tree, 'sub', 'b.yaml'));
    fs.rmSync(path.join(tree, 'link'));
    fs.symlinkSync('elsewhere', path.join(tree, 'link'));
    fs.writeFileSync(path.join(tree, 'new.txt'), 'x');

    const dry = await d.restore(tree, { dryRun: true });
    expect(fs.readFileSync(path.join(tree, 'a.conf'), 'utf8')).toBe('a=2\n');
    expect(dry.actions.map((a) => [a.file, a.action])).toContainEqual(['a.conf', 'restored']);

    const { actions } = await d.restore(tree);
    const byFile = new Map(actions.map((a) => [a.file, a]));
    expect(byFile.get('a.conf')?.action).toBe('restored');
    expect(byFile.get('sub/b.yaml')?.action).toBe('recreated');
    expect(byFile.get('link')?.action).toBe('restored');
    expect(byFile.get('.env')?.action).toBe('unchanged');
    expect(byFile.get('new.txt')?.action).toBe('left');
    expect(fs.readFileSync(path.join(tree, 'a.conf'), 'utf8')).toBe('a=1\n');
    expect(fs.statSync(path.join(tree, 'a.conf')).mode & 0o777).toBe(0o644);
    expect(fs.readlinkSync(path.join(tree, 'link'))).toBe('a.conf');
    expect(fs.readFileSync(byFile.get('a.conf')!.backup!, 'utf8')).toBe('a=2\n');
    expect(byFile.get('a.conf')!.backup!.startsWith(state)).toBe(true);
    expect(fs.readdirSync(tree).filter((f) => f.includes('driftwatch'))).toEqual([]);
    // Only the file left alone is still drift.
    expect((await d.check('app')).changes.map((c) => [c.file, c.kind])).toEqual([['new.txt', 'added']]);
  });

  it('refuses a file whose baseline held a secret, and names the reason', async () => {
    const { d, tree } = await setup();
    fs.writeFileSync(path.join(tree, '.env'), 'DB_PASSWORD=changed1\n');
    const { actions } = await d.restore(path.join(tree, '.env'));
    expect(actions).toEqual([{ file: '.env', action: 'refused', reason: expect.stringMatching(/secret/) }]);
    expect(fs.readFileSync(path.join(tree, '.env'), 'utf8')).toBe('DB_PASSWORD=changed1\n');
  });

  it('says SOURCE_NOT_FOUND for a path in no checked source', async () => {
    const { d } = await setup();
    await expect(d.restore('/nowhere/at/all')).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
  });
});
