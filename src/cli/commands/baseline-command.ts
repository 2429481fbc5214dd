import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { openDetector, requireSources } from '../open-detector.js';
import { writeReport } from '../write-report.js';

export interface BaselineAcceptOptions {
  file?: string[];
  reason?: string;
}

/** `driftwatch baseline accept [PATH...] [--file F]... [--reason R]`: make the current state the baseline. */
export async function runBaselineAccept(io: CliIo, options: GlobalOptions, paths: string[], accept: BaselineAcceptOptions): Promise<number> {
  const { detector, sources } = await openDetector(io, options, paths);
  try {
    requireSources(sources);
    const accepted: { source: string; snapshot: number; acceptedBy: string; reason: string | null; files: string[] | null }[] = [];
    for (const source of sources) {
      const record = await detector.acceptBaseline(source, {
        ...(accept.file?.length ? { files: accept.file } : {}), ...(accept.reason ? { reason: accept.reason } : {}),
      });
      accepted.push({ source, snapshot: record.snapshotId, acceptedBy: record.acceptedBy, reason: record.reason, files: accept.file ?? null });
    }
    writeReport(io, options, { version: 1, accepted }, () =>
      accepted.map((a) => `${a.source}  baseline is now snapshot #${a.snapshot}${a.files ? ` (only ${a.files.join(', ')})` : ''}, accepted by ${a.acceptedBy}${a.reason ? `: ${a.reason}` : ''}`).join('\n') + '\n');
    return 0;
  } finally {
    await detector.close();
  }
}
