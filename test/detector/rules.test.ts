import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDetector, type Detector } from '../../src/detector/create-detector.js';
import type { DriftwatchConfig } from '../../src/config/config-types.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const open: Detector[] = [];
afterEach(async () => { for (const d of open.splice(0)) await d.close(); });

async function drift(files: Record<string, [string, string]>, config: Partial<DriftwatchConfig>) {
  const dir = tempDir();
  const tree = path.join(dir, 'tree');
  fs.mkdirSync(tree);
  const write = (i: 0 | 1) => { for (const [f, texts] of Object.entries(files)) fs.writeFileSync(path.join(tree, f), texts[i]); };
  write(0);
  const d = await createDetector({ config: { sources: [{ name: 'app', path: tree }], ...config }, store: path.join(dir, 'drift.db'), keyFile: path.join(dir, 'k') });
  open.push(d);
  await d.check('app');
  write(1);
  return d.check('app');
}

describe('rules from the configuration, end to end', () => {
  it('ignores by file glob, pointer glob and kind: ignored changes are not events', async () => {
    const report = await drift({
      'yarn.lock': ['a\n', 'b\n'],
      'k.yaml': ['metadata:\n  annotations:\n    at: "1"\n  name: x\nspec: 1\n', 'metadata:\n  annotations:\n    at: "2"\n  name: y\nspec: 2\n'],
    }, { ignore: [{ file: '**/*.lock' }, { path: '/metadata/annotations/*' }, { path: '/spec', kind: 'modified' }] });
    expect(report.changes.map((c) => [c.file, c.path])).toEqual([['k.yaml', '/metadata/name']]);
  });

  it('lets the first matching severity rule decide, with value predicates', async () => {
    const report = await drift({ 'a.yaml': ['tls:\n  verify: true\nworkers: 8\nnote: a\n', 'tls:\n  verify: false\nworkers: 4\nnote: b\n'] }, {
      severity: [
        { path: '/workers', when: { decreased: true }, level: 'critical', type: 'environment_mismatch' },
        { path: '**/tls/**', level: 'medium' },
        { file: '*.yaml', level: 'high' },
      ],
    });
    expect(report.changes.map((c) => [c.path, c.severity, c.type])).toEqual([
      ['/note', 'high', 'manual_change'],
      ['/tls/verify', 'medium', 'security_degradation'],
      ['/workers', 'critical', 'environment_mismatch'],
    ]);
  });

  it('matches list items by identity: a reorder is no drift, an edit is reported at the item', async () => {
    const before = 'containers:\n  - {name: web, image: web:1}\n  - {name: db, image: pg:15}\n';
    const after = 'containers:\n  - {name: db, image: pg:16}\n  - {name: web, image: web:1}\n';
    const report = await drift({ 'pod.yaml': [before, after] }, { lists: [{ path: '/containers', keys: ['name'] }] });
    expect(report.changes.map((c) => [c.path, c.kind, c.before, c.after])).toEqual([['/containers/0/image', 'modified', 'pg:15', 'pg:16']]);
  });

  it('refuses a bad rule before anything runs, naming it', async () => {
    const dir = tempDir();
    await expect(createDetector({ config: { ignore: [{}] }, store: path.join(dir, 'd.db'), keyFile: path.join(dir, 'k') }))
      .rejects.toMatchObject({ code: 'CONFIG_INVALID', key: 'ignore.0' });
    expect(fs.existsSync(path.join(dir, 'd.db'))).toBe(false);
  });
});
