import type { SourceReport } from '../detector/check-source.js';
import type { Detector } from '../detector/create-detector.js';
import type { DriftEvent } from '../detector/drift-event.js';
import { createDispatcher, type Dispatcher } from '../alerts/dispatcher.js';
import { enqueueAlerts } from '../alerts/enqueue-alerts.js';
import { DriftError } from '../errors.js';
import type { SourceHealth } from '../store/store.js';
import { sourceHealth } from './health.js';
import { describe, driftValues, span } from './log-text.js';
import { silentLogger, type Logger } from './logger.js';
import { createProgress } from './progress.js';
import { createScheduler } from './scheduler.js';
import { WatchedSource } from './watched-source.js';
import type { WatcherFactory } from './watcher.js';

/** What the agent needs of the alert dispatcher (src/alerts/dispatcher.ts). */
export type AlertDelivery = Pick<Dispatcher, 'start' | 'stop' | 'runOnce'>;

export interface AgentOptions {
  detector: Detector;
  /** Names of the detector's sources to watch. Default: all of them. */
  sources?: readonly string[];
  logger?: Logger;
  /** Absolute paths never watched besides the detector's own (its store, journals and key file). */
  ignorePaths?: readonly string[];
  /** Overrides of the resolved config (`interval`, `watch.*`), for tests and CLI flags. */
  intervalMs?: number;
  debounceMs?: number;
  maxWaitMs?: number;
  pruneEveryMs?: number;
  pollIntervalMs?: number;
  usePolling?: boolean;
  /** How often a missing root is looked for. Default 1000 ms. */
  probeMs?: number;
  /** First pause after a failed cycle (doubling up to a minute). Default 1000 ms. */
  retryMs?: number;
  /** Makes the chokidar watchers (tests inject errors through it). */
  watcherFactory?: WatcherFactory;
  /** Draws the first-scan progress bar (on a terminal). */
  progress?: boolean;
  /**
   * Delivers the alert outbox on its own schedule while the agent runs, and
   * once more at a stop. Default: a dispatcher for the config's receivers;
   * null for none (alerts are still decided and queued in the store).
   */
  dispatcher?: AlertDelivery | null;
  /** Told after every cycle (tests count them). */
  onCycle?: (cycle: CycleSummary) => void;
  /** Told of an error no retry can fix (a corrupt store): the agent has stopped working. */
  onFatal?: (error: unknown) => void;
  /** Epoch ms; must be the detector's clock. Default `Date.now`. */
  clock?: () => number;
}

/** One finished cycle. */
export interface CycleSummary {
  source: string;
  status: SourceReport['status'];
  ms: number;
  /** Drift events this cycle recorded for the first time. */
  newEvents: number;
  /** Alerts this cycle queued for delivery. */
  alerts: number;
  changes: number;
  problems: number;
}

export interface Agent {
  /** Starts the watchers, runs the first cycle of every source, then keeps watching. */
  start(): Promise<void>;
  /**
   * Stops: no new cycles, the ones in flight finish, then (with `final`,
   * the default) one last cycle of every files source and every source with
   * events waiting, so a change made just before the stop is recorded; the
   * alert outbox gets one more delivery round. Resolves with the sources whose
   * last cycle failed.
   */
  stop(options?: { final?: boolean }): Promise<{ failed: string[] }>;
  /** What a file-system event for this source does: a debounced cycle. */
  touch(source: string): void;
  health(source: string): SourceHealth | undefined;
}

/** What the agent keeps per source besides how it is followed. */
interface SourceState {
  watched: WatchedSource;
  name: string;
  sourceId: number | null;
  /** The newest drift event this agent has logged for the source. */
  lastSeenEventId: number;
}

/** Errors no retry will fix: the agent says so and stops instead of looping. */
const FATAL_CODES = new Set(['STORE_CORRUPT', 'STORE_TOO_NEW', 'SECRET_KEY_INVALID']);
/** Drift lines logged per cycle; a package upgrade's thousands are one summary line past this. */
const MAX_DRIFT_LINES = 20;

/**
 * The always-on agent of `driftwatch watch`: file-system events (chokidar)
 * and a periodic full check drive detection cycles through the scheduler
 * (debounced, coalesced, never two at once for a source); new drift is
 * logged and queued as alerts for the dispatcher; retention runs on a
 * schedule; each source's health is written to the store. It survives saves
 * by rename, a root deleted and created again (reported missing, watched
 * again when it is back), bursts of events, the inotify watch limit (that
 * source is polled instead) and a store that is briefly unavailable (the
 * cycle is retried).
 *
 * @example
 * const agent = createAgent({ detector, logger: createLogger({ write: (t) => process.stdout.write(t), json: true }) });
 * await agent.start();
 * process.once('SIGTERM', () => agent.stop().then(() => detector.close()));
 */
export function createAgent(options: AgentOptions): Agent {
  const { detector } = options;
  const log = options.logger ?? silentLogger;
  const clock = options.clock ?? Date.now;
  const config = detector.config;
  const settings = {
    intervalMs: options.intervalMs ?? config.intervalMs,
    debounceMs: options.debounceMs ?? config.watch.debounceMs,
    maxWaitMs: options.maxWaitMs ?? config.watch.maxWaitMs,
    pruneEveryMs: options.pruneEveryMs ?? config.watch.pruneEveryMs,
    pollIntervalMs: options.pollIntervalMs ?? config.watch.pollIntervalMs,
    usePolling: options.usePolling ?? config.watch.usePolling,
    probeMs: options.probeMs ?? 1000,
  };
  // What each cycle writes must never start the next.
  const ignorePaths = [...detector.skipPaths, ...(options.ignorePaths ?? [])];
  const limit = { reported: false };
  const states = new Map<string, SourceState>();
  for (const name of options.sources ?? config.sources.map((s) => s.name)) {
    const spec = config.sources.find((s) => s.name === name);
    if (!spec) throw new DriftError('SOURCE_NOT_FOUND', `no source named "${name}"`);
    const state: SourceState = {
      name, sourceId: null, lastSeenEventId: 0,
      watched: new WatchedSource({
        spec, usePolling: settings.usePolling, pollIntervalMs: settings.pollIntervalMs, probeMs: settings.probeMs, ignorePaths, log, limit, clock,
        ...(options.watcherFactory ? { watcherFactory: options.watcherFactory } : {}),
        touch: () => scheduler.touch(name),
        runSoon: () => void scheduler.runSoon(name),
        onModeChange: () => void writeHealth(state),
      }),
    };
    states.set(name, state);
  }
  let startedAt = 0;
  let stopping = false;
  let fatal = false;
  const timers: NodeJS.Timeout[] = [];
  const dispatcher = options.dispatcher === undefined
    ? createDispatcher({ store: detector.store, alerts: config.alerts, clock, logger: log })
    : options.dispatcher;

  const scheduler = createScheduler({
    run: (name) => cycle(states.get(name)!),
    debounceMs: settings.debounceMs,
    maxWaitMs: settings.maxWaitMs,
    ...(options.retryMs !== undefined ? { retryMs: options.retryMs } : {}),
    clock,
    onFailure(name, error, retryInMs, failures) {
      const facts = states.get(name)!.watched.facts;
      facts.failure = describe(error);
      const code = error instanceof DriftError ? error.code : 'INTERNAL';
      if (FATAL_CODES.has(code) && !fatal) {
        fatal = true;
        log.error('agent.fatal', `${name}: ${facts.failure}; stopping`, { source: name, code });
        options.onFatal?.(error);
        return;
      }
      log.error('cycle.failed', `${name}: ${facts.failure}; retrying in ${span(retryInMs)} (attempt ${failures})`,
        { source: name, code, retryInMs, failures });
    },
  });

  async function cycle(st: SourceState): Promise<void> {
    const { name, watched } = st;
    const facts = watched.facts;
    // After an error no retry fixes, the agent only waits to be stopped.
    if (fatal) return;
    const began = clock();
    const report = await detector.check(name);
    const ms = clock() - began;
    const fresh = report.changes
      .filter((e) => e.id > st.lastSeenEventId && e.detectedAt.getTime() >= startedAt)
      .sort((a, b) => a.id - b.id);
    st.sourceId ??= (await detector.store.findSource(report.host, report.source))?.id ?? null;
    if (report.snapshotId !== null) facts.filesWatched = (await detector.store.getSnapshot(report.snapshotId))?.fileCount ?? facts.filesWatched;
    const hadProblems = facts.problems;
    Object.assign(facts, { lastCycleAt: began, lastCycleMs: ms, problems: report.problems.length, failure: null });

    const level = fresh.length > 0 || report.problems.length !== hadProblems ? 'info' : 'debug';
    log[level]('cycle', `${name}: ${report.status}, ${fresh.length} new of ${report.changes.length} changes, ${report.problems.length} problems, ${ms} ms`,
      { source: name, status: report.status, ms, newEvents: fresh.length, changes: report.changes.length, problems: report.problems.length });
    if (report.problems.length > 0 && report.problems.length !== hadProblems) {
      log.warn('problems', `${name}: ${report.problems.slice(0, 5).map((p) => `${p.file || '(root)'} ${p.code}`).join(', ')}${report.problems.length > 5 ? ', ...' : ''}`,
        { source: name, problems: report.problems.slice(0, 20).map((p) => ({ file: p.file, code: p.code })) });
    }
    logDrift(name, fresh);
    const alerts = await alertOn(report);
    st.lastSeenEventId = Math.max(st.lastSeenEventId, ...fresh.map((e) => e.id));
    await watched.afterCycle(report);
    await writeHealth(st);
    options.onCycle?.({ source: name, status: report.status, ms, newEvents: fresh.length, alerts, changes: report.changes.length, problems: report.problems.length });
  }

  /** Logs new drift (at most MAX_DRIFT_LINES lines a cycle). */
  function logDrift(name: string, fresh: DriftEvent[]): void {
    fresh.slice(0, MAX_DRIFT_LINES).forEach((e) => log.info('drift', `${e.source}: ${e.severity} ${e.kind} ${e.file}${e.path ? ` ${e.path}` : ''}${driftValues(e)}`, {
      source: e.source, id: e.id, file: e.file, path: e.path, kind: e.kind, severity: e.severity, type: e.type, secret: e.secret,
    }));
    if (fresh.length > MAX_DRIFT_LINES) log.info('drift', `${name}: and ${fresh.length - MAX_DRIFT_LINES} more changes (driftwatch events --source ...)`, { source: name, more: fresh.length - MAX_DRIFT_LINES });
  }

  /**
   * The cycle's drift, as the library's own cycle offers it: the changes at or
   * above alerts.minSeverity, not silenced and never decided before, become
   * one alert for the source (or wait for a digest), queued in the store's
   * outbox in the same transaction; the dispatcher delivers it.
   */
  async function alertOn(report: SourceReport): Promise<number> {
    const decision = await enqueueAlerts(detector.store, config.alerts, report, clock());
    let queued = 0;
    for (const alert of decision?.alerts ?? []) {
      if (alert.send) queued++;
      log[alert.send ? 'warn' : 'info'](alert.send ? 'alert' : 'alert.held',
        `${report.source}: alert #${alert.id} of ${alert.items} change${alert.items === 1 ? '' : 's'} ${alert.send ? `queued for ${alert.deliveries} receiver${alert.deliveries === 1 ? '' : 's'}` : `held back (${alert.reason})`}`,
        { source: report.source, alert: alert.id, reason: alert.reason, changes: alert.items, deliveries: alert.deliveries });
    }
    return queued;
  }

  async function writeHealth(st: SourceState): Promise<void> {
    if (st.sourceId === null) return;
    try {
      await detector.store.putHealth(st.sourceId, sourceHealth(st.watched.facts), clock());
    } catch (error) {
      log.warn('health.failed', `${st.name}: could not record health: ${describe(error)}`, { source: st.name });
    }
  }

  async function prune(): Promise<void> {
    try {
      const pruned = await detector.cleanup();
      const some = pruned.snapshots + pruned.contents + pruned.events + pruned.checks > 0;
      log[some ? 'info' : 'debug']('prune', `retention: pruned ${pruned.snapshots} snapshots, ${pruned.contents} file versions, ${pruned.events} events, ${pruned.checks} checks`, { ...pruned });
    } catch (error) {
      log.error('prune.failed', `retention failed: ${describe(error)}; tried again in ${span(settings.pruneEveryMs)}`, {});
    }
  }

  return {
    async start() {
      startedAt = clock();
      log.info('watch.start', `watching ${states.size} source${states.size === 1 ? '' : 's'} (store ${detector.store.location}); ` +
        `full check every ${span(settings.intervalMs)}, debounce ${span(settings.debounceMs)}`,
      { sources: [...states.keys()], store: detector.store.location, intervalMs: settings.intervalMs, debounceMs: settings.debounceMs });
      const progress = createProgress({ logger: log, total: states.size, enabled: options.progress ?? false, clock });
      await Promise.all([...states.values()].map(async (st) => {
        await st.watched.start();
        await scheduler.runSoon(st.name);
        progress.advance(st.watched.facts.filesWatched);
      }));
      progress.finish();
      if (stopping) return;
      timers.push(setInterval(() => {
        for (const name of states.keys()) void scheduler.runSoon(name);
      }, settings.intervalMs));
      timers.push(setInterval(() => void prune(), settings.pruneEveryMs));
      void prune();
      const modes = [...states.values()].map(({ name, watched }) => ({ source: name, mode: watched.facts.mode, files: watched.facts.filesWatched }));
      log.info('watch.ready', `ready in ${clock() - startedAt} ms: ${modes.map((m) => `${m.source} (${m.mode}, ${m.files} files)`).join(', ')}`, { sources: modes });
      dispatcher?.start();
    },

    async stop({ final = true } = {}) {
      stopping = true;
      for (const timer of timers.splice(0)) clearInterval(timer);
      const all = [...states.values()];
      // Watchers go first: what changed just before the stop is found by the last cycle's scan.
      await Promise.all(all.map((st) => st.watched.close()));
      const last = final ? all.filter((st) => st.watched.spec.kind === 'files').map((st) => st.name) : [];
      const failed = await scheduler.drain(last);
      for (const { source, error } of failed) log.error('cycle.failed', `${source}: the last cycle failed: ${describe(error)}`, { source });
      // Flush: what the last cycles queued goes out now, receivers permitting; the rest stays queued in the store.
      if (dispatcher) {
        try {
          await dispatcher.stop();
          await dispatcher.runOnce();
        } catch (error) {
          log.error('alerts.failed', `alerts could not be delivered at stop: ${describe(error)}; they stay queued in the store`, {});
        }
      }
      for (const st of all) {
        st.watched.facts.stopped = true;
        await writeHealth(st);
      }
      log.info('watch.stop', failed.length === 0 ? 'stopped cleanly' : `stopped; ${failed.length} source(s) failed their last cycle`, { failed: failed.map((f) => f.source) });
      return { failed: failed.map((f) => f.source) };
    },

    touch(source) {
      if (states.has(source)) scheduler.touch(source);
    },

    health(source) {
      const st = states.get(source);
      return st ? sourceHealth(st.watched.facts) : undefined;
    },
  };
}
