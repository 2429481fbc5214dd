import type { ResolvedSource } from '../config/config-types.js';
import { DriftError } from '../errors.js';
import type { BaselineRecord, SnapshotFile } from '../store/store.js';
import type { DetectorContext } from './detector-context.js';
import { snapshotDigest } from './snapshot-digest.js';
import { sourceOrigin } from './take-source-snapshot.js';
import type { SnapshotOutcome } from './take-files-snapshot.js';

export interface AcceptOptions {
  /** Accept only these files (relative to the source root); default: everything. */
  files?: string[];
  /** Recorded with the acceptance, with the user. */
  reason?: string;
}

/**
 * Makes the current state the baseline: all of it, or only the named files,
 * in which case the new baseline is the old one with just those files taken
 * from the current scan (added, replaced or removed).
 */
export async function acceptBaseline(
  ctx: DetectorContext, spec: ResolvedSource, takeSnapshot: (name: string) => Promise<SnapshotOutcome>, options: AcceptOptions = {},
): Promise<BaselineRecord> {
  const outcome = await takeSnapshot(spec.name);
  if (!outcome.snapshot) {
    throw new DriftError('SOURCE_MISSING', `cannot accept a baseline for ${spec.name}: ${outcome.problems[0]?.message ?? 'it could not be read'}`, { file: sourceOrigin(spec) });
  }
  let snapshotId = outcome.snapshot.id;
  const current = await ctx.store.getBaseline(outcome.source.id);
  if (options.files?.length && current) {
    const wanted = new Set(options.files.map(normalise));
    const [old, now] = await Promise.all([ctx.store.snapshotFiles(current.snapshotId), ctx.store.snapshotFiles(snapshotId)]);
    const known = new Set([...old, ...now].map((f) => f.file));
    const unknown = [...wanted].filter((f) => !known.has(f));
    if (unknown.length) {
      throw new DriftError('USAGE', `${unknown.join(', ')}: not a file of source ${spec.name} (paths are relative to ${sourceOrigin(spec)})`, { file: unknown[0]! });
    }
    const files: SnapshotFile[] = [
      ...old.filter((f) => !wanted.has(f.file)),
      ...now.filter((f) => wanted.has(f.file)),
    ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const result = await ctx.store.recordSnapshot({
      sourceId: outcome.source.id, takenAt: ctx.now(), digest: snapshotDigest(files), keyId: outcome.snapshot.keyId, files, contents: [],
    });
    if (result.status === 'missing-contents') throw new Error('baseline content was pruned while accepting; run the command again');
    snapshotId = result.snapshot.id;
  }
  return ctx.store.setBaseline({
    sourceId: outcome.source.id, snapshotId, acceptedAt: ctx.now(), acceptedBy: ctx.user, reason: options.reason ?? null,
  });
}

function normalise(file: string): string {
  return file.replaceAll('\\', '/').replace(/^\.\//, '');
}
