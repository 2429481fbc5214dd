import { JsonValue } from '../core/json-text.js';
import type { Problem } from '../core/problem.js';
import type { SourceReport } from '../detector/check-source.js';
import type { DriftEvent } from '../detector/drift-event.js';
import { formatForFile } from '../formats/format-for-file.js';
import { paintSeverity, type Paint } from './paint.js';
import { renderValue } from './render-value.js';
import { safeText } from './safe-text.js';

/** The JSON document of SPEC section 3 for `check`. */
export function checkDocument(reports: readonly SourceReport[]) {
  return {
    version: 1,
    drift: reports.some((r) => r.changes.length > 0),
    sources: reports.map((r) => ({
      source: r.source,
      host: r.host,
      status: r.status,
      changes: r.changes.map(changeDocument),
      problems: r.problems.map(problemDocument),
    })),
  };
}

export function changeDocument(e: DriftEvent) {
  return { ...changeFields(e), id: e.id, detectedAt: e.detectedAt.toISOString() };
}

/** A change as SPEC section 3 prints it; values keep their kind (`1.0` stays a float). */
export function changeFields(e: Omit<DriftEvent, 'id' | 'detectedAt' | 'source' | 'host' | 'againstSnapshotId' | 'snapshotId'>) {
  return {
    file: e.file, path: e.path, kind: e.kind, ...(e.attribute ? { attribute: e.attribute } : {}),
    before: new JsonValue(e.before), after: new JsonValue(e.after), severity: e.severity, type: e.type, secret: e.secret,
    ...(e.silenced ? { silenced: { ...e.silenced, until: e.silenced.until.toISOString() } } : {}),
  };
}

export function problemDocument(p: Problem) {
  return { file: p.file, ...(p.line !== undefined ? { line: p.line } : {}), code: p.code, message: p.message, ...(p.key ? { key: p.key } : {}) };
}

const STATUS_TEXT: Record<SourceReport['status'], string> = {
  baseline_recorded: 'baseline recorded',
  drift: 'DRIFT',
  problems: 'problems',
  clean: 'clean',
  error: 'ERROR',
};

/** The text report: per source a headline, then changes grouped by file, one line each. */
export function renderCheckText(reports: readonly SourceReport[], paint: Paint, hint = true): string {
  const out: string[] = [];
  for (const r of reports) {
    const counts = [plural(r.changes.length, 'change'), r.problems.length ? plural(r.problems.length, 'problem') : '']
      .filter(Boolean).join(', ');
    const status = r.status === 'drift' || r.status === 'error' ? paint(['bold', 'red'], STATUS_TEXT[r.status]) : STATUS_TEXT[r.status];
    out.push(`${paint('bold', safeText(r.source))}  ${status}${r.status === 'baseline_recorded' ? '' : `  (${counts})`}`);
    let file: string | undefined;
    for (const e of r.changes) {
      if (e.file !== file) out.push(`  ${paint('bold', safeText(file = e.file) || '(source root)')}`);
      const silenced = e.silenced ? paint('dim', `  [silenced until ${e.silenced.until.toISOString().slice(0, 16).replace('T', ' ')}: ${e.silenced.reason}]`) : '';
      out.push(`    ${paintSeverity(paint, e.severity)} ${describeChange(e)}${silenced}`);
    }
    for (const p of r.problems) out.push(`  ${paint('magenta', '!')} ${problemLine(p)}`);
  }
  if (hint && reports.some((r) => r.changes.length > 0)) {
    out.push('', paint('dim', 'Review with `driftwatch events`; accept the new state with `driftwatch baseline accept [PATH...] [--file FILE] --reason "..."`.'));
  }
  return out.join('\n') + '\n';
}

function describeChange(e: DriftEvent): string {
  const where = e.path === '' ? '(file)' : lineLabel(e) ?? safeText(e.path);
  const secret = e.secret ? ' (secret)' : '';
  switch (e.kind) {
    case 'added': return `${where}  added  ${e.path === '' ? '' : renderValue(e.after)}${secret}`.trimEnd();
    case 'removed': return `${where}  removed  ${e.path === '' ? '' : renderValue(e.before)}${secret}`.trimEnd();
    case 'modified': {
      // "8080" and 8080 print alike bare: when the kind changed, show both as JSON.
      const plain = typeof e.before === typeof e.after;
      return `${where}  ${renderValue(e.before, 50, plain)} → ${renderValue(e.after, 50, plain)}${secret}`;
    }
    case 'metadata': return `${e.attribute}  ${renderValue(e.before, 40)} → ${renderValue(e.after, 40)}`;
  }
}

// A text file is a list of lines: `/3` reads better as `line 4`.
export function lineLabel(e: Pick<DriftEvent, 'path' | 'file'>): string | undefined {
  const m = /^\/(\d+)$/.exec(e.path);
  return m && formatForFile(e.file) === 'text' ? `line ${Number(m[1]) + 1}` : undefined;
}

export function problemLine(p: Problem): string {
  const where = p.file === '' ? '(source)' : p.line !== undefined ? `${safeText(p.file)}:${p.line}` : safeText(p.file);
  return `${where}  ${p.code}  ${safeText(p.message)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
