import { parseDuration } from '../../config/parse-duration.js';
import type { RuleMatch } from '../../core/rules/rule-types.js';
import { DriftError } from '../../errors.js';
import type { SilenceRecord } from '../../store/store.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';
import { openDetector } from '../open-detector.js';
import { writeReport } from '../write-report.js';
import os from 'node:os';

export interface SilenceAddOptions {
  source?: string;
  file?: string;
  path?: string;
  kind?: string[];
  attribute?: string[];
  for?: string;
  reason?: string;
  owner?: string;
}

/** `driftwatch silence add`: record matching drift without alerting it, until the silence expires. */
export async function runSilenceAdd(io: CliIo, options: GlobalOptions, add: SilenceAddOptions): Promise<number> {
  const forMs = add.for === undefined ? undefined : parseDuration(add.for);
  if (forMs === undefined) throw new DriftError('USAGE', `--for: expected a duration such as 2h or 7d, found "${add.for ?? ''}"`);
  const match: RuleMatch = {
    ...(add.source ? { source: add.source } : {}), ...(add.file ? { file: add.file } : {}), ...(add.path ? { path: add.path } : {}),
    ...(add.kind?.length ? { kind: add.kind as RuleMatch['kind'] } : {}), ...(add.attribute?.length ? { attribute: add.attribute as RuleMatch['attribute'] } : {}),
  };
  const { detector } = await openDetector(io, options);
  try {
    const silence = await detector.addSilence({ match, forMs, reason: add.reason ?? '', owner: add.owner ?? os.userInfo().username });
    writeReport(io, options, { version: 1, silence: silenceDocument(silence) }, () => `silence #${silence.id} until ${new Date(silence.expiresAt).toISOString()}: ${describe(silence)}\n`);
    return 0;
  } finally {
    await detector.close();
  }
}

/** `driftwatch silence list [--all]`. */
export async function runSilenceList(io: CliIo, options: GlobalOptions, all: boolean): Promise<number> {
  const { detector } = await openDetector(io, options);
  try {
    const silences = await detector.listSilences({ all });
    writeReport(io, options, { version: 1, silences: silences.map(silenceDocument) }, () =>
      silences.length === 0 ? 'no live silences\n' : silences.map((s) => `#${s.id}  until ${new Date(s.expiresAt).toISOString()}  ${describe(s)}`).join('\n') + '\n');
    return 0;
  } finally {
    await detector.close();
  }
}

/** `driftwatch silence end ID`: stop a silence now. */
export async function runSilenceEnd(io: CliIo, options: GlobalOptions, id: string): Promise<number> {
  if (!/^\d+$/.test(id)) throw new DriftError('USAGE', `silence end: expected a silence number from driftwatch silence list, found "${id}"`);
  const { detector } = await openDetector(io, options);
  try {
    if (!(await detector.endSilence(Number(id)))) throw new DriftError('USAGE', `no silence #${id} in the store (silences from the config file end by editing it)`);
    writeReport(io, options, { version: 1, ended: Number(id) }, () => `silence #${id} ended\n`);
    return 0;
  } finally {
    await detector.close();
  }
}

function silenceDocument(s: SilenceRecord) {
  return { id: s.id, match: s.match, owner: s.owner, reason: s.reason, createdAt: new Date(s.createdAt).toISOString(), expiresAt: new Date(s.expiresAt).toISOString() };
}

function describe(s: SilenceRecord): string {
  const match = Object.entries(s.match).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`).join(' ');
  return `${match}  by ${s.owner}${s.id < 0 ? ' (config)' : ''}: ${s.reason}`;
}
