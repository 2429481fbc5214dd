import path from 'node:path';
import { DEFAULT_EXCLUDE } from '../config/resolve-config.js';
import { DriftError } from '../errors.js';
import type { DetectorContext } from './detector-context.js';
import { restoreFiles, type RestoreAction } from './restore-files.js';
import { takeSourceSnapshot } from './take-source-snapshot.js';

/**
 * Finds the files source whose root holds `target` (configured, or recorded
 * by an earlier zero-config check on this host), scans it afresh, and puts
 * back what differs from the baseline (restore-files.ts).
 */
export async function restoreSource(
  ctx: DetectorContext, target: string, options: { dryRun: boolean; backupRoot: string },
): Promise<{ source: string; actions: RestoreAction[] }> {
  const abs = path.resolve(target);
  const roots = [
    ...ctx.config.sources.filter((s) => s.kind === 'files').map((s) => ({ name: s.name, root: s.path })),
    ...(await ctx.store.listSources()).filter((s) => s.host === ctx.host && s.kind === 'files').map((s) => ({ name: s.name, root: s.origin })),
  ].filter(({ root }) => abs === root || abs.startsWith(root.endsWith('/') ? root : root + '/')).sort((a, b) => b.root.length - a.root.length);
  const match = roots[0];
  const found = match && await ctx.store.findSource(ctx.host, match.name);
  if (!match || !found) throw new DriftError('SOURCE_NOT_FOUND', `${abs} is in no checked source; run driftwatch check on it (or its directory) first`, { file: abs });
  const stamp = new Date(ctx.now()).toISOString().replace(/[:.]/g, '-');
  const backupDir = path.join(options.backupRoot, `${found.id}-${found.name.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(-60)}`, stamp);
  // A fresh scan says which files differ from the baseline: only those are touched.
  const spec = ctx.config.sources.find((s) => s.name === found.name)
    ?? { name: found.name, kind: 'files' as const, path: match.root, include: [], exclude: DEFAULT_EXCLUDE, format: null };
  const scanned = await takeSourceSnapshot(ctx, spec, found);
  const current = new Map((scanned.snapshot ? await ctx.store.snapshotFiles(scanned.snapshot.id) : []).map((f) => [f.file, f]));
  const actions = await restoreFiles(ctx.store, { target: abs, root: match.root, sourceId: found.id, dryRun: options.dryRun, backupDir, current });
  return { source: found.name, actions };
}
