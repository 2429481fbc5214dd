import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { openDetector } from '../open-detector.js';
import { writeReport } from '../write-report.js';

/** `driftwatch prune`: apply retention now. */
export async function runPrune(io: CliIo, options: GlobalOptions): Promise<number> {
  const { detector } = await openDetector(io, options);
  try {
    const pruned = await detector.cleanup();
    writeReport(io, options, { version: 1, pruned }, () =>
      `pruned ${pruned.snapshots} snapshots, ${pruned.contents} file versions, ${pruned.events} events, ${pruned.checks} checks, ${pruned.alerts} alerts\n`);
    return 0;
  } finally {
    await detector.close();
  }
}
