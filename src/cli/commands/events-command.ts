import { parseDuration } from '../../config/parse-duration.js';
import { SEVERITIES, type Severity } from '../../core/change.js';
import { DriftError } from '../../errors.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { openDetector } from '../open-detector.js';
import { paintSeverity } from '../paint.js';
import { changeDocument, lineLabel } from '../render-check.js';
import { safeText } from '../safe-text.js';
import { renderValue } from '../render-value.js';
import { writeReport } from '../write-report.js';

export interface EventsOptions {
  source?: string;
  since?: string;
  severity?: string;
  limit?: string;
}

/** `driftwatch events`: recorded drift events, oldest first, filtered. */
export async function runEvents(io: CliIo, options: GlobalOptions, filter: EventsOptions): Promise<number> {
  const since = filter.since === undefined ? undefined : parseDuration(filter.since);
  if (filter.since !== undefined && since === undefined) throw new DriftError('USAGE', `--since: expected a duration such as 24h or 7d, found "${filter.since}"`);
  if (filter.severity !== undefined && !SEVERITIES.includes(filter.severity as Severity)) {
    throw new DriftError('USAGE', `--severity: expected one of ${SEVERITIES.join(', ')}, found "${filter.severity}"`);
  }
  const limit = filter.limit === undefined ? 100 : Number(filter.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new DriftError('USAGE', `--limit: expected a positive whole number, found "${filter.limit}"`);
  const { detector } = await openDetector(io, options);
  try {
    const events = await detector.listEvents({
      limit,
      ...(filter.source !== undefined ? { source: filter.source } : {}),
      ...(since !== undefined ? { since: Date.now() - since } : {}),
      ...(filter.severity !== undefined ? { minSeverity: filter.severity as Severity } : {}),
    });
    writeReport(io, options, { version: 1, events: events.map((e) => ({ source: e.source, host: e.host, ...changeDocument(e) })) }, (paint) => {
      if (events.length === 0) return 'no drift events recorded' + (filter.since ? ` in the last ${filter.since}` : '') + '\n';
      return events.map((e) => {
        const what = e.kind === 'metadata' ? `${e.attribute} ${renderValue(e.before, 30)} → ${renderValue(e.after, 30)}`
          : e.kind === 'modified' ? `${renderValue(e.before, 30)} → ${renderValue(e.after, 30)}` : e.kind;
        const where = e.path ? ' ' + (lineLabel(e) ?? safeText(e.path)) : '';
        return `#${e.id}  ${e.detectedAt.toISOString().slice(0, 19).replace('T', ' ')}  ${paintSeverity(paint, e.severity)} ${safeText(e.source)}  ${safeText(e.file)}${where}  ${what}`;
      }).join('\n') + '\n';
    });
    return 0;
  } finally {
    await detector.close();
  }
}
