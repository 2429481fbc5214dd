import path from 'node:path';
import type { ClassifiedChange } from '../core/change.js';
import type { Problem } from '../core/problem.js';
import { DEFAULT_EXCLUDE } from '../config/resolve-config.js';
import { isSecretKeyName } from '../core/secret-keys.js';
import { formatForFile } from '../formats/format-for-file.js';
import { scanFiles } from '../sources/scan-files.js';
import type { ContentRecord, SnapshotFile } from '../store/store.js';
import { buildContent } from './build-content.js';
import { diffFileSets } from './diff-snapshots.js';
import { ephemeralFingerprintKey, type FingerprintKey } from './fingerprint-key.js';

export interface PathsDiff {
  changes: ClassifiedChange[];
  problems: Problem[];
}

/**
 * Stateless structured diff of two files or two directories: nothing is
 * stored, and secrets are still masked (with a key that lives only for this
 * call). Two single files pair up whatever their names, so a YAML file can be
 * compared with the JSON rendered from it.
 *
 * @example const { changes } = await diffPaths('old/app.yaml', 'new/app.json');
 */
export async function diffPaths(a: string, b: string): Promise<PathsDiff> {
  const key = ephemeralFingerprintKey();
  const contents = new Map<string, ContentRecord>();
  const problems: Problem[] = [];
  const [left, right] = await Promise.all([a, b].map((p) => readSide(path.resolve(p), key, contents, problems)));
  if (!left || !right) return { changes: [], problems };
  const singleFiles = left.single && right.single;
  // Two single files are one file under two names: pair them under the second's name.
  const oldFiles = singleFiles ? left.files.map((f) => ({ ...f, file: right.files[0]?.file ?? f.file })) : left.files;
  const changes = await diffFileSets(oldFiles, right.files, async () => contents);
  return { changes, problems };
}

interface Side {
  files: SnapshotFile[];
  single: boolean;
}

async function readSide(root: string, key: FingerprintKey, contents: Map<string, ContentRecord>, problems: Problem[]): Promise<Side | undefined> {
  const scan = await scanFiles({ root, exclude: DEFAULT_EXCLUDE });
  const label = (file: string) => (scan.rootType === 'file' ? root : file ? `${root}/${file}` : root);
  for (const p of scan.problems) problems.push({ ...p, file: label(p.file) });
  if (scan.rootType === 'missing') return undefined;
  const redaction = { isSecretKey: isSecretKeyName, fingerprint: (text: string) => key.hmac('secret\0', text) };
  const files: SnapshotFile[] = [];
  for (const entry of scan.entries) {
    const m = entry.meta;
    const row: SnapshotFile = {
      file: entry.file, type: m.type, mode: m.mode, uid: m.uid, gid: m.gid, size: m.size, mtimeMs: m.mtimeMs, contentId: null, target: m.target ?? null,
    };
    if (entry.problem) { problems.push({ ...entry.problem, file: label(entry.file) }); continue; }
    if (m.type === 'file' && entry.bytes) {
      const format = formatForFile(entry.file);
      const id = key.hmac(format, '\0', entry.bytes);
      const built = await buildContent(redaction, id, entry.bytes, format);
      if ('problems' in built) {
        for (const p of built.problems) problems.push({ ...p, file: label(entry.file) });
        continue;
      }
      contents.set(id, built.content);
      row.contentId = id;
    }
    files.push(row);
  }
  return { files, single: scan.rootType === 'file' };
}
