import type { WatchHealth } from '../../detector/drift-summary.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { openDetector } from '../open-detector.js';
import { writeReport } from '../write-report.js';

/** `driftwatch summary`: the drift summary of SPEC section 5. */
export async function runSummary(io: CliIo, options: GlobalOptions): Promise<number> {
  const { detector } = await openDetector(io, options);
  try {
    const s = await detector.getDriftSummary();
    writeReport(io, options, { version: 1, ...s }, (paint) => [
      `${paint('bold', 'driftwatch summary')}  last run ${s.lastRun ?? 'never'}`,
      `  sources ${s.sources}   snapshots ${s.snapshots}   events ${s.events} (${s.events24h} in 24h: ` +
        `${s.severity.critical} critical, ${s.severity.high} high, ${s.severity.medium} medium, ${s.severity.low} low)`,
      `  problems ${s.problems}   restorable ${s.autoRemediable}`,
      ...s.perSource.flatMap((p) => [
        `  ${p.source}${p.host ? ` @${p.host}` : ''}  ${p.status}  ${p.changes} changes, ${p.problems} problems, last check ${p.lastCheck ?? 'never'}`,
        ...(p.watch ? [`    watch: ${watchLine(p.watch)}`] : []),
      ]),
    ].join('\n') + '\n');
    return 0;
  } finally {
    await detector.close();
  }
}

/** `events, 120 files, last cycle 2026-12-03T10:42:00.000Z (35 ms), 0 problems; root missing since ...` */
function watchLine(w: WatchHealth): string {
  const cycle = w.lastCycle === null ? 'no cycle yet' : `last cycle ${w.lastCycle}${w.lastCycleMs === null ? '' : ` (${w.lastCycleMs} ms)`}`;
  return `${w.mode}, ${w.filesWatched} files, ${cycle}, ${w.problems} problems${w.note ? `; ${w.note}` : ''}`;
}
