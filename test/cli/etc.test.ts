// Real input nobody here wrote: a copy of this machine's /etc, checked through
// the CLI. Files to edit are chosen at test time (sorted, so the same machine
// always picks the same ones), so the test holds on any Debian host.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliWithState } from '../helpers/run-cli.js';

type Tuple = [file: string, path: string, kind: string, attribute?: string];

/** Copies a tree as it is: modes and owners kept, links kept as links; sockets, FIFOs, devices and unreadable entries skipped. */
function copyTreeAsIs(src: string, dst: string): void {
  const stat = fs.lstatSync(src);
  fs.mkdirSync(dst, { mode: 0o700 });
  for (const name of fs.readdirSync(src).sort()) {
    const s = path.join(src, name);
    const d = path.join(dst, name);
    try {
      const st = fs.lstatSync(s);
      if (st.isDirectory()) copyTreeAsIs(s, d);
      else if (st.isSymbolicLink()) {
        fs.symlinkSync(fs.readlinkSync(s), d);
        chownIfRoot(() => fs.lchownSync(d, st.uid, st.gid));
      } else if (st.isFile()) {
        fs.copyFileSync(s, d);
        chownIfRoot(() => fs.chownSync(d, st.uid, st.gid));
        fs.chmodSync(d, st.mode & 0o7777);
      }
    } catch {
      // Unreadable or vanished: not part of the copy.
      fs.rmSync(d, { recursive: true, force: true });
    }
  }
  chownIfRoot(() => fs.chownSync(dst, stat.uid, stat.gid));
  fs.chmodSync(dst, stat.mode & 0o7777);
}

const chownIfRoot = (chown: () => void) => {
  if (process.getuid?.() === 0) chown();
};

function regularFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...regularFiles(root, r));
    else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

const pointer = (...segments: string[]) => segments.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');

// A plain word value: no quoting, escaping, number or boolean reading in any format.
const WORD = /^[A-Za-z][A-Za-z0-9_.\/-]*$/;
const BOOLEAN_LIKE = /^(true|false|yes|no|on|off|null|none)$/i;
const plainWord = (v: string) => WORD.test(v) && !BOOLEAN_LIKE.test(v) && !v.endsWith('.');

interface StructuredEdit {
  file: string;
  path: string;
  before: string;
  after: string;
  /** The whole new text of the file. */
  text: string;
}

const count = (lines: string[], re: RegExp) => lines.filter((l) => re.test(l)).length;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One value in one structured file (properties, ini, toml, json), chosen so its pointer and value are unambiguous. */
function findStructuredEdit(root: string, file: string): StructuredEdit | undefined {
  const text = fs.readFileSync(path.join(root, file), 'latin1');
  if (/[^\x09\x0a\x0d\x20-\x7e]/.test(text)) return undefined; // plain ASCII only: no encoding question
  const lines = text.split('\n');
  const ext = path.extname(file).toLowerCase();
  const edit = (i: number, prefix: string, value: string, suffix: string, at: string) => {
    const after = `${value}-drifted`;
    const next = [...lines];
    next[i] = prefix + after + suffix;
    return { file, path: at, before: value, after, text: next.join('\n') };
  };
  if (ext === '.properties') {
    if (lines.some((l) => /\\\s*$/.test(l))) return undefined; // no continuation lines anywhere
    for (const [i, line] of lines.entries()) {
      const m = /^([A-Za-z][A-Za-z0-9_.-]*)(\s*=\s*)(\S+)$/.exec(line);
      if (!m || !plainWord(m[3]!)) continue;
      if (count(lines, new RegExp(`^\\s*${escapeRe(m[1]!)}\\s*[=:\\s]`)) !== 1) continue;
      return edit(i, m[1]! + m[2]!, m[3]!, '', pointer(m[1]!));
    }
  }
  if (ext === '.ini' || ext === '.toml') {
    let section: string | undefined;
    const sections = lines.map((l) => /^\s*\[([^\]]+)\]\s*$/.exec(l)?.[1]?.trim());
    for (const [i, line] of lines.entries()) {
      if (sections[i] !== undefined) { section = sections[i]; continue; }
      const m = ext === '.ini'
        ? /^([A-Za-z][A-Za-z0-9_-]*)(\s*=\s*)(\S+)$/.exec(line)
        : /^([A-Za-z][A-Za-z0-9_-]*)(\s*=\s*")([^"\\]*)"$/.exec(line);
      if (!m || !plainWord(m[3]!)) continue;
      if (ext === '.ini' && (section === undefined || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(section))) continue;
      if (ext === '.toml' && section !== undefined) continue; // top-level keys only
      if (section !== undefined && sections.filter((s) => s === section).length !== 1) continue;
      // The key once in its section (and, simply, once in the file).
      if (count(lines, new RegExp(`^\\s*${escapeRe(m[1]!)}\\s*=`)) !== 1) continue;
      return edit(i, m[1]! + m[2]!, m[3]!, ext === '.toml' ? '"' : '', section === undefined ? pointer(m[1]!) : pointer(section, m[1]!));
    }
  }
  if (ext === '.json') {
    let doc: unknown;
    try { doc = JSON.parse(text); } catch { return undefined; }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
    for (const key of Object.keys(doc).sort()) {
      const value = (doc as Record<string, unknown>)[key];
      if (typeof value !== 'string' || !plainWord(value) || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(key)) continue;
      const re = new RegExp(`^(.*"${escapeRe(key)}"\\s*:\\s*")${escapeRe(value)}(".*)$`);
      const hits = lines.map((l, i) => [i, re.exec(l)] as const).filter(([, m]) => m);
      if (hits.length !== 1 || count(lines, new RegExp(`"${escapeRe(key)}"`)) !== 1) continue;
      const [i, m] = hits[0]!;
      return edit(i, m![1]!, value, m![2]!, pointer(key));
    }
  }
  return undefined;
}

const hostRoot = '/etc';

describe('a copy of this machine\'s /etc', () => {
  let tmp: string;
  let etc: string;
  let cli: ReturnType<typeof cliWithState>;
  let baselineProblems: { file: string; code: string; line?: number }[] = [];
  const check = () => cli.run(['check', etc, '--format', 'json']);

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dw-etc-'));
    etc = path.join(tmp, 'etc');
    copyTreeAsIs(hostRoot, etc); // once: nothing else touches the copy afterwards
    cli = cliWithState(tmp);
  });
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('records a baseline of every file, and a check of the unchanged tree finds nothing', () => {
    expect(regularFiles(etc).length, 'the copy has files').toBeGreaterThan(50);
    const first = check();
    const firstDoc = first.json();
    const source = firstDoc.sources[0];
    expect(source.status).toBe('baseline_recorded');
    expect(source.changes).toEqual([]);
    baselineProblems = source.problems;
    expect(first.code, first.stderr).toBe(baselineProblems.length ? 2 : 0);
    if (baselineProblems.length) {
      // Real files this product cannot compare: shown, not hidden.
      console.warn(`files in ${hostRoot} driftwatch reports as problems:\n` +
        baselineProblems.map((p) => `  ${p.file}:${p.line ?? ''} ${p.code}`).join('\n'));
    }
    for (const p of baselineProblems) expect(p.code, p.file).not.toMatch(/^SOURCE_/);

    const again = check();
    const doc = again.json();
    expect(doc.drift).toBe(false);
    expect(doc.sources[0].changes).toEqual([]);
    expect(doc.sources[0].problems).toEqual(baselineProblems);
    expect(doc.sources[0].status).toBe(baselineProblems.length ? 'problems' : 'clean');
    expect(again.code, again.stderr).toBe(baselineProblems.length ? 2 : 0);
  });

  it('reports exactly a changed value, a changed hosts line, a chmod, a removed file and an added file', () => {
    const problemFiles = new Set(baselineProblems.map((p) => p.file));
    const files = regularFiles(etc).filter((f) => !problemFiles.has(f));

    let structured: StructuredEdit | undefined;
    for (const f of files) {
      if (!/\.(properties|ini|toml|json)$/i.test(f)) continue;
      structured = findStructuredEdit(etc, f);
      if (structured) break;
    }
    expect(structured, `a structured config file (properties, ini, toml, json) with a plain value in ${hostRoot}`).toBeDefined();
    const value = structured!;
    fs.writeFileSync(path.join(etc, value.file), value.text, 'latin1');

    expect(files, `${hostRoot}/hosts`).toContain('hosts');
    const hostsLines = fs.readFileSync(path.join(etc, 'hosts'), 'utf8').split('\n');
    const hostsLine = hostsLines.findIndex((l) => /^\s*[0-9a-f:.]+\s+\S/i.test(l));
    expect(hostsLine, 'an address line in hosts').toBeGreaterThanOrEqual(0);
    const hostsBefore = hostsLines[hostsLine]!;
    hostsLines[hostsLine] = `${hostsBefore} drift-e2e-alias`;
    fs.writeFileSync(path.join(etc, 'hosts'), hostsLines.join('\n'));

    // Plain, small, never-secret files for the whole-file changes.
    const used = new Set([value.file, 'hosts']);
    const others = files.filter((f) => !used.has(f) && /\.conf$/.test(f) && !/\s/.test(f));
    expect(others.length).toBeGreaterThanOrEqual(2);
    const chmodFile = others[0]!;
    const removedFile = others[1]!;
    const oldMode = fs.statSync(path.join(etc, chmodFile)).mode & 0o7777;
    const newMode = oldMode === 0o600 ? 0o640 : 0o600;
    fs.chmodSync(path.join(etc, chmodFile), newMode);
    fs.rmSync(path.join(etc, removedFile));
    const addedFile = 'driftwatch-e2e-added.conf';
    fs.writeFileSync(path.join(etc, addedFile), 'added = by the end-to-end test\n');

    const r = check();
    const doc = r.json();
    const source = doc.sources[0];
    const got: Tuple[] = source.changes.map((c: any) => (c.attribute ? [c.file, c.path, c.kind, c.attribute] : [c.file, c.path, c.kind]));
    const want: Tuple[] = [
      [addedFile, '', 'added'],
      [chmodFile, '', 'metadata', 'mode'],
      [removedFile, '', 'removed'],
      ['hosts', `/${hostsLine}`, 'modified'],
      [value.file, value.path, 'modified'],
    ];
    const sortTuples = (t: Tuple[]) => [...t].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(sortTuples(got)).toEqual(sortTuples(want));

    const find = (file: string) => source.changes.find((c: any) => c.file === file);
    expect(find(value.file)).toMatchObject({ before: value.before, after: value.after, secret: false });
    expect(find('hosts')).toMatchObject({ before: hostsBefore, after: `${hostsBefore} drift-e2e-alias` });
    expect(find(chmodFile)).toMatchObject({
      before: oldMode.toString(8).padStart(4, '0'), after: newMode.toString(8).padStart(4, '0'), type: 'permission_change',
    });
    expect(find(removedFile).after).toBeNull();
    expect(find(addedFile).before).toBeNull();
    expect(source.problems).toEqual(baselineProblems);
    expect(source.status).toBe('drift');
    expect(doc.drift).toBe(true);
    expect(r.code, r.stderr).toBe(2);
  });

  it('events and summary agree with the check', () => {
    const checked = check().json().sources[0];
    // Drift that persists is the same events, not new ones.
    expect(checked.changes).toHaveLength(5);

    const events = cli.run(['events', '--format', 'json']);
    expect(events.code, events.stderr).toBe(0);
    const listed = events.json().events;
    expect(listed).toHaveLength(5);
    const key = (c: any) => JSON.stringify([c.id, c.file, c.path, c.kind, c.attribute ?? null, c.severity]);
    expect(listed.map(key).sort()).toEqual(checked.changes.map(key).sort());
    for (const e of listed) expect(e.source).toBe(etc);

    const summary = cli.run(['summary', '--format', 'json']);
    expect(summary.code, summary.stderr).toBe(0);
    const s = summary.json();
    expect(s.events24h).toBe(listed.length);
    const { low, medium, high, critical } = s.severity;
    expect(low + medium + high + critical).toBe(s.events24h);
    for (const level of ['low', 'medium', 'high', 'critical']) {
      expect(s.severity[level], level).toBe(listed.filter((e: any) => e.severity === level).length);
    }
    expect(s.sources).toBe(1);
    expect(s.problems).toBe(baselineProblems.length);
  });
});
