import type { Change, ClassifiedChange, MetadataAttribute } from '../core/change.js';
import { classifyChange } from '../core/classify.js';
import type { CompiledRules } from '../core/rules/compile-rules.js';
import { decodeValue } from '../core/value-codec.js';
import { createMap, Secret, Tagged, valueKind, type Value, type ValueMap } from '../core/value.js';
import { DriftError } from '../errors.js';
import type { ContentRecord, SnapshotFile, SnapshotRecord } from '../store/store.js';
import type { DetectorContext } from './detector-context.js';
import type { SnapshotOutcome } from './take-files-snapshot.js';

/**
 * Every change between two snapshots of one source, classified, in file
 * order. `scanned`, when the newer snapshot was just taken, supplies its
 * files and fresh contents from memory: only the older side is read back.
 */
export async function diffSnapshots(
  ctx: DetectorContext, before: SnapshotRecord, after: SnapshotRecord, source: string,
  scanned?: SnapshotOutcome['scanned'],
): Promise<ClassifiedChange[]> {
  if (before.id === after.id || before.digest === after.digest) return [];
  const [oldFiles, newFiles] = await Promise.all([ctx.store.snapshotFiles(before.id), scanned?.files ?? ctx.store.snapshotFiles(after.id)]);
  const getContents = async (ids: string[]) => {
    const found = new Map<string, ContentRecord>();
    for (const id of ids) {
      const fresh = scanned?.contents.get(id);
      if (fresh) found.set(id, fresh);
    }
    const rest = ids.filter((id) => !found.has(id));
    for (const [id, content] of rest.length ? await ctx.store.getContents(rest) : []) found.set(id, content);
    return found;
  };
  const changes = await diffFileSets(oldFiles, newFiles, getContents, { blind: before.keyId !== after.keyId, rules: ctx.rules, source });
  // An environment that drifted from its baseline is, unless a rule says otherwise, an environment mismatch.
  if (ctx.config.sources.find((s) => s.name === source)?.kind !== 'env') return changes;
  return changes.map((c) => (c.type === 'manual_change' ? { ...c, type: 'environment_mismatch' } : c));
}

export interface DiffFileSetsOptions {
  /** Compare secrets as unknown (the two sides were fingerprinted with different keys). */
  blind?: boolean;
  /** Ignore, severity and list rules; the defaults when absent. */
  rules?: CompiledRules;
  /** The source's name, for rules that match on it. */
  source?: string;
}

/**
 * Every change between two sets of files that no ignore rule drops,
 * classified, in file order. Only files whose content id differs are
 * fetched, decoded and diffed.
 */
export async function diffFileSets(
  oldFiles: readonly SnapshotFile[], newFiles: readonly SnapshotFile[],
  getContents: (ids: string[]) => Promise<Map<string, ContentRecord>>, options: DiffFileSetsOptions = {},
): Promise<ClassifiedChange[]> {
  const { blind = false, rules, source = '' } = options;
  const oldByName = new Map(oldFiles.map((f) => [f.file, f]));
  const newByName = new Map(newFiles.map((f) => [f.file, f]));
  const names = [...new Set([...oldByName.keys(), ...newByName.keys()])].sort();
  const contentPairs: [SnapshotFile, SnapshotFile][] = [];
  const changes: Change[] = [];
  for (const name of names) {
    const a = oldByName.get(name), b = newByName.get(name);
    if (!a) { changes.push({ kind: 'added', file: name, path: [], after: describeFile(b!) }); continue; }
    if (!b) { changes.push({ kind: 'removed', file: name, path: [], before: describeFile(a) }); continue; }
    changes.push(...metadataChanges(a, b));
    if (a.contentId !== b.contentId && a.contentId !== null && b.contentId !== null) contentPairs.push([a, b]);
  }
  if (contentPairs.length > 0) {
    const contents = await getContents(contentPairs.flatMap(([a, b]) => [a.contentId!, b.contentId!]));
    // Loaded on first use: a check with no changed content never pays for the diff machinery.
    const { diffValues } = await import('../core/diff-values.js');
    for (const [a, b] of contentPairs) {
      const x = contents.get(a.contentId!), y = contents.get(b.contentId!);
      // Only a snapshot pruned under our feet loses its content; the caller starts over.
      if (!x || !y) throw new DriftError('SNAPSHOT_NOT_FOUND', `content of ${a.file} was pruned during the comparison`);
      changes.push(...contentChanges(a.file, x, y, blind, (p, q) => diffValues(p, q, { listIdentity: rules?.listIdentity(b.file) })));
    }
  }
  const sorted = sortByFile(changes);
  return rules ? rules.judge(sorted, source) : sorted.map((change) => ({ ...change, ...classifyChange(change) }));
}

type DiffValues = (before: Value, after: Value) => ReturnType<typeof import('../core/diff-values.js').diffValues>;

function metadataChanges(a: SnapshotFile, b: SnapshotFile): Change[] {
  const out: Change[] = [];
  const push = (attribute: MetadataAttribute, before: Value, after: Value) =>
    out.push({ kind: 'metadata', file: b.file, path: [], attribute, before, after });
  if (a.type !== b.type) push('type', a.type, b.type);
  if (a.mode !== b.mode) push('mode', octal(a.mode), octal(b.mode));
  if (a.uid !== b.uid) push('uid', BigInt(a.uid), BigInt(b.uid));
  if (a.gid !== b.gid) push('gid', BigInt(a.gid), BigInt(b.gid));
  if (a.target !== b.target) push('target', a.target, b.target);
  return out;
}

function contentChanges(file: string, a: ContentRecord, b: ContentRecord, blind: boolean, diffValues: DiffValues): Change[] {
  const out: Change[] = [];
  if (a.encoding.bom !== b.encoding.bom) {
    out.push({ kind: 'metadata', file, path: [], attribute: 'bom', before: a.encoding.bom, after: b.encoding.bom });
  }
  // `none` (no line break at all) says nothing about the line ending style.
  if (a.encoding.eol !== b.encoding.eol && a.encoding.eol !== 'none' && b.encoding.eol !== 'none') {
    out.push({ kind: 'metadata', file, path: [], attribute: 'eol', before: a.encoding.eol, after: b.encoding.eol });
  }
  if (a.document === undefined || b.document === undefined) {
    out.push({ kind: 'modified', file, path: [], before: describeContent(a), after: describeContent(b) });
    return out;
  }
  let x = decodeValue(a.document), y = decodeValue(b.document);
  if (blind) { x = blindSecrets(x); y = blindSecrets(y); }
  let changes;
  try {
    changes = diffValues(x, y);
  } catch (error) {
    // Nesting deeper than the stack allows: one change for the whole document beats a failed check.
    if (!(error instanceof RangeError)) throw error;
    changes = [{ kind: 'modified' as const, path: [], before: describeContent(a), after: describeContent(b) }];
  }
  for (const change of changes) out.push({ ...change, file });
  return out;
}

function describeFile(f: SnapshotFile): Value {
  const out = createMap([['type', f.type], ['mode', octal(f.mode)], ['size', BigInt(f.size)]]);
  if (f.target !== null) out.target = f.target;
  if (f.contentId !== null) out.hash = f.contentId.slice(0, 16);
  return out;
}

function describeContent(c: ContentRecord): Value {
  return createMap([['format', c.format], ['size', BigInt(c.size)], ['hash', c.id.slice(0, 16)]]);
}

function octal(mode: number): string {
  return '0' + (mode & 0o7777).toString(8).padStart(3, '0');
}

function blindSecrets(value: Value): Value {
  switch (valueKind(value)) {
    case 'secret': return new Secret('unknown', (value as Secret).display);
    case 'list': return (value as Value[]).map(blindSecrets);
    case 'tagged': return new Tagged((value as Tagged).tag, blindSecrets((value as Tagged).value));
    case 'map': {
      const out = createMap();
      for (const [k, v] of Object.entries(value as ValueMap)) out[k] = blindSecrets(v);
      return out;
    }
    default: return value;
  }
}

// Stable: within a file, the diff's own order (metadata first) is kept.
function sortByFile(changes: Change[]): Change[] {
  return changes.map((c, i) => [c, i] as const)
    .sort(([a, i], [b, j]) => (a.file < b.file ? -1 : a.file > b.file ? 1 : i - j))
    .map(([c]) => c);
}
