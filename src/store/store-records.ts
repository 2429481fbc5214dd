/** The records a Store reads and writes (src/store/store.ts has the interface). */
import type { ChangeKind, DriftType, MetadataAttribute, Severity } from '../core/change.js';
import type { Problem } from '../core/problem.js';
import type { Encoding, FormatName } from '../formats/format.js';
import type { StatKey } from '../sources/file-entry.js';

export interface SourceInput {
  host: string;
  name: string;
  kind: string;
  /** Where it reads from: a path, a command line; for display. */
  origin: string;
  now: number;
}

export interface SourceRecord extends Omit<SourceInput, 'now'> {
  id: number;
  createdAt: number;
}

/** One parsed file version, stored once however many snapshots hold it. */
export interface ContentRecord {
  /** Keyed hash of format + bytes: equal ids mean equal content. */
  id: string;
  format: FormatName;
  size: number;
  encoding: Encoding;
  /** The redacted document (value-codec text); absent for binary content. */
  document?: string;
  /** The original bytes, kept only when the file holds no secret. */
  raw?: Buffer;
  /** Whether redaction masked anything in this content. */
  secret: boolean;
}

export interface SnapshotFile {
  file: string;
  type: 'file' | 'symlink';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  contentId: string | null;
  target: string | null;
}

export interface SnapshotInput {
  sourceId: number;
  takenAt: number;
  /** Hash of everything that can drift; equal digests mean equal state. */
  digest: string;
  /** Which fingerprint key made this snapshot's secret fingerprints and content ids. */
  keyId: string;
  files: readonly SnapshotFile[];
  /** Contents the files refer to that may not be stored yet. */
  contents: readonly ContentRecord[];
}

export type RecordSnapshotResult =
  | { status: 'created' | 'unchanged'; snapshot: SnapshotRecord }
  | { status: 'missing-contents'; ids: string[] };

export interface SnapshotRecord {
  id: number;
  sourceId: number;
  takenAt: number;
  digest: string;
  keyId: string;
  fileCount: number;
}

export interface BaselineInput {
  sourceId: number;
  snapshotId: number;
  acceptedAt: number;
  acceptedBy: string;
  reason: string | null;
  onlyIfAbsent?: boolean;
}

export type BaselineRecord = Omit<BaselineInput, 'onlyIfAbsent'>;

export interface EventInput {
  /** Hash of (source, snapshot compared against, file, path, kind, attribute, new value's fingerprint). */
  identity: string;
  sourceId: number;
  againstSnapshotId: number;
  snapshotId: number;
  file: string;
  /** JSON Pointer. */
  path: string;
  kind: ChangeKind;
  attribute: MetadataAttribute | null;
  /** value-codec text of the values, secrets already masked; null when absent. */
  before: string | null;
  after: string | null;
  severity: Severity;
  type: DriftType;
  secret: boolean;
  detectedAt: number;
}

/** A recorded event; `id` is the store sequence that orders events. */
export interface EventRecord extends EventInput {
  id: number;
}

export interface EventFilter {
  sourceId?: number;
  since?: number;
  minSeverity?: Severity;
  limit?: number;
  afterId?: number;
}

export type CheckStatus = 'baseline_recorded' | 'drift' | 'problems' | 'clean' | 'error';

export interface CheckInput {
  sourceId: number;
  snapshotId: number | null;
  at: number;
  status: CheckStatus;
  changes: number;
  problems: readonly Problem[];
}

export interface CheckRecord extends CheckInput {
  id: number;
}

export interface RetentionPolicy {
  snapshots: { maxAgeMs: number; keepLast: number };
  events: { maxAgeMs: number };
  /** Alert decisions younger than this are the memory of the rate limit and cooldowns: never pruned. */
  alerts?: { keepMs: number };
}

export interface PruneResult {
  snapshots: number;
  contents: number;
  events: number;
  checks: number;
}

export interface StoreSummary {
  sources: number;
  snapshots: number;
  events: number;
  events24h: number;
  severity24h: Record<Severity, number>;
  /** Events of the last 24 h whose values are not secret: `restore` can undo them. */
  restorable24h: number;
  lastCheckAt: number | null;
  /** Every source with its latest check, read in the same transaction as the counts. */
  sourceChecks: { source: SourceRecord; check: CheckRecord | undefined }[];
}

/**
 * Drift matching a live silence is recorded but not alerted. `match` uses the
 * fields of an ignore rule (source, file, path globs; kind; attribute).
 */
export interface SilenceInput {
  match: { source?: string; file?: string; path?: string; kind?: string | string[]; attribute?: string | string[] };
  owner: string;
  reason: string;
  createdAt: number;
  expiresAt: number;
}

export interface SilenceRecord extends SilenceInput {
  id: number;
}

/** An agent's account of one source it watches. */
export interface SourceHealth {
  /** `events` (file-system events plus the periodic check) or `polling`. */
  mode: 'events' | 'polling' | 'interval';
  filesWatched: number;
  lastCycleAt: number | null;
  lastCycleMs: number | null;
  problems: number;
  /** Free text for what the numbers do not say (`root missing since 10:42`). */
  note?: string;
}

export type ScanCacheEntry = StatKey & { file: string; contentId: string | null };
