import type { ChangeKind, DriftType, MetadataAttribute, Severity } from '../core/change.js';
import { decodeValue } from '../core/value-codec.js';
import type { Value } from '../core/value.js';
import type { EventRecord, SourceRecord } from '../store/store.js';

/**
 * A recorded change, as the library returns it: the change (file, JSON
 * Pointer path, kind, values with secrets masked, verdict) plus where and
 * when it was seen. `id` is the store sequence: events sort by it.
 */
export interface DriftEvent {
  id: number;
  source: string;
  host: string;
  file: string;
  path: string;
  kind: ChangeKind;
  attribute?: MetadataAttribute;
  before?: Value;
  after?: Value;
  severity: Severity;
  type: DriftType;
  secret: boolean;
  detectedAt: Date;
  /** The snapshot the change was measured against (the baseline, or the previous snapshot). */
  againstSnapshotId: number;
  snapshotId: number;
  /** Set when a live silence covers this drift: it is recorded, shown, and not alerted. */
  silenced?: { id: number; owner: string; reason: string; until: Date };
}

export function toDriftEvent(record: EventRecord, source: Pick<SourceRecord, 'name' | 'host'>): DriftEvent {
  const event: DriftEvent = {
    id: record.id, source: source.name, host: source.host, file: record.file, path: record.path, kind: record.kind,
    severity: record.severity, type: record.type, secret: record.secret, detectedAt: new Date(record.detectedAt),
    againstSnapshotId: record.againstSnapshotId, snapshotId: record.snapshotId,
  };
  if (record.attribute !== null) event.attribute = record.attribute;
  if (record.before !== null) event.before = decodeValue(record.before);
  if (record.after !== null) event.after = decodeValue(record.after);
  return event;
}
