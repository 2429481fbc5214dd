import type { ChangeKind, DriftType, MetadataAttribute, Severity } from '../core/change.js';
import type { Problem } from '../core/problem.js';
import type { ErrorCode } from '../errors.js';
import type { Encoding, FormatName } from '../formats/format.js';
import type {
  BaselineRecord, CheckRecord, CheckStatus, ContentRecord, EventRecord, SnapshotFile, SnapshotRecord,
  SourceRecord,
} from './store.js';

// Rows as SQLite (booleans as 1/0) or pg (BOOLEAN as boolean, BIGINT as number, BYTEA as Buffer)
// return them; these mappers are the only place that knows column names, for both stores.
type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v);
const str = (v: unknown) => String(v);
const flag = (v: unknown) => v === 1 || v === true;
const optStr = (v: unknown) => (v === null || v === undefined ? null : String(v));

export function toSource(raw: unknown): SourceRecord {
  const r = raw as Row;
  return { id: num(r.id), host: str(r.host), name: str(r.name), kind: str(r.kind), origin: str(r.origin), createdAt: num(r.created_at) };
}

export function toContent(raw: unknown): ContentRecord {
  const r = raw as Row;
  const out: ContentRecord = {
    id: str(r.id), format: str(r.format) as FormatName, size: num(r.size),
    encoding: { bom: flag(r.bom), eol: str(r.eol) as Encoding['eol'] }, secret: flag(r.secret),
  };
  if (r.document !== null) out.document = str(r.document);
  if (r.raw !== null) out.raw = r.raw as Buffer;
  return out;
}

export function toSnapshot(raw: unknown): SnapshotRecord {
  const r = raw as Row;
  return { id: num(r.id), sourceId: num(r.source_id), takenAt: num(r.taken_at), digest: str(r.digest), keyId: str(r.key_id), fileCount: num(r.file_count) };
}

export function toSnapshotFile(raw: unknown): SnapshotFile {
  const r = raw as Row;
  return {
    file: str(r.file), type: str(r.type) as SnapshotFile['type'], mode: num(r.mode), uid: num(r.uid), gid: num(r.gid),
    size: num(r.size), mtimeMs: num(r.mtime_ms), contentId: optStr(r.content_id), target: optStr(r.target),
  };
}

export function toBaseline(raw: unknown): BaselineRecord {
  const r = raw as Row;
  return { sourceId: num(r.source_id), snapshotId: num(r.snapshot_id), acceptedAt: num(r.accepted_at), acceptedBy: str(r.accepted_by), reason: optStr(r.reason) };
}

export function toEvent(raw: unknown): EventRecord {
  const r = raw as Row;
  return {
    id: num(r.id), identity: str(r.identity), sourceId: num(r.source_id), againstSnapshotId: num(r.against_snapshot_id),
    snapshotId: num(r.snapshot_id), file: str(r.file), path: str(r.path), kind: str(r.kind) as ChangeKind,
    attribute: optStr(r.attribute) as MetadataAttribute | null, before: optStr(r.before), after: optStr(r.after),
    severity: str(r.severity) as Severity, type: str(r.type) as DriftType, secret: flag(r.secret), detectedAt: num(r.detected_at),
  };
}

export function toProblem(raw: unknown): Problem {
  const r = raw as Row;
  const out: Problem = { file: str(r.file), code: str(r.code) as ErrorCode, message: str(r.message) };
  if (r.line != null) out.line = num(r.line);
  if (r.col != null) out.column = num(r.col);
  if (r.key != null) out.key = str(r.key);
  return out;
}

/** A check row; PostgreSQL aggregates its problems into the row's own `problems` column. */
export function toCheck(raw: unknown, problems: unknown[] = ((raw as Row).problems ?? []) as unknown[]): CheckRecord {
  const r = raw as Row;
  return {
    id: num(r.id), sourceId: num(r.source_id), snapshotId: r.snapshot_id === null ? null : num(r.snapshot_id), at: num(r.at),
    status: str(r.status) as CheckStatus, changes: num(r.changes), problems: problems.map(toProblem),
  };
}
