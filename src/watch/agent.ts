import path from 'node:path';
import type { ResolvedSource } from '../config/config-types.js';
import type { SourceReport } from '../detector/check-source.js';
import type { Detector } from '../detector/create-detector.js';
import type { DriftEvent } from '../detector/drift-event.js';
import { toJsonText } from '../core/json-text.js';
import { DriftError } from '../errors.js';
import type { SourceHealth } from '../store/store.js';
import { sourceHealth, type HealthFacts } from './health.js';
import { silentLogger, type Logger } from './logger.js';
import { createProgress } from './progress.js';
import { createScheduler } from './scheduler.js';
import { TreePoller } from './tree-poller.js';
import { SourceWatcher, watchIdentity, type WatcherFactory } from './watcher.js';

/** Where an alert goes once `shouldAlert` said yes: the durable outbox of src/alerts. */
export interface AlertSink {
  /** Queues one alert; must not wait for its delivery. */
  enqueue(event: DriftEvent): Promise<void>;
  /** Starts delivering on the sink's own schedule. */
  start?(): void;
  /** Delivers what is queued (receivers permitting) and stops. */
  stop?(): Promise<void>;
}

export interface AgentOptions {
  detector: Detector;
  /** Names of the detector's sources to watch. Default: all of them. */
  sources?: readonly string[];
  logger?: Logger;
  /** Absolute paths never watched besides the store's own files (its journals included): the key file. */
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
  alerts?: AlertSink;
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
   * alert sink is flushed. Resolves with the sources whose last cycle failed.
   */
  stop(options?: { final?: boolean }): Promise<{ failed: string[] }>;
  /** What a file-system event for this source does: a debounced cycle. */
  touch(source: string): void;
  health(source: string): SourceHealth | undefined;
}

interface SourceState extends HealthFacts {
  spec: ResolvedSource;
  watcher: SourceWatcher | TreePoller | null;
  identity: string | undefined;
  probe: NodeJS.Timeout | null;
  /** Watcher (re)starts of this source run one after another. */
  switching: Promise<void>;
  sourceId: number | null;
  lastSeenEventId: number;
}

/** Errors no retry will fix: the agent says so and stops instead of looping. */
const FATAL_CODES = new Set(['STORE_CORRUPT', 'STORE_TOO_NEW', 'SECRET_KEY_INVALID']);
const WATCH_LIMIT_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);
/** Drift lines logged per cycle; a package upgrade's thousands are one summary line past this. */
const MAX_DRIFT_LINES = 20;

/**
 * The always-on agent of `driftwatch watch`: file-system events (chokidar)
 * and a periodic full check drive detection cycles through the scheduler
 * (debounced, coalesced, never two at once for a source); new drift is
 * logged and offered to `shouldAlert`; retention runs on a schedule; each
 * source's health is written to the store. It survives saves by rename, a
 * root deleted and created again (reported missing, re-watched when it is
 * back), bursts of events, the inotify watch limit (that source is polled
 * instead) and a store that is briefly unavailable (the cycle is retried).
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
  const location = detector.store.location;
  const storeFiles = path.isAbsolute(location) ? ['', '-wal', '-shm', '-journal'].map((suffix) => location + suffix) : [];
  const ignorePaths = [...storeFiles, ...(options.ignorePaths ?? [])];
  const names = options.sources ?? config.sources.map((s) => s.name);
  const states = new Map<string, SourceState>();
  for (const name of names) {
    const spec = config.sources.find((s) => s.name === name);
    if (!spec) throw new DriftError('SOURCE_NOT_FOUND', `no source named "${name}"`);
    states.set(name, {
      spec, mode: spec.kind !== 'files' ? 'interval' : settings.usePolling ? 'polling' : 'events',
      filesWatched: 0, lastCycleAt: null, lastCycleMs: null, problems: 0, missingSince: null,
      pollingReason: spec.kind === 'files' && settings.usePolling ? 'watch.usePolling is set' : null, failure: null, stopped: false,
      watcher: null, identity: undefined, probe: null, switching: Promise.resolve(), sourceId: null, lastSeenEventId: 0,
    });
  }
  let startedAt = 0;
  let stopping = false;
  let limitReported = false;
  let fatal = false;
  const timers: NodeJS.Timeout[] = [];

  const scheduler = createScheduler({
    run: (name) => cycle(states.get(name)!),
    debounceMs: settings.debounceMs,
    maxWaitMs: settings.maxWaitMs,
    ...(options.retryMs !== undefined ? { retryMs: options.retryMs } : {}),
    clock,
    onFailure(name, error, retryInMs, failures) {
      const st = states.get(name)!;
      st.failure = describe(error);
      const code = error instanceof DriftError ? error.code : 'INTERNAL';
      if (FATAL_CODES.has(code) && !fatal) {
        fatal = true;
        log.error('agent.fatal', `${name}: ${st.failure}; stopping`, { source: name, code });
        options.onFatal?.(error);
        return;
      }
      log.error('cycle.failed', `${name}: ${st.failure}; retrying in ${span(retryInMs)} (attempt ${failures})`,
        { source: name, code, retryInMs, failures });
    },
  });

  async function cycle(st: SourceState): Promise<void> {
    const name = st.spec.name;
    // After an error no retry fixes, the agent only waits to be stopped.
    if (fatal) return;
    const began = clock();
    const report = await detector.check(name);
    const ms = clock() - began;
    const fresh = report.changes
      .filter((e) => e.id > st.lastSeenEventId && e.detectedAt.getTime() >= startedAt)
      .sort((a, b) => a.id - b.id);
    st.sourceId ??= (await detector.store.findSource(report.host, report.source))?.id ?? null;
    if (report.snapshotId !== null) st.filesWatched = (await detector.store.getSnapshot(report.snapshotId))?.fileCount ?? st.filesWatched;
    const hadProblems = st.problems;
    Object.assign(st, { lastCycleAt: began, lastCycleMs: ms, problems: report.problems.length, failure: null });

    const level = fresh.length > 0 || report.problems.length !== hadProblems ? 'info' : 'debug';
    log[level]('cycle', `${name}: ${report.status}, ${fresh.length} new of ${report.changes.length} changes, ${report.problems.length} problems, ${ms} ms`,
      { source: name, status: report.status, ms, newEvents: fresh.length, changes: report.changes.length, problems: report.problems.length });
    if (report.problems.length > 0 && report.problems.length !== hadProblems) {
      log.warn('problems', `${name}: ${report.problems.slice(0, 5).map((p) => `${p.file || '(root)'} ${p.code}`).join(', ')}${report.problems.length > 5 ? ', ...' : ''}`,
        { source: name, problems: report.problems.slice(0, 20).map((p) => ({ file: p.file, code: p.code })) });
    }
    await alertOn(st, fresh);
    if (st.spec.kind === 'files') await followRoot(st, report);
    await writeHealth(st);
    options.onCycle?.({ source: name, status: report.status, ms, newEvents: fresh.length, changes: report.changes.length, problems: report.problems.length });
  }

  /** Logs new drift and offers it to shouldAlert, oldest first; a failure leaves the rest for the retried cycle. */
  async function alertOn(st: SourceState, fresh: DriftEvent[]): Promise<void> {
    fresh.slice(0, MAX_DRIFT_LINES).forEach((e) => log.info('drift', `${e.source}: ${e.severity} ${e.kind} ${e.file}${e.path ? ` ${e.path}` : ''}${values(e)}`, {
      source: e.source, id: e.id, file: e.file, path: e.path, kind: e.kind, severity: e.severity, type: e.type, secret: e.secret,
    }));
    if (fresh.length > MAX_DRIFT_LINES) log.info('drift', `${st.spec.name}: and ${fresh.length - MAX_DRIFT_LINES} more changes (driftwatch events --source ...)`, { source: st.spec.name, more: fresh.length - MAX_DRIFT_LINES });
    for (const event of fresh) {
      if (!event.silenced && await detector.shouldAlert(event)) {
        log.warn('alert', `${event.source}: alert for ${event.severity} ${event.kind} ${event.file}${event.path ? ` ${event.path}` : ''}`,
          { source: event.source, id: event.id, severity: event.severity, type: event.type });
        // ALERTS: the durable outbox of src/alerts takes the alert here (options.alerts, wired by the watch command).
        await options.alerts?.enqueue(event);
      }
      st.lastSeenEventId = event.id;
    }
  }

  /** A root that went missing is probed for; one that came back, or was replaced, is watched again. */
  async function followRoot(st: SourceState, report: SourceReport): Promise<void> {
    const name = st.spec.name;
    const missing = report.status === 'error' && report.problems.some((p) => p.file === '' && p.code === 'SOURCE_MISSING');
    if (missing) {
      st.filesWatched = 0;
      if (st.missingSince !== null) return;
      st.missingSince = clock();
      log.warn('source.missing', `${name}: the root ${rootOf(st)} is missing; reported as missing until it is back, then watched again`, { source: name, root: rootOf(st) });
      if (st.mode === 'events') {
        await rewatch(st);
      }
      return;
    }
    if (st.missingSince !== null) {
      st.missingSince = null;
      log.info('source.back', `${name}: the root ${rootOf(st)} is back`, { source: name, root: rootOf(st) });
      if (st.mode === 'events') {
        await rewatch(st);
        scheduler.touch(name);
      }
      return;
    }
    if (st.mode === 'events' && st.watcher && watchIdentity(rootOf(st)) !== st.identity) {
      // Deleted and created again between two cycles: the old watches see nothing of the new directory.
      log.info('source.rewatch', `${name}: the root ${rootOf(st)} was replaced; watching the new one`, { source: name, root: rootOf(st) });
      await rewatch(st);
      scheduler.touch(name);
    }
  }

  /** (Re)starts a files source's watcher for its current mode; serialised per source. */
  function rewatch(st: SourceState): Promise<void> {
    st.switching = st.switching.then(() => startWatching(st)).catch((error) => {
      log.error('watch.failed', `${st.spec.name}: cannot watch ${rootOf(st)}: ${describe(error)}; the periodic check still runs`, { source: st.spec.name });
    });
    return st.switching;
  }

  async function startWatching(st: SourceState): Promise<void> {
    if (st.probe) clearInterval(st.probe);
    st.probe = null;
    await st.watcher?.close();
    st.watcher = null;
    if (stopping || st.spec.kind !== 'files') return;
    const spec = st.spec;
    const name = spec.name;
    const onChange = () => scheduler.touch(name);
    if (st.mode === 'polling') {
      st.watcher = await TreePoller.start({ root: spec.path, include: spec.include, exclude: spec.exclude, ignorePaths, intervalMs: settings.pollIntervalMs, onChange });
      return;
    }
    if (watchIdentity(spec.path) === undefined) {
      probeUntilBack(st);
      return;
    }
    const watcher = await SourceWatcher.start({
      root: spec.path, include: spec.include, exclude: spec.exclude, ignorePaths, onChange,
      onError: (error) => onWatchError(st, error),
      ...(options.watcherFactory ? { factory: options.watcherFactory } : {}),
    });
    // Stopped, or sent to polling by an error during the crawl, while this one started.
    if (stopping || st.mode !== 'events') {
      await watcher.close();
      if (!stopping) await startWatching(st);
      return;
    }
    st.watcher = watcher;
    st.identity = watcher.identity;
    // Back between the cycle that found it missing and now: the next cycle says so.
    if (st.missingSince !== null) scheduler.touch(name);
  }

  function probeUntilBack(st: SourceState): void {
    if (st.probe || stopping) return;
    st.probe = setInterval(() => {
      if (watchIdentity(rootOf(st)) === undefined) return;
      clearInterval(st.probe!);
      st.probe = null;
      // The cycle sees the root again, reports it back and starts the watcher.
      void scheduler.runSoon(st.spec.name);
    }, settings.probeMs);
  }

  function onWatchError(st: SourceState, error: NodeJS.ErrnoException): void {
    const name = st.spec.name;
    if (!WATCH_LIMIT_CODES.has(error.code ?? '')) {
      log.warn('watch.error', `${name}: ${describe(error)}`, { source: name, code: error.code ?? null });
      return;
    }
    if (st.mode === 'polling') return;
    st.mode = 'polling';
    st.pollingReason = error.code === 'ENOSPC' ? 'inotify watch limit reached' : `too many open files (${error.code})`;
    const message = `${name}: cannot watch every file (${error.code}: ${st.pollingReason}); this source is polled every ` +
      `${span(settings.pollIntervalMs)} instead`;
    if (!limitReported) {
      limitReported = true;
      log.warn('watch.polling', `${message}. Raise the limit (sysctl fs.inotify.max_user_watches=524288) and restart to use events again`,
        { source: name, code: error.code });
    } else {
      log.info('watch.polling', message, { source: name, code: error.code });
    }
    void rewatch(st).then(() => writeHealth(st));
    scheduler.touch(name);
  }

  async function writeHealth(st: SourceState): Promise<void> {
    if (st.sourceId === null) return;
    try {
      await detector.store.putHealth(st.sourceId, sourceHealth(st), clock());
    } catch (error) {
      log.warn('health.failed', `${st.spec.name}: could not record health: ${describe(error)}`, { source: st.spec.name });
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
        await rewatch(st);
        await scheduler.runSoon(st.spec.name);
        progress.advance(st.filesWatched);
      }));
      progress.finish();
      if (stopping) return;
      timers.push(setInterval(() => {
        for (const name of states.keys()) void scheduler.runSoon(name);
      }, settings.intervalMs));
      timers.push(setInterval(() => void prune(), settings.pruneEveryMs));
      void prune();
      const modes = [...states.values()].map((st) => ({ source: st.spec.name, mode: st.mode, files: st.filesWatched }));
      log.info('watch.ready', `ready in ${clock() - startedAt} ms: ${modes.map((m) => `${m.source} (${m.mode}, ${m.files} files)`).join(', ')}`, { sources: modes });
      options.alerts?.start?.();
    },

    async stop({ final = true } = {}) {
      stopping = true;
      for (const timer of timers.splice(0)) clearInterval(timer);
      const states_ = [...states.values()];
      for (const st of states_) {
        if (st.probe) clearInterval(st.probe);
        st.probe = null;
      }
      // Watchers go first: what changed just before the stop is found by the last cycle's scan.
      await Promise.all(states_.map(async (st) => {
        await st.switching;
        await st.watcher?.close();
        st.watcher = null;
      }));
      const last = final ? states_.filter((st) => st.spec.kind === 'files').map((st) => st.spec.name) : [];
      const failed = await scheduler.drain(last);
      for (const { source, error } of failed) log.error('cycle.failed', `${source}: the last cycle failed: ${describe(error)}`, { source });
      try {
        await options.alerts?.stop?.();
      } catch (error) {
        log.error('alerts.failed', `alerts could not be flushed: ${describe(error)}; they stay queued in the store`, {});
      }
      for (const st of states_) {
        st.stopped = true;
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
      return st ? sourceHealth(st) : undefined;
    },
  };
}

function rootOf(st: SourceState): string {
  return st.spec.kind === 'files' ? st.spec.path : st.spec.name;
}

/** ` 5432 → 6543` for a drift line (secrets are already masked in the event). */
function values(e: DriftEvent): string {
  const show = (v: DriftEvent['before']) => {
    const text = toJsonText(v);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  if (e.kind === 'modified' || e.kind === 'metadata') return ` ${show(e.before)} → ${show(e.after)}`;
  return '';
}

/** 300000 -> `5m`, 1500 -> `1.5s`, 300 -> `300ms`. */
function span(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size) return `${Math.round((ms / size) * 10) / 10}${unit}`;
  }
  return `${ms}ms`;
}

function describe(error: unknown): string {
  if (error instanceof DriftError) return `${error.code}: ${error.message}`;
  const e = error as NodeJS.ErrnoException | undefined;
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? error);
}
