import type { Against, SourceReport } from '../../detector/check-source.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { openDetector, requireSources } from '../open-detector.js';
import { writeReport } from '../write-report.js';
import { checkDocument, renderCheckText } from '../render-check.js';
import { checkMarkdown, checkSarif } from '../render-ci.js';
import { packageVersion } from '../package-version.js';

/**
 * `driftwatch check [PATH...]`: scan, record, compare, print the drift.
 * Exit 0 clean (or baseline recorded), 2 drift or problems.
 */
export async function runCheck(io: CliIo, options: GlobalOptions, paths: string[], against: Against): Promise<number> {
  const { detector, sources } = await openDetector(io, options, paths);
  try {
    requireSources(sources);
    const reports: SourceReport[] = [];
    for (const source of sources) reports.push(await detector.check(source, { against, alert: true }));
    writeReport(io, options, checkDocument(reports), (paint) => renderCheckText(reports, paint), {
      sarif: () => checkSarif(reports, packageVersion()),
      markdown: () => checkMarkdown(reports),
    });
    return reports.some((r) => r.changes.length > 0 || r.problems.length > 0) ? 2 : 0;
  } finally {
    await detector.close();
  }
}
