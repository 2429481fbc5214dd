import type { Problem } from '../../core/problem.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { openDetector, requireSources } from '../open-detector.js';
import { problemDocument, problemLine } from '../render-check.js';
import { writeReport } from '../write-report.js';

/** `driftwatch snapshot [PATH...]`: record the state without comparing. Exit 2 when files had problems. */
export async function runSnapshot(io: CliIo, options: GlobalOptions, paths: string[]): Promise<number> {
  const { detector, sources } = await openDetector(io, options, paths);
  try {
    requireSources(sources);
    const results: { source: string; status: string; snapshot: { id: number; files: number; takenAt: string } | null; problems: Problem[] }[] = [];
    for (const name of sources) {
      const outcome = await detector.takeSnapshot(name);
      results.push({
        source: name,
        status: outcome.snapshot ? (outcome.created ? 'recorded' : 'unchanged') : 'error',
        snapshot: outcome.snapshot ? { id: outcome.snapshot.id, files: outcome.snapshot.fileCount, takenAt: new Date(outcome.snapshot.takenAt).toISOString() } : null,
        problems: outcome.problems,
      });
    }
    writeReport(io, options, { version: 1, sources: results.map((r) => ({ ...r, problems: r.problems.map(problemDocument) })) }, (paint) =>
      results.map((r) => [
        `${paint('bold', r.source)}  ${r.snapshot ? `snapshot #${r.snapshot.id} ${r.status} (${r.snapshot.files} files)` : paint('red', 'not recorded')}`,
        ...r.problems.map((p) => `  ${paint('magenta', '!')} ${problemLine(p)}`),
      ].join('\n')).join('\n') + '\n');
    return results.some((r) => r.problems.length > 0) ? 2 : 0;
  } finally {
    await detector.close();
  }
}
