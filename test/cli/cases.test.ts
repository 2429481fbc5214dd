// Every drift case with an expect.json, run through the real CLI: the first
// check records the baseline of before/, the second compares after/ with it.
// The inputs are the project's own copies in test/fixtures/cases/<case-id>/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliWithState, readAllBytes } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const casesDir = fileURLToPath(new URL('../fixtures/cases/', import.meta.url));

interface Expect {
  changes?: Record<string, unknown>[];
  exact?: boolean;
  problems?: { file: string }[];
  forbid?: { file: string; path: string }[];
  absent?: string[];
  present?: string[];
  status?: string;
}

const cases = fs.readdirSync(casesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && fs.existsSync(path.join(casesDir, e.name, 'expect.json')))
  .map((e) => e.name)
  .sort();

function titleOf(id: string): string {
  const first = fs.readFileSync(path.join(casesDir, id, 'case.md'), 'utf8').split('\n')[0] ?? '';
  return first.replace(/^#+\s*/, '').trim();
}

/** Files (not directories) under dir, relative, `/` separated. */
function listFiles(dir: string, rel = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), r));
    else out.push(r);
  }
  return out;
}

function copyTree(src: string, dst: string): void {
  for (const rel of listFiles(src)) {
    fs.mkdirSync(path.dirname(path.join(dst, rel)), { recursive: true });
    fs.copyFileSync(path.join(src, rel), path.join(dst, rel));
  }
}

/** The case runner's rule: only the keys the case names are compared, by their JSON text. */
function matches(obj: Record<string, unknown>, want: Record<string, unknown>): boolean {
  return Object.entries(want).every(([k, v]) => JSON.stringify(obj?.[k]) === JSON.stringify(v));
}

describe('drift cases through the CLI', () => {
  const tempDir = useTempDir('dw-case-');

  it('has the copied cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const id of cases) {
    it(`${id}: ${titleOf(id)}`, () => {
      const dir = path.join(casesDir, id);
      const want = JSON.parse(fs.readFileSync(path.join(dir, 'expect.json'), 'utf8')) as Expect;
      const tmp = tempDir();
      const tree = path.join(tmp, 'tree');
      fs.mkdirSync(tree);
      const { stateDir, run } = cliWithState(tmp);

      copyTree(path.join(dir, 'before'), tree);
      if (fs.existsSync(path.join(dir, 'setup.sh'))) execFileSync('sh', [path.join(dir, 'setup.sh')], { cwd: tree });

      const first = run(['check', tree, '--format', 'json']);
      const firstDoc = first.json();
      const firstWant = firstDoc.sources?.[0]?.problems?.length ? 2 : 0;
      expect(first.code, `first check: ${first.stderr}`).toBe(firstWant);

      if (fs.existsSync(path.join(dir, 'after'))) {
        const keep = new Set(listFiles(path.join(dir, 'after')));
        for (const f of listFiles(path.join(dir, 'before'))) if (!keep.has(f)) fs.rmSync(path.join(tree, f));
        copyTree(path.join(dir, 'after'), tree);
      }
      if (fs.existsSync(path.join(dir, 'mutate.sh'))) execFileSync('sh', [path.join(dir, 'mutate.sh')], { cwd: tree });

      const second = run(['check', tree, '--format', 'json']);
      const doc = second.json();
      expect(doc.sources).toHaveLength(1);
      const source = doc.sources[0];
      const changes: Record<string, unknown>[] = source.changes ?? [];
      const problems: { file: string }[] = source.problems ?? [];
      const shown = JSON.stringify(changes.map((c) => [c.file, c.path, c.kind, c.attribute]));

      for (const w of want.changes ?? []) {
        expect(changes.some((c) => matches(c, w)), `missing change ${JSON.stringify(w)} in ${shown}`).toBe(true);
      }
      if (want.exact) expect(changes.length, `exactly the expected changes, got ${shown}`).toBe((want.changes ?? []).length);
      for (const w of want.problems ?? []) {
        expect(problems.some((p) => p.file === w.file), `missing problem for ${w.file} in ${JSON.stringify(problems)}`).toBe(true);
      }
      for (const f of want.forbid ?? []) {
        expect(changes.some((c) => c.file === f.file && c.path === f.path), `forbidden change at ${f.file} ${f.path}`).toBe(false);
      }
      for (const s of want.present ?? []) expect(second.stdout, `stdout shows ${s}`).toContain(s);
      if (want.status) expect(source.status).toBe(want.status);
      expect(second.code, second.stderr).toBe(changes.length || problems.length ? 2 : 0);

      if (want.absent?.length) {
        const text = Buffer.from(first.stdout + first.stderr + second.stdout + second.stderr, 'utf8');
        const stored = readAllBytes(stateDir);
        expect(stored.length, 'the state directory holds the store').toBeGreaterThan(0);
        for (const s of want.absent) {
          const needle = Buffer.from(s, 'utf8');
          expect(text.includes(needle), `"${s}" printed`).toBe(false);
          expect(stored.includes(needle), `"${s}" in the state directory`).toBe(false);
        }
      }
    });
  }
});
