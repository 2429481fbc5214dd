import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SnapshotFile, Store } from '../store/store.js';

export interface RestoreOptions {
  /** Absolute file or directory to put back, inside the source root. */
  target: string;
  /** Absolute root of the source (a file or a directory). */
  root: string;
  sourceId: number;
  dryRun: boolean;
  /** Where the backups of this restore go (outside the watched tree, or they would be drift). */
  backupDir: string;
  /** The files as a fresh scan found them: one that matches its baseline is left untouched. */
  current: ReadonlyMap<string, SnapshotFile>;
}

export interface RestoreAction {
  file: string;
  action: 'restored' | 'recreated' | 'unchanged' | 'refused' | 'left';
  /** Why a file was refused or left alone. */
  reason?: string;
  backup?: string;
}

/**
 * Writes files back to their baseline content: atomically (a temporary file
 * in the same directory, renamed over the original), keeping a backup of
 * what was there, with the baseline's mode. A file whose baseline held a
 * secret (only its redacted tree is stored) or was binary is refused with the
 * reason; a file that is not in the baseline is left alone, never deleted.
 */
export async function restoreFiles(store: Store, options: RestoreOptions): Promise<RestoreAction[]> {
  const baseline = await store.getBaseline(options.sourceId);
  if (!baseline) return [];
  const files = await store.snapshotFiles(baseline.snapshotId);
  const single = !fs.statSync(options.root, { throwIfNoEntry: false })?.isDirectory() && files.length <= 1;
  const relative = single ? '' : path.relative(options.root, options.target).split(path.sep).join('/');
  const within = (file: string) => single || relative === '' || file === relative || file.startsWith(relative + '/');
  const wanted = files.filter((f) => within(f.file));
  const contents = await store.getContents(wanted.map((f) => f.contentId).filter((id): id is string => id !== null));
  const actions: RestoreAction[] = [];
  for (const f of wanted) {
    const now = options.current.get(f.file);
    if (now && now.type === f.type && now.contentId === f.contentId && now.mode === f.mode && now.target === f.target) {
      actions.push({ file: f.file, action: 'unchanged' });
      continue;
    }
    const abs = single ? options.root : path.join(options.root, ...f.file.split('/'));
    if (!single && throughLink(options.root, f.file)) {
      actions.push({ file: f.file, action: 'refused', reason: 'a directory on its path is now a symlink; driftwatch never writes through one' });
      continue;
    }
    if (f.type === 'symlink') {
      actions.push(restoreLink(abs, f.file, f.target ?? '', options));
      continue;
    }
    const content = f.contentId ? contents.get(f.contentId) : undefined;
    if (!content?.raw) {
      const reason = content?.secret ? 'its baseline holds a secret, so only a redacted copy is stored' : 'no raw copy of its baseline is stored (binary)';
      actions.push({ file: f.file, action: 'refused', reason });
      continue;
    }
    actions.push(restoreFile(abs, f.file, content.raw, f.mode, options));
  }
  if (!single && fs.statSync(options.target, { throwIfNoEntry: false })?.isDirectory()) {
    const known = new Set(wanted.map((f) => f.file));
    for (const entry of fs.readdirSync(options.target, { recursive: true, withFileTypes: true })) {
      if (entry.isDirectory()) continue;
      const file = path.relative(options.root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      if (!known.has(file) && !/\.driftwatch-tmp-/.test(file)) actions.push({ file, action: 'left', reason: 'not in the baseline; delete it yourself if it should go' });
    }
  }
  return actions;
}

function restoreFile(abs: string, file: string, raw: Buffer, mode: number, options: RestoreOptions): RestoreAction {
  const current = fs.lstatSync(abs, { throwIfNoEntry: false });
  if (current?.isFile() && (current.mode & 0o7777) === mode && fs.readFileSync(abs).equals(raw)) return { file, action: 'unchanged' };
  const action = current ? 'restored' : 'recreated';
  const backup = current ? backupPath(options, file) : undefined;
  if (options.dryRun) return { file, action, ...(backup ? { backup } : {}) };
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  // A copy, not a move: the original stays in place until the rename replaces it in one step.
  if (backup) {
    fs.mkdirSync(path.dirname(backup), { recursive: true });
    fs.copyFileSync(abs, backup);
  }
  const temp = `${abs}.driftwatch-tmp-${randomBytes(4).toString('hex')}`;
  const fd = fs.openSync(temp, 'wx', mode);
  try {
    fs.writeSync(fd, raw);
    fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, abs);
  return { file, action, ...(backup ? { backup } : {}) };
}

function restoreLink(abs: string, file: string, target: string, options: RestoreOptions): RestoreAction {
  const current = fs.lstatSync(abs, { throwIfNoEntry: false });
  if (current?.isSymbolicLink() && fs.readlinkSync(abs) === target) return { file, action: 'unchanged' };
  const backup = current ? backupPath(options, file) : undefined;
  if (options.dryRun) return { file, action: current ? 'restored' : 'recreated', ...(backup ? { backup } : {}) };
  if (backup) fs.mkdirSync(path.dirname(backup), { recursive: true });
  const temp = `${abs}.driftwatch-tmp-${randomBytes(4).toString('hex')}`;
  fs.symlinkSync(target, temp);
  if (backup) {
    if (current?.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(abs), backup);
    else fs.copyFileSync(abs, backup);
  }
  fs.renameSync(temp, abs);
  return { file, action: current ? 'restored' : 'recreated', ...(backup ? { backup } : {}) };
}

function backupPath(options: RestoreOptions, file: string): string {
  return path.join(options.backupDir, ...(file === '' ? [path.basename(options.root)] : file.split('/')));
}

// A directory of the tree swapped for a link would send the write elsewhere: outside the tree, as root.
function throughLink(root: string, file: string): boolean {
  let dir = root;
  for (const part of file.split('/').slice(0, -1)) {
    dir = path.join(dir, part);
    if (fs.lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) return true;
  }
  return false;
}
