import type { ResolvedCommandSource, ResolvedEnvSource, ResolvedSource } from '../config/config-types.js';
import { redactValue } from '../core/redact.js';
import { encodeValue } from '../core/value-codec.js';
import { readEnv } from '../sources/read-env.js';
import { runCommand } from '../sources/run-command.js';
import type { ContentRecord, SnapshotFile, SourceRecord } from '../store/store.js';
import { buildContent } from './build-content.js';
import type { DetectorContext } from './detector-context.js';
import { snapshotDigest } from './snapshot-digest.js';
import { takeFilesSnapshot, type SnapshotOutcome } from './take-files-snapshot.js';

const MAX_COMMAND_OUTPUT = 16 * 1024 * 1024;

/** The name an env or command source's one document goes by in changes. */
export function documentName(source: ResolvedSource): string {
  return source.kind === 'env' ? 'environment' : source.kind === 'command' ? 'stdout' : '';
}

/** Where a source reads from, for display and the store. */
export function sourceOrigin(source: ResolvedSource): string {
  switch (source.kind) {
    case 'env': return source.pid === null ? 'env' : `env:pid:${source.pid}`;
    // The program only: arguments may carry a secret.
    case 'command': return `command:${source.command[0]}`;
    default: return source.path;
  }
}

/** Takes the snapshot of any kind of source. */
export function takeSourceSnapshot(ctx: DetectorContext, spec: ResolvedSource, source: SourceRecord): Promise<SnapshotOutcome> {
  switch (spec.kind) {
    case 'env': return takeEnvSnapshot(ctx, spec, source);
    case 'command': return takeCommandSnapshot(ctx, spec, source);
    default: return takeFilesSnapshot(ctx, spec, source);
  }
}

async function takeEnvSnapshot(ctx: DetectorContext, spec: ResolvedEnvSource, source: SourceRecord): Promise<SnapshotOutcome> {
  const read = readEnv(spec);
  if ('problem' in read) return { source, created: false, problems: [read.problem] };
  const redacted = redactValue(read.document, ctx.redaction);
  const document = encodeValue(redacted.value);
  const id = ctx.key.hmac(ctx.contentTag, '\0env\0', document);
  const content: ContentRecord = {
    id, format: 'dotenv', size: Buffer.byteLength(document), encoding: { bom: false, eol: 'none' }, document, secret: redacted.secret,
  };
  return recordDocument(ctx, source, documentName(spec), content);
}

async function takeCommandSnapshot(ctx: DetectorContext, spec: ResolvedCommandSource, source: SourceRecord): Promise<SnapshotOutcome> {
  const run = await runCommand({ argv: spec.command, timeoutMs: spec.timeoutMs, cwd: spec.cwd, maxBytes: MAX_COMMAND_OUTPUT });
  if ('problem' in run) return { source, created: false, problems: [run.problem] };
  const id = ctx.key.hmac(ctx.contentTag, '\0', spec.format, '\0', run.stdout);
  const built = await buildContent(ctx.redaction, id, run.stdout, spec.format);
  const file = documentName(spec);
  if ('problems' in built) {
    // Unparseable output keeps the last good snapshot, like a broken file.
    const latest = await ctx.store.latestSnapshot(source.id);
    return { source, ...(latest ? { snapshot: latest } : {}), created: false, problems: built.problems.map((p) => ({ ...p, file })) };
  }
  return recordDocument(ctx, source, file, built.content);
}

/** A one-document snapshot: the document is its only "file". */
async function recordDocument(ctx: DetectorContext, source: SourceRecord, file: string, content: ContentRecord): Promise<SnapshotOutcome> {
  const files: SnapshotFile[] = [{ file, type: 'file', mode: 0, uid: 0, gid: 0, size: content.size, mtimeMs: 0, contentId: content.id, target: null }];
  const result = await ctx.store.recordSnapshot({
    sourceId: source.id, takenAt: ctx.now(), digest: snapshotDigest(files), keyId: ctx.key.id, files, contents: [content],
  });
  if (result.status === 'missing-contents') throw new Error('content given with the snapshot cannot be missing');
  return { source, snapshot: result.snapshot, created: result.status === 'created', problems: [] };
}

