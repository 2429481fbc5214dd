import type { Problem } from '../core/problem.js';
import type { CheckStatus, SnapshotRecord, SourceRecord } from '../store/store.js';
import type { DetectorContext } from './detector-context.js';
import { diffSnapshots } from './diff-snapshots.js';
import { toDriftEvent, type DriftEvent } from './drift-event.js';
import { recordDrift } from './record-drift.js';
import type { SnapshotOutcome } from './take-files-snapshot.js';

/** What one check of one source found. */
export interface SourceReport {
  source: string;
  host: string;
  status: CheckStatus;
  changes: DriftEvent[];
  problems: Problem[];
  snapshotId: number | null;
  /** The snapshot compared against (the baseline, or the previous snapshot). */
  againstSnapshotId: number | null;
}

export type Against = 'baseline' | 'previous';

/**
 * The check of SPEC section 3 for one source, after its scan: with no
 * baseline yet, the scan becomes the baseline; otherwise the drift against
 * the baseline (or the previous snapshot) is recorded and returned.
 */
export async function checkSource(
  ctx: DetectorContext, outcome: SnapshotOutcome, against: Against, previous: SnapshotRecord | undefined,
): Promise<SourceReport> {
  const { source, snapshot, problems } = outcome;
  const report = (status: CheckStatus, changes: DriftEvent[] = [], againstId: number | null = null): SourceReport => ({
    source: source.name, host: source.host, status, changes, problems, snapshotId: snapshot?.id ?? null, againstSnapshotId: againstId,
  });
  if (!snapshot) return finish(ctx, source, report('error'));
  let baseline = await ctx.store.getBaseline(source.id);
  if (!baseline) {
    baseline = await ctx.store.setBaseline({
      sourceId: source.id, snapshotId: snapshot.id, acceptedAt: ctx.now(), acceptedBy: ctx.user,
      reason: 'first scan', onlyIfAbsent: true,
    });
    // A racing first run may have set another baseline first; then this is an ordinary check.
    if (baseline.snapshotId === snapshot.id) return finish(ctx, source, report('baseline_recorded', [], snapshot.id));
  }
  const base = against === 'baseline' ? await ctx.store.getSnapshot(baseline.snapshotId) : previous;
  if (!base) return finish(ctx, source, report(problems.length ? 'problems' : 'clean'));
  if (base.keyId !== snapshot.keyId) {
    // Say so on every check: a lost or rotated key must never silently blind the secret comparisons.
    problems.push({
      file: '', code: 'SECRET_KEY_INVALID',
      message: `secrets were fingerprinted with another key (id ${base.keyId}; now ${snapshot.keyId}), so their changes cannot be seen: restore that key (${ctx.key.origin}) or accept a new baseline`,
    });
  }
  const changes = await diffSnapshots(ctx, base, snapshot, source.name, outcome.scanned);
  const events = (await recordDrift(ctx, base, snapshot, changes)).map((e) => toDriftEvent(e, source));
  const status: CheckStatus = events.length ? 'drift' : problems.length ? 'problems' : 'clean';
  return finish(ctx, source, report(status, events, base.id));
}

async function finish(ctx: DetectorContext, source: SourceRecord, report: SourceReport): Promise<SourceReport> {
  await ctx.store.recordCheck({
    sourceId: source.id, snapshotId: report.snapshotId, at: ctx.now(), status: report.status,
    changes: report.changes.length, problems: report.problems,
  });
  return report;
}
