import os from 'node:os';
import picomatch from 'picomatch';
import path from 'node:path';
import { alertDecisionInput, enqueueAlerts, flushDigests } from '../alerts/enqueue-alerts.js';
import type { DriftwatchConfig, ResolvedConfig, ResolvedSource } from '../config/config-types.js';
import { resolveConfig } from '../config/resolve-config.js';
import { severityRank } from '../core/change.js';
import { compileRules } from '../core/rules/compile-rules.js';
import { isSecretKeyName } from '../core/secret-keys.js';
import { DriftError } from '../errors.js';
import { openStore, sqlitePath } from '../store/open-store.js';
import type { BaselineRecord, EventFilter, PruneResult, SilenceRecord, SnapshotRecord, Store } from '../store/store.js';
import { acceptBaseline, type AcceptOptions } from './accept-baseline.js';
import { checkSource, type Against, type SourceReport } from './check-source.js';
import type { DetectorContext } from './detector-context.js';
import { driftSummary, type DriftSummary } from './drift-summary.js';
import { diffSnapshots } from './diff-snapshots.js';
import { toDriftEvent, type DriftEvent } from './drift-event.js';
import { loadFingerprintKey, type FingerprintKey } from './fingerprint-key.js';
import { recordDrift } from './record-drift.js';
import { addSilence, liveSilences, silenceMatcher, type SilenceOptions } from './silences.js';
import type { RestoreAction } from './restore-files.js';
import { restoreSource } from './restore-source.js';
import { retryPruned } from './retry-pruned.js';
import { osUser } from './os-user.js';
import { createSingleFlight } from './single-flight.js';
import { stateDir } from './state-dir.js';
import { sourceOrigin, takeSourceSnapshot } from './take-source-snapshot.js';
import type { SnapshotOutcome } from './take-files-snapshot.js';

export interface DetectorOptions {
  /** The configuration, shaped like driftwatch.yaml. */
  config?: DriftwatchConfig;
  /** Directory relative paths in the config resolve against. Default: the working directory. */
  configDir?: string;
  /** A store URL (path, `sqlite:PATH`) or an open Store. Default: config.store, else the state directory's store. */
  store?: string | Store;
  /** Fingerprint key file. Default: `secret.key` in the state directory (or $DRIFTWATCH_SECRET_KEY). */
  keyFile?: string;
  /** Injected clock, epoch ms. */
  clock?: () => number;
  host?: string;
  user?: string;
}

export interface Detector {
  readonly config: ResolvedConfig;
  readonly store: Store;
  /** Absolute paths no source ever scans or watches: the store file, its journals, the key file. */
  readonly skipPaths: readonly string[];
  /** Scans a source and stores its snapshot (the existing one when nothing changed). */
  takeSnapshot(source: string): Promise<SnapshotOutcome>;
  /** The drift now (baseline, or previous snapshot, vs latest), recorded once however often asked. */
  compareSnapshots(source: string, options?: { against?: Against }): Promise<DriftEvent[]>;
  /** Snapshot then compare, recording the check: what `driftwatch check` does per source. */
  /** With `alert`, the drift is also offered to the alert policy and queued in the outbox, as a detection cycle does. */
  check(source: string, options?: { against?: Against; alert?: boolean }): Promise<SourceReport>;
  acceptBaseline(source: string, options?: AcceptOptions): Promise<BaselineRecord>;
  listEvents(filter?: EventFilter & { source?: string }): Promise<DriftEvent[]>;
  /** Record matching drift without alerting it, for `forMs`; see silences.ts. */
  addSilence(options: SilenceOptions): Promise<SilenceRecord>;
  /** Live silences (stored and configured), or every stored one with `all`. */
  listSilences(options?: { all?: boolean }): Promise<SilenceRecord[]>;
  endSilence(id: number): Promise<boolean>;
  /** Puts a file or tree of a files source back to its baseline content (see restore-files.ts). */
  restore(target: string, options?: { dryRun?: boolean }): Promise<{ source: string; actions: RestoreAction[] }>;
  /**
   * Whether this event may alert now (atomic across processes sharing the
   * store): at or above alerts.minSeverity, outside its key's cooldown, and
   * under alerts.maxPerHour in the sliding hour.
   */
  shouldAlert(event: Pick<DriftEvent, 'id' | 'host' | 'source' | 'type' | 'severity'>): Promise<boolean>;
  runDetectionCycle(): Promise<SourceReport[]>;
  /** Retention: old snapshots, unreferenced content, old events and alert history. */
  cleanup(): Promise<PruneResult & { alerts: number }>;
  getDriftSummary(): Promise<DriftSummary>;
  close(): Promise<void>;
}

/** Bumped whenever parsing or normalisation changes its output, so stored content is parsed again. */
const CONTENT_VERSION = 'dw-content-1';

/**
 * Creates the detector: the library API of SPEC section 5, and what the CLI,
 * the watcher and the server all drive.
 *
 * @example
 * const detector = await createDetector({ config: { sources: [{ name: 'app', path: './config' }] }, store: 'sqlite:./drift.db' });
 * await detector.takeSnapshot('app');
 * const drift = await detector.compareSnapshots('app');
 * await detector.close();
 */
export async function createDetector(options: DetectorOptions = {}): Promise<Detector> {
  const configDir = options.configDir ?? process.cwd();
  const config = resolveConfig(options.config ?? {}, configDir);
  const dir = stateDir();
  const storeUrl = typeof options.store === 'string' ? options.store : options.config?.store ?? process.env.DRIFTWATCH_STORE ?? path.join(dir, 'driftwatch.db');
  const keyFile = options.keyFile ?? process.env.DRIFTWATCH_KEY_FILE ?? path.join(dir, 'secret.key');
  // The store first: a run that cannot write its store fails before it creates a key file.
  const store = typeof options.store === 'object' ? options.store : await openStore(storeUrl, configDir);
  let key: FingerprintKey;
  try {
    key = loadFingerprintKey(keyFile);
  } catch (error) {
    if (typeof options.store !== 'object') await store.close();
    throw error;
  }
  const skipPaths = [keyFile];
  if (typeof options.store !== 'object' && !/^postgres/i.test(storeUrl)) {
    const file = sqlitePath(storeUrl, configDir);
    skipPaths.push(file, `${file}-wal`, `${file}-shm`, `${file}-journal`);
  }
  const ctx: DetectorContext = {
    store, config, key, skipPaths,
    host: options.host ?? os.hostname(),
    user: options.user ?? osUser(),
    now: options.clock ?? Date.now,
    redaction: { isSecretKey: secretKeyMatcher(config.secrets.keys), fingerprint: (text) => key.hmac('secret\0', text) },
    rules: compileRules(config.rules),
    // What counts as a secret shapes the stored tree: a new list means files are read again.
    contentTag: `${CONTENT_VERSION}\0${config.secrets.keys.join('\0')}`,
  };
  const flight = createSingleFlight();

  const spec = (name: string): ResolvedSource => {
    const found = config.sources.find((s) => s.name === name);
    if (!found) throw new DriftError('SOURCE_NOT_FOUND', `no source named "${name}"; configured: ${config.sources.map((s) => s.name).join(', ') || 'none'}`);
    return found;
  };
  const sourceRecord = (s: ResolvedSource) => store.ensureSource({ host: ctx.host, name: s.name, kind: s.kind, origin: sourceOrigin(s), now: ctx.now() });
  const takeSnapshot = (name: string) => flight.run(`snapshot:${name}`, async () => {
    const s = spec(name);
    return takeSourceSnapshot(ctx, s, await sourceRecord(s));
  });
  // Silences are asked at read time: one that expired stops applying by itself.
  const markSilenced = async (events: DriftEvent[]): Promise<DriftEvent[]> => {
    if (events.length === 0) return events;
    const find = silenceMatcher(await liveSilences(store, config.silences, ctx.now()));
    for (const event of events) {
      const note = find(event);
      if (note) event.silenced = note;
    }
    return events;
  };
  const check = (name: string, { against = 'baseline' as Against, alert = false } = {}) => retryPruned(async () => {
    const record = await sourceRecord(spec(name));
    const previous = against === 'previous' ? await store.latestSnapshot(record.id) : undefined;
    const report = await checkSource(ctx, await takeSnapshot(name), against, previous);
    await markSilenced(report.changes);
    // One alert per source per check (or held back for a digest); delivery is the dispatcher's.
    if (alert) await enqueueAlerts(store, config.alerts, report, ctx.now());
    return report;
  });

  return {
    config,
    store,
    skipPaths,
    takeSnapshot,
    check,
    compareSnapshots: (name, { against = 'baseline' } = {}) => retryPruned(async () => {
      const record = await sourceRecord(spec(name));
      const latest = await store.latestSnapshot(record.id) ?? (await takeSnapshot(name)).snapshot;
      if (!latest) return [];
      const base = await compareBase(store, record.id, latest, against);
      if (!base) return [];
      const changes = await diffSnapshots(ctx, base, latest, record.name);
      return markSilenced((await recordDrift(ctx, base, latest, changes)).map((e) => toDriftEvent(e, record)));
    }),
    acceptBaseline: (name, accept) => acceptBaseline(ctx, spec(name), takeSnapshot, accept),
    async listEvents(filter = {}) {
      const sources = new Map((await store.listSources()).map((s) => [s.id, s]));
      const wanted = filter.source === undefined ? undefined : [...sources.values()].find((s) => s.name === filter.source);
      if (filter.source !== undefined && !wanted) {
        throw new DriftError('SOURCE_NOT_FOUND', `no source named "${filter.source}" in the store; known: ${[...sources.values()].map((s) => s.name).join(', ') || 'none'}`);
      }
      const records = await store.listEvents({ ...filter, ...(wanted ? { sourceId: wanted.id } : {}) });
      return markSilenced(records.map((e) => toDriftEvent(e, sources.get(e.sourceId) ?? { name: '?', host: '?' })));
    },
    addSilence: (options) => addSilence(store, options, ctx.now()),
    listSilences: async ({ all = false } = {}) => (all ? store.listSilences() : liveSilences(store, config.silences, ctx.now())),
    endSilence: (id) => store.expireSilence(id, ctx.now()),
    restore: (target, { dryRun = false } = {}) => restoreSource(ctx, target, { dryRun, backupRoot: path.join(dir, 'backups') }),
    async shouldAlert(event) {
      const policy = config.alerts;
      if (severityRank(event.severity) < severityRank(policy.minSeverity)) return false;
      if ('file' in event && silenceMatcher(await liveSilences(store, config.silences, ctx.now()))(event as DriftEvent)) return false;
      // One transaction: the decision and, when it goes out, its outbox rows.
      const decision = await store.decideAlert(alertDecisionInput(event, policy, ctx.now()));
      return decision.send;
    },
    async runDetectionCycle() {
      const reports: SourceReport[] = [];
      for (const s of config.sources) {
        reports.push(await check(s.name, { alert: true }));
      }
      await flushDigests(store, config.alerts, ctx.now());
      return reports;
    },
    async cleanup() {
      const now = ctx.now();
      const result = await store.prune(config.retention, now);
      // Alert history is the memory of the hour and the cooldowns: it goes no sooner than those allow.
      const keep = Math.max(config.retention.events.maxAgeMs, config.alerts.cooldownMs, 3_600_000);
      return { ...result, alerts: await store.pruneAlerts(now - keep) };
    },
    getDriftSummary: () => driftSummary(store, ctx.now(), config.sources.length > 0),
    close: () => store.close(),
  };
}

function secretKeyMatcher(globs: readonly string[]): (key: string) => boolean {
  if (globs.length === 0) return isSecretKeyName;
  const configured = picomatch([...globs], { nocase: true, dot: true });
  return (key) => isSecretKeyName(key) || configured(key);
}

async function compareBase(store: Store, sourceId: number, latest: SnapshotRecord, against: Against): Promise<SnapshotRecord | undefined> {
  if (against === 'previous') return (await store.listSnapshots(sourceId, 2))[1];
  const baseline = await store.getBaseline(sourceId);
  if (!baseline) {
    await store.setBaseline({ sourceId, snapshotId: latest.id, acceptedAt: latest.takenAt, acceptedBy: osUser(), reason: 'first scan', onlyIfAbsent: true });
    return undefined;
  }
  return store.getSnapshot(baseline.snapshotId);
}
