import path from 'node:path';
import { toPointer } from '../../core/pointer.js';
import { diffPaths } from '../../detector/diff-paths.js';
import type { DriftEvent } from '../../detector/drift-event.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { changeFields, problemDocument, renderCheckText } from '../render-check.js';
import { writeReport } from '../write-report.js';

/** `driftwatch diff A B`: stateless structured diff; exit 2 when they differ or one cannot be read. */
export async function runDiff(io: CliIo, options: GlobalOptions, a: string, b: string): Promise<number> {
  const { changes, problems } = await diffPaths(path.resolve(io.cwd, a), path.resolve(io.cwd, b));
  const now = new Date();
  // Shown exactly like a check's drift; there is no store, so no ids.
  const events: DriftEvent[] = changes.map((c, i) => ({
    id: i + 1, source: `${a} → ${b}`, host: '', file: c.file, path: toPointer(c.path),
    kind: c.kind, ...(c.kind === 'metadata' ? { attribute: c.attribute } : {}),
    ...('before' in c ? { before: c.before } : {}), ...('after' in c ? { after: c.after } : {}),
    severity: c.severity, type: c.type, secret: c.secret, detectedAt: now, againstSnapshotId: 0, snapshotId: 0,
  }));
  const status = events.length ? 'drift' : problems.length ? 'problems' : 'clean';
  writeReport(io, options, {
    version: 1, drift: events.length > 0,
    changes: events.map(changeFields),
    problems: problems.map(problemDocument),
  }, (paint) => renderCheckText([{ source: `${a} → ${b}`, host: '', status, changes: events, problems, snapshotId: null, againstSnapshotId: null }], paint, false));
  return events.length || problems.length ? 2 : 0;
}
