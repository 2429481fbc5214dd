// The operation plans every concurrency worker runs, whatever its mode: an
// async task in the test process, a worker thread, or a child process. Plain
// JavaScript that receives the library as an argument, so worker threads and
// child processes run it on the built dist/ while the test process runs it on
// src/ through vitest. Only the detector API and the Store interface are used,
// never SQLite, so another store runs the same plans by its URL.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Opens one detector on the job's store. `clock.ms` is the injected clock:
 * a fixed instant, or null for the real time.
 */
export async function openDetector(lib, job) {
  const clock = { ms: job.clockMs ?? null };
  const calls = {};
  let store = job.storeUrl;
  if (job.countStoreCalls) {
    // Counts every Store method call through a wrapper: how many scans really ran.
    const real = await lib.openStore(job.storeUrl);
    store = new Proxy(real, {
      get(target, name) {
        const value = target[name];
        if (typeof value !== 'function') return value;
        return (...args) => {
          calls[name] = (calls[name] ?? 0) + 1;
          return value.apply(target, args);
        };
      },
    });
  }
  const detector = await lib.createDetector({
    config: job.config, configDir: job.configDir, store, keyFile: job.keyFile,
    host: job.host, user: 'concurrency-test', clock: () => clock.ms ?? Date.now(),
  });
  return { detector, clock, calls };
}

/** What a caller saw of an error: its code (DriftError or SQLite) and message. */
function describeError(op, error) {
  return { op, code: error?.code ?? null, name: error?.name ?? null, message: String(error?.message ?? error) };
}

/** Runs `work`, recording an error instead of throwing: every error that reached a caller is reported. */
async function attempt(errors, op, work) {
  try {
    return await work();
  } catch (error) {
    errors.push(describeError(op, error));
    return undefined;
  }
}

/** A small seeded PRNG (mulberry32), so a plan's mix of operations is reproducible. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Replaces a file in one step (write beside, rename over), so no scan reads it half written. */
export function writeAtomic(file, text, scratchDir) {
  const temp = path.join(scratchDir, `.w-${process.pid}-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

/** An event for shouldAlert: only host, source and type make its key. */
function alertEvent(host, source, id) {
  return { id, host, source, type: 'security_degradation', severity: 'critical' };
}

/** The parts of a drift event that identify it, for comparing what callers saw. */
function eventView(e) {
  return { id: e.id, file: e.file, path: e.path, kind: e.kind, againstSnapshotId: e.againstSnapshotId, snapshotId: e.snapshotId };
}

function summaryView(s) {
  const severitySum = s.severity.low + s.severity.medium + s.severity.high + s.severity.critical;
  return { snapshots: s.snapshots, events: s.events, events24h: s.events24h, severitySum, autoRemediable: s.autoRemediable, sources: s.sources };
}

const allExist = (files) => files.every((f) => fs.existsSync(f));

/**
 * A pause between a looping worker's calls. In one process the detector's
 * work only yields between promises (sync fs and SQLite), so a timer would
 * fire only after the other tasks are done: `pauseMs: 0` yields a microtask
 * instead, and a macrotask now and then so nothing starves.
 */
async function pause(pauseMs, round) {
  if (pauseMs > 0) await sleep(pauseMs);
  else if (round % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
  else await null;
}

/** Marks this worker done for plans that loop until the writers are done. */
function markDone(args) {
  if (args.doneFile) fs.writeFileSync(args.doneFile, '');
}

/**
 * The steps. Each gets the worker (its index and its open detector) and the
 * step's arguments, and returns plain JSON: what the calls returned and every
 * error that reached a caller.
 */
export const steps = {
  /**
   * Opens this worker's detector (unless it shares one already opened).
   * With `args.job`, closes its detector first and opens one on the job
   * changed that way (another store or key file).
   */
  async open(worker, args) {
    const errors = [];
    if (args.job) {
      await closeWorker(worker);
      worker.job = { ...worker.job, ...args.job };
    }
    if (!worker.opened) worker.opened = await attempt(errors, 'createDetector', () => openDetector(worker.lib, worker.job));
    return { errors };
  },

  async setClock(worker, args) {
    worker.opened.clock.ms = args.ms;
    return { errors: [] };
  },

  /** `calls` concurrent takeSnapshot of one source on this worker's detector. */
  async snapshot(worker, args) {
    const errors = [];
    const { detector } = worker.opened;
    const outcomes = await Promise.all(Array.from({ length: args.calls ?? 1 }, () => attempt(errors, 'takeSnapshot', () => detector.takeSnapshot(args.source))));
    const got = outcomes.filter(Boolean);
    return {
      errors,
      snapshotIds: got.map((o) => o.snapshot?.id ?? null),
      created: got.filter((o) => o.created).length,
      // Single-flight: every concurrent caller on one detector gets the very same outcome.
      sameOutcome: got.every((o) => o === got[0]),
    };
  },

  /** `calls` concurrent compareSnapshots of one source. */
  async compare(worker, args) {
    const errors = [];
    const { detector } = worker.opened;
    const results = await Promise.all(Array.from({ length: args.calls ?? 1 }, () => attempt(errors, 'compareSnapshots', () => detector.compareSnapshots(args.source))));
    return { errors, events: results.filter(Boolean).map((events) => events.map(eventView)) };
  },

  async check(worker, args) {
    const errors = [];
    const report = await attempt(errors, 'check', () => worker.opened.detector.check(args.source));
    return { errors, status: report?.status ?? null, snapshotId: report?.snapshotId ?? null, events: report ? report.changes.map(eventView) : [] };
  },

  /**
   * `calls` concurrent shouldAlert. key 'distinct': every call its own
   * (host, source, type) key; key 'same': one key for every call of every worker.
   */
  async alerts(worker, args) {
    const errors = [];
    const { detector } = worker.opened;
    const host = args.host ?? 'alert-host';
    const sourceOf = (i) => (args.key === 'same' ? 'one-key' : `${args.prefix ?? 'k'}-${worker.index}-${i}`);
    const answers = await Promise.all(Array.from({ length: args.calls }, (_, i) =>
      attempt(errors, 'shouldAlert', () => detector.shouldAlert(alertEvent(host, sourceOf(i), worker.index * 100_000 + i)))));
    return { errors, sent: answers.filter((a) => a === true).length, answered: answers.filter((a) => typeof a === 'boolean').length };
  },

  async cleanup(worker) {
    const errors = [];
    const pruned = await attempt(errors, 'cleanup', () => worker.opened.detector.cleanup());
    return { errors, pruned: pruned ?? null };
  },

  async summary(worker) {
    const errors = [];
    const s = await attempt(errors, 'getDriftSummary', () => worker.opened.detector.getDriftSummary());
    return { errors, summary: s ? summaryView(s) : null };
  },

  /** Store-level read-then-write transactions (case B31): one event per call, then one alert decision per call. */
  async storeWrites(worker, args) {
    const errors = [];
    const { store } = worker.opened.detector;
    const eventIds = [];
    const decisionIds = [];
    for (let i = 0; i < args.count; i++) {
      const identity = `b31-${worker.index}-${i}`;
      const stored = await attempt(errors, 'recordEvents', () => store.recordEvents([{
        identity, sourceId: args.sourceId, againstSnapshotId: 1, snapshotId: 2, file: `w${worker.index}.yaml`, path: `/n/${i}`,
        kind: 'modified', attribute: null, before: null, after: null, severity: 'low', type: 'manual_change', secret: false, detectedAt: args.now,
      }]));
      if (stored) eventIds.push(stored[0].id);
      const decision = await attempt(errors, 'decideAlert', () => store.decideAlert({
        key: `b31/${worker.index}/${i}`, eventId: null, now: args.now, cooldownMs: 0, maxPerHour: 1_000_000,
      }));
      if (decision) decisionIds.push(decision.id);
    }
    return { errors, eventIds, decisionIds };
  },

  /**
   * Changes this worker's own file `iterations` times, each time taking a
   * snapshot, checking, or comparing (in turn), then marks itself done.
   */
  async writer(worker, args) {
    const errors = [];
    const { detector } = worker.opened;
    const events = [];
    const file = path.join(args.tree, `w${worker.index}.yaml`);
    try {
      for (let i = 1; i <= args.iterations; i++) {
        writeAtomic(file, `writer: ${worker.index}\nvalue: ${i}\n`, args.scratch);
        const op = args.ops[i % args.ops.length];
        if (op === 'snapshot') await attempt(errors, 'takeSnapshot', () => detector.takeSnapshot(args.source));
        if (op === 'check') {
          const report = await attempt(errors, 'check', () => detector.check(args.source));
          if (report) events.push(...report.changes.map((e) => e.id));
        }
        if (op === 'compare') {
          await attempt(errors, 'takeSnapshot', () => detector.takeSnapshot(args.source));
          const found = await attempt(errors, 'compareSnapshots', () => detector.compareSnapshots(args.source));
          if (found) events.push(...found.map((e) => e.id));
        }
        // Let a looping cleaner in this process in between (see pause()).
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      markDone(args);
    }
    return { errors, eventIds: events };
  },

  /** Runs cleanup until every writer is done (at least once). */
  async cleaner(worker, args) {
    const errors = [];
    let runs = 0;
    let prunedSnapshots = 0;
    do {
      const pruned = await attempt(errors, 'cleanup', () => worker.opened.detector.cleanup());
      prunedSnapshots += pruned?.snapshots ?? 0;
      await pause(args.pauseMs ?? 2, ++runs);
    } while (!allExist(args.waitFor));
    return { errors, runs, prunedSnapshots };
  },

  /** Reads the summary until every writer is done (at least twice). */
  async summaryReader(worker, args) {
    const errors = [];
    const summaries = [];
    do {
      const s = await attempt(errors, 'getDriftSummary', () => worker.opened.detector.getDriftSummary());
      if (s) summaries.push(summaryView(s));
      await pause(args.pauseMs ?? 1, summaries.length);
    } while (summaries.length < 2 || !allExist(args.waitFor));
    return { errors, summaries };
  },

  /**
   * The pool worker of scenario 6: each iteration changes its own source's
   * value to the iteration number and checks it, snapshots the shared
   * (unchanged) source, asks for one alert on a key of its own, and reads
   * the summary.
   */
  async poolWorker(worker, args) {
    const errors = [];
    const { detector } = worker.opened;
    const own = `s${worker.index}`;
    const checks = [];
    let sent = 0;
    let sharedCreated = 0;
    const eventsSeen = [];
    for (let i = 1; i <= args.iterations; i++) {
      writeAtomic(path.join(args.root, own, 'value.yaml'), `value: ${i}\n`, args.scratch);
      const report = await attempt(errors, 'check', () => detector.check(own));
      if (report) {
        checks.push({ status: report.status, changes: report.changes.length });
        eventsSeen.push(...report.changes.map((e) => e.id));
      }
      const shared = await attempt(errors, 'takeSnapshot', () => detector.takeSnapshot('shared'));
      if (shared?.created) sharedCreated++;
      if (await attempt(errors, 'shouldAlert', () => detector.shouldAlert(alertEvent('pool-host', `${own}-${i}`, i)))) sent++;
      const s = await attempt(errors, 'getDriftSummary', () => detector.getDriftSummary());
      if (s && s.severity.low + s.severity.medium + s.severity.high + s.severity.critical !== s.events24h) {
        errors.push({ op: 'getDriftSummary', code: null, name: null, message: 'severity counts do not sum to events24h' });
      }
    }
    return { errors, checks, sent, sharedCreated, eventIds: eventsSeen };
  },

  /**
   * The high-contention mix of scenario 8: `ops` operations drawn by a seeded
   * PRNG among change-and-snapshot, snapshot, compare, check, shouldAlert,
   * summary and cleanup, over the shared sources.
   */
  async hammer(worker, args) {
    const errors = [];
    const { detector } = worker.opened;
    const random = prng(args.seed + worker.index * 7919);
    const pick = (list) => list[Math.floor(random() * list.length)];
    const ownSource = args.sources[worker.index % args.sources.length];
    const ownFile = path.join(args.root, ownSource, `w${worker.index}.yaml`);
    const counts = {};
    const busyMs = {};
    const eventIds = [];
    let sent = 0;
    let value = 0;
    for (let i = 0; i < args.ops; i++) {
      const r = random();
      const op = r < 0.12 ? 'change' : r < 0.22 ? 'snapshot' : r < 0.34 ? 'compare' : r < 0.4 ? 'check' : r < 0.7 ? 'alert' : r < 0.9 ? 'summary' : 'cleanup';
      counts[op] = (counts[op] ?? 0) + 1;
      const started = performance.now();
      if (op === 'change') {
        writeAtomic(ownFile, `worker: ${worker.index}\nvalue: ${++value}\n`, args.scratch);
        await attempt(errors, 'takeSnapshot', () => detector.takeSnapshot(ownSource));
      } else if (op === 'snapshot') {
        await attempt(errors, 'takeSnapshot', () => detector.takeSnapshot(pick(args.sources)));
      } else if (op === 'compare') {
        const found = await attempt(errors, 'compareSnapshots', () => detector.compareSnapshots(pick(args.sources)));
        if (found) eventIds.push(...found.map((e) => e.id));
      } else if (op === 'check') {
        const report = await attempt(errors, 'check', () => detector.check(pick(args.sources)));
        if (report) eventIds.push(...report.changes.map((e) => e.id));
      } else if (op === 'alert') {
        if (await attempt(errors, 'shouldAlert', () => detector.shouldAlert(alertEvent('hammer-host', `h-${worker.index}-${i}`, i)))) sent++;
      } else if (op === 'summary') {
        await attempt(errors, 'getDriftSummary', () => detector.getDriftSummary());
      } else {
        await attempt(errors, 'cleanup', () => detector.cleanup());
      }
      busyMs[op] = (busyMs[op] ?? 0) + performance.now() - started;
    }
    return { errors, counts, busyMs, sent, eventIds: [...new Set(eventIds)] };
  },

  /** Runs the step named by `args.as`: lets workers of one pool play different roles at once. */
  async role(worker, args) {
    return steps[args.as](worker, args);
  },

  /** How many times each Store method was called through this worker's detector. */
  async storeCalls(worker) {
    return { errors: [], calls: { ...worker.opened.calls } };
  },
};

/** A worker of any mode: its index, the library it runs, its job, and (once open) its detector. */
export function makeWorker(lib, job, index, opened) {
  return { lib, job, index, opened };
}

export async function closeWorker(worker) {
  await worker.opened?.detector.close();
  worker.opened = undefined;
}

/** Runs one named step for one worker, starting no earlier than `startAt` (a shared wall-clock instant). */
export async function runStep(worker, name, args = {}) {
  const step = steps[name];
  if (!step) throw new Error(`unknown step ${name}`);
  if (args.startAt !== undefined) await sleep(Math.max(0, args.startAt - Date.now()));
  return step(worker, args);
}
