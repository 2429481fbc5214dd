import type { ResolvedSource } from '../config/config-types.js';
import type { SourceReport } from '../detector/check-source.js';
import type { HealthFacts } from './health.js';
import { describe, span } from './log-text.js';
import type { Logger } from './logger.js';
import { TreePoller } from './tree-poller.js';
import { SourceWatcher, watchIdentity, type WatcherFactory } from './watcher.js';

export interface WatchedSourceOptions {
  spec: ResolvedSource;
  /** Poll from the start (`watch.usePolling`). */
  usePolling: boolean;
  pollIntervalMs: number;
  /** How often a missing root is looked for. */
  probeMs: number;
  ignorePaths: readonly string[];
  watcherFactory?: WatcherFactory;
  log: Logger;
  /** Something under the root changed: a debounced cycle. */
  touch: () => void;
  /** A cycle as soon as possible (the root is back). */
  runSoon: () => void;
  /** The mode changed between cycles: the health report is out of date. */
  onModeChange: () => void;
  /** Shared by every source of an agent: the watch limit is explained once. */
  limit: { reported: boolean };
  clock: () => number;
}

const WATCH_LIMIT_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

/**
 * How the agent follows one source between cycles: a chokidar watcher
 * (`events`), a stat poller (`polling`: `watch.usePolling`, or the inotify
 * limit reached), or nothing (`interval`: env and command sources). After
 * each cycle it reads the report: a root gone is probed for until it is
 * back, a root back or replaced (a new inode) gets a new watcher. Watcher
 * (re)starts run one after another.
 */
export class WatchedSource {
  readonly spec: ResolvedSource;
  /** Mode, missing root and polling reason kept here; the agent fills in the cycle's numbers. */
  readonly facts: HealthFacts;
  #options: WatchedSourceOptions;
  #watcher: SourceWatcher | TreePoller | null = null;
  #identity: string | undefined;
  #probe: NodeJS.Timeout | null = null;
  #switching: Promise<void> = Promise.resolve();
  #closed = false;

  /**
   * @example
   * const source = new WatchedSource({ spec, usePolling: false, pollIntervalMs: 5000, probeMs: 1000, ignorePaths: [], log,
   *   touch: () => scheduler.touch(spec.name), runSoon: () => void scheduler.runSoon(spec.name), onModeChange: () => {}, limit: { reported: false }, clock: Date.now });
   * await source.start();
   */
  constructor(options: WatchedSourceOptions) {
    const { spec, usePolling } = options;
    this.#options = options;
    this.spec = spec;
    this.facts = {
      mode: spec.kind !== 'files' ? 'interval' : usePolling ? 'polling' : 'events',
      filesWatched: 0, lastCycleAt: null, lastCycleMs: null, problems: 0, missingSince: null,
      pollingReason: spec.kind === 'files' && usePolling ? 'watch.usePolling is set' : null, failure: null, stopped: false,
    };
  }

  get #root(): string {
    return this.spec.kind === 'files' ? this.spec.path : this.spec.name;
  }

  /** Starts following the source (resolves once a watcher is ready). */
  start(): Promise<void> {
    return this.#rewatch();
  }

  /** Reads a cycle's report: a root gone, back, or replaced changes how the source is followed. */
  async afterCycle(report: SourceReport): Promise<void> {
    if (this.spec.kind !== 'files') return;
    const { log, touch } = this.#options;
    const name = this.spec.name;
    const facts = this.facts;
    const missing = report.status === 'error' && report.problems.some((p) => p.file === '' && p.code === 'SOURCE_MISSING');
    if (missing) {
      facts.filesWatched = 0;
      if (facts.missingSince !== null) return;
      facts.missingSince = this.#options.clock();
      log.warn('source.missing', `${name}: the root ${this.#root} is missing; reported as missing until it is back, then watched again`, { source: name, root: this.#root });
      if (facts.mode === 'events') await this.#rewatch();
      return;
    }
    if (facts.missingSince !== null) {
      facts.missingSince = null;
      log.info('source.back', `${name}: the root ${this.#root} is back`, { source: name, root: this.#root });
      if (facts.mode === 'events') {
        await this.#rewatch();
        touch();
      }
      return;
    }
    if (facts.mode === 'events' && this.#watcher && watchIdentity(this.#root) !== this.#identity) {
      // Deleted and created again between two cycles: the old watches see nothing of the new directory.
      log.info('source.rewatch', `${name}: the root ${this.#root} was replaced; watching the new one`, { source: name, root: this.#root });
      await this.#rewatch();
      touch();
    }
  }

  /** Stops following: no more events, probes or polls. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stopProbe();
    await this.#switching;
    await this.#watcher?.close();
    this.#watcher = null;
  }

  #rewatch(): Promise<void> {
    this.#switching = this.#switching.then(() => this.#startWatching()).catch((error) => {
      this.#options.log.error('watch.failed', `${this.spec.name}: cannot watch ${this.#root}: ${describe(error)}; the periodic check still runs`, { source: this.spec.name });
    });
    return this.#switching;
  }

  async #startWatching(): Promise<void> {
    this.#stopProbe();
    await this.#watcher?.close();
    this.#watcher = null;
    const spec = this.spec;
    if (this.#closed || spec.kind !== 'files') return;
    const { ignorePaths, touch } = this.#options;
    const onChange = () => touch();
    if (this.facts.mode === 'polling') {
      this.#watcher = await TreePoller.start({
        root: spec.path, include: spec.include, exclude: spec.exclude, ignorePaths, intervalMs: this.#options.pollIntervalMs, onChange,
      });
      return;
    }
    if (watchIdentity(spec.path) === undefined) {
      this.#probeUntilBack();
      return;
    }
    const watcher = await SourceWatcher.start({
      root: spec.path, include: spec.include, exclude: spec.exclude, ignorePaths, onChange,
      onError: (error) => this.#onWatchError(error),
      ...(this.#options.watcherFactory ? { factory: this.#options.watcherFactory } : {}),
    });
    // Closed, or sent to polling by an error during the crawl, while this one started.
    if (this.#closed || this.facts.mode !== 'events') {
      await watcher.close();
      if (!this.#closed) await this.#startWatching();
      return;
    }
    this.#watcher = watcher;
    this.#identity = watcher.identity;
    // Back between the cycle that found it missing and now: the next cycle says so.
    if (this.facts.missingSince !== null) touch();
  }

  #probeUntilBack(): void {
    if (this.#probe || this.#closed) return;
    this.#probe = setInterval(() => {
      if (watchIdentity(this.#root) === undefined) return;
      this.#stopProbe();
      // The cycle sees the root again, reports it back, and that starts the watcher.
      this.#options.runSoon();
    }, this.#options.probeMs);
  }

  #stopProbe(): void {
    if (this.#probe) clearInterval(this.#probe);
    this.#probe = null;
  }

  #onWatchError(error: NodeJS.ErrnoException): void {
    const { log, limit } = this.#options;
    const name = this.spec.name;
    if (!WATCH_LIMIT_CODES.has(error.code ?? '')) {
      log.warn('watch.error', `${name}: ${describe(error)}`, { source: name, code: error.code ?? null });
      return;
    }
    if (this.facts.mode === 'polling') return;
    this.facts.mode = 'polling';
    this.facts.pollingReason = error.code === 'ENOSPC' ? 'inotify watch limit reached' : `too many open files (${error.code})`;
    const message = `${name}: cannot watch every file (${error.code}: ${this.facts.pollingReason}); this source is polled every ` +
      `${span(this.#options.pollIntervalMs)} instead`;
    if (!limit.reported) {
      limit.reported = true;
      log.warn('watch.polling', `${message}. Raise the limit (sysctl fs.inotify.max_user_watches=524288) and restart to use events again`,
        { source: name, code: error.code });
    } else {
      log.info('watch.polling', message, { source: name, code: error.code });
    }
    void this.#rewatch().then(() => this.#options.onModeChange());
    // What changed while the event watcher was failing is found by a cycle now.
    this.#options.touch();
  }
}
