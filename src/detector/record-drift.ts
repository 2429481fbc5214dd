import { createHash } from 'node:crypto';
import type { ClassifiedChange } from '../core/change.js';
import { toPointer } from '../core/pointer.js';
import { encodeValue } from '../core/value-codec.js';
import type { EventInput, EventRecord, SnapshotRecord } from '../store/store.js';
import type { DetectorContext } from './detector-context.js';

/**
 * Records the changes of one comparison as drift events and returns them in
 * the comparison's order. The identity (source, snapshot compared against,
 * file, path, kind, attribute, new value) makes this idempotent: drift that
 * persists is the same event, and any number of processes recording the same
 * comparison store each change once.
 */
export async function recordDrift(
  ctx: DetectorContext, against: SnapshotRecord, current: SnapshotRecord, changes: readonly ClassifiedChange[],
): Promise<EventRecord[]> {
  const detectedAt = ctx.now();
  const inputs = changes.map((change): EventInput => {
    const path = toPointer(change.path);
    const attribute = change.kind === 'metadata' ? change.attribute : null;
    const before = 'before' in change ? encodeValue(change.before) : null;
    const after = 'after' in change ? encodeValue(change.after) : null;
    const identity = createHash('sha256')
      .update(JSON.stringify([against.sourceId, against.id, change.file, path, change.kind, attribute, after]))
      .digest('hex');
    return {
      identity, sourceId: current.sourceId, againstSnapshotId: against.id, snapshotId: current.id, file: change.file, path,
      kind: change.kind, attribute, before, after, severity: change.severity, type: change.type, secret: change.secret, detectedAt,
    };
  });
  const stored = new Map((await ctx.store.recordEvents(inputs)).map((e) => [e.identity, e]));
  return inputs.map((input) => stored.get(input.identity)!);
}
