import type { ResolvedFilesSource } from '../config/config-types.js';
import type { Problem } from '../core/problem.js';
import { DriftError } from '../errors.js';
import { formatForFile } from '../formats/format-for-file.js';
import type { FileScan, ScanEntry } from '../sources/file-entry.js';
import { scanFiles } from '../sources/scan-files.js';
import { toStatKey } from '../sources/stat-key.js';
import type { ContentRecord, ScanCacheEntry, SnapshotFile, SnapshotRecord, SourceRecord } from '../store/store.js';
import { buildContent } from './build-content.js';
import type { DetectorContext } from './detector-context.js';
import { snapshotDigest } from './snapshot-digest.js';

export interface SnapshotOutcome {
  source: SourceRecord;
  /** Absent when the source's root is missing: an unmounted volume is not drift. */
  snapshot?: SnapshotRecord;
  created: boolean;
  problems: Problem[];
  /**
   * The files of this scan and the contents it parsed, so a comparison made
   * right after needs nothing back from the store but the other side: a
   * concurrent cleanup may prune this snapshot as soon as a newer one lands.
   */
  scanned?: { files: SnapshotFile[]; contents: ReadonlyMap<string, ContentRecord> };
}

const MAX_ATTEMPTS = 3;

/**
 * Scans a files source and records its snapshot: unchanged files (same stat
 * as last scan) are not read, unchanged content is not parsed, and a state
 * equal to the latest snapshot stores nothing new. A file that cannot be
 * read or parsed keeps its last good version in the snapshot and is
 * reported as a problem.
 */
export async function takeFilesSnapshot(ctx: DetectorContext, spec: ResolvedFilesSource, source: SourceRecord): Promise<SnapshotOutcome> {
  let cache = await ctx.store.loadScanCache(source.id);
  // After a concurrent cleanup pruned content under us, every file is read and all its content sent with the
  // snapshot, inside the transaction that checks it: that attempt cannot lose anything again.
  let sendAll = false;
  for (let attempt = 1; ; attempt++) {
    const scan = await scanFiles({
      root: spec.path, include: spec.include, exclude: spec.exclude, skipPaths: ctx.skipPaths,
      cache, maxFileSize: ctx.config.maxFileSize, now: ctx.now,
    });
    // A root that is gone or cannot be listed says nothing about its files: an error, never a removal of all of them.
    if (scan.rootType === 'missing' || scan.problems.some((p) => p.file === '')) return { source, created: false, problems: scan.problems };
    const built = await buildSnapshot(ctx, spec, source, scan, cache, sendAll);
    const result = await ctx.store.recordSnapshot({
      sourceId: source.id, takenAt: ctx.now(), digest: snapshotDigest(built.files), keyId: ctx.key.id,
      files: built.files, contents: built.contents,
    });
    if (result.status === 'missing-contents') {
      // Pruned between our look and our write: read everything again rather than refer to nothing.
      if (attempt >= MAX_ATTEMPTS) {
        throw new DriftError('STORE_BUSY', `a concurrent cleanup kept pruning the content of ${spec.name} while it was recorded; run again`);
      }
      sendAll = true;
      cache = new Map();
      continue;
    }
    await ctx.store.updateScanCache(source.id, built.cacheUpserts, built.cacheRemovals);
    return {
      source, snapshot: result.snapshot, created: result.status === 'created', problems: built.problems,
      scanned: { files: built.files, contents: new Map(built.contents.map((c) => [c.id, c])) },
    };
  }
}

interface BuiltSnapshot {
  files: SnapshotFile[];
  contents: ContentRecord[];
  problems: Problem[];
  cacheUpserts: ScanCacheEntry[];
  cacheRemovals: string[];
}

async function buildSnapshot(
  ctx: DetectorContext, spec: ResolvedFilesSource, source: SourceRecord, scan: FileScan, cache: ReadonlyMap<string, ScanCacheEntry>,
  sendAll: boolean,
): Promise<BuiltSnapshot> {
  const out: BuiltSnapshot = { files: [], contents: [], problems: [...scan.problems], cacheUpserts: [], cacheRemovals: [] };
  const troubled: ScanEntry[] = [];
  const toParse: { entry: ScanEntry; id: string }[] = [];
  const seen = new Set<string>();
  for (const entry of scan.entries) {
    seen.add(entry.file);
    if (entry.problem) { troubled.push(entry); continue; }
    if (entry.meta.type === 'symlink') { out.files.push(fileRow(entry, null)); continue; }
    const cached = cache.get(entry.file);
    if (entry.unchanged && cached?.contentId) { out.files.push(fileRow(entry, cached.contentId)); continue; }
    if (!entry.bytes) { troubled.push(entry); continue; }
    const format = spec.format ?? formatForFile(entry.file);
    const id = ctx.key.hmac(ctx.contentTag, '\0', format, '\0', entry.bytes);
    if (id !== cached?.contentId || sendAll) toParse.push({ entry, id });
    else out.files.push(fileRow(entry, id));
    out.cacheUpserts.push(cacheRow(entry, id, scan.startedAtMs));
  }
  const missing = await ctx.store.missingContents(toParse.map((p) => p.id));
  for (const { entry, id } of toParse) {
    if (!missing.has(id) && !sendAll) { out.files.push(fileRow(entry, id)); continue; }
    const built = await buildContent(ctx.redaction, id, entry.bytes!, spec.format ?? formatForFile(entry.file));
    if ('problems' in built) {
      for (const p of built.problems) out.problems.push({ ...p, file: entry.file });
      troubled.push(entry);
      continue;
    }
    out.contents.push(built.content);
    out.files.push(fileRow(entry, id));
  }
  for (const entry of troubled) {
    if (entry.problem) out.problems.push({ ...entry.problem, file: entry.file });
  }
  const troubledFiles = new Set(troubled.map((e) => e.file));
  out.cacheUpserts = out.cacheUpserts.filter((row) => !troubledFiles.has(row.file));
  for (const file of cache.keys()) if (!seen.has(file) || troubledFiles.has(file)) out.cacheRemovals.push(file);
  await carryForward(ctx, source, out, troubledFiles, scan, seen);
  out.files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return out;
}

/**
 * A file that could not be read or parsed, or that sits in a directory that
 * could not be listed, keeps its row from the latest snapshot: a problem is
 * news, not a removal.
 */
async function carryForward(
  ctx: DetectorContext, source: SourceRecord, out: BuiltSnapshot, troubled: Set<string>, scan: FileScan, seen: Set<string>,
): Promise<void> {
  const dirs = scan.problems.filter((p) => p.file !== '').map((p) => p.file + '/');
  if (troubled.size === 0 && dirs.length === 0) return;
  const latest = await ctx.store.latestSnapshot(source.id);
  if (!latest) return;
  for (const row of await ctx.store.snapshotFiles(latest.id)) {
    const underBadDir = !seen.has(row.file) && dirs.some((dir) => row.file.startsWith(dir));
    if (troubled.has(row.file) || underBadDir) out.files.push(row);
  }
}

function fileRow(entry: ScanEntry, contentId: string | null): SnapshotFile {
  const m = entry.meta;
  return {
    file: entry.file, type: m.type, mode: m.mode, uid: m.uid, gid: m.gid, size: m.size, mtimeMs: m.mtimeMs,
    contentId, target: m.target ?? null,
  };
}

function cacheRow(entry: ScanEntry, contentId: string, startedAtMs: number): ScanCacheEntry {
  return { file: entry.file, ...toStatKey(entry.meta, startedAtMs), contentId };
}
