import type { Segment } from './pointer.js';
import type { Value } from './value.js';

export const CHANGE_KINDS = ['added', 'removed', 'modified', 'metadata'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const METADATA_ATTRIBUTES = ['mode', 'uid', 'gid', 'target', 'bom', 'eol', 'type'] as const;
export type MetadataAttribute = (typeof METADATA_ATTRIBUTES)[number];

/**
 * One difference inside one document, before it is placed in a file.
 * `removed` paths use the old document's indices; `added` and `modified`
 * use the new one's.
 */
export type ValueChange =
  | { kind: 'added'; path: Segment[]; after: Value }
  | { kind: 'removed'; path: Segment[]; before: Value }
  | { kind: 'modified'; path: Segment[]; before: Value; after: Value };

/** One difference in a source: a value change inside a file, or a change of the file itself. */
export type Change =
  | (ValueChange & { file: string })
  | { kind: 'metadata'; file: string; path: []; attribute: MetadataAttribute; before: Value; after: Value };

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DRIFT_TYPES = [
  'manual_change', 'security_degradation', 'environment_mismatch',
  'schema_violation', 'permission_change', 'encoding_change',
] as const;
export type DriftType = (typeof DRIFT_TYPES)[number];

/** A change with its verdict: how bad, what kind of drift, and whether its values are secret. */
export type ClassifiedChange = Change & { severity: Severity; type: DriftType; secret: boolean };

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
