// The driver: starts a pool of logical workers in one mode and runs the same
// named step on all of them at once. A logical worker is one detector (one
// store connection) running a plan. Modes:
//   async         async tasks in this process, each with its own detector
//   async-shared  async tasks in this process sharing one detector
//   threads       worker threads (test/concurrency/worker.mjs on dist/)
//   processes     child processes (the same script)
// A thread or process may host several logical workers (`detectorsEach`),
// each with its own detector, all running at once: 50 concurrent callers
// need not cost 50 Node start-ups on a two-core CI machine. Every mode uses
// one store, one fingerprint key and one host, so the workers of a test are
// agents of one deployment.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker as Thread } from 'node:worker_threads';
import * as lib from '../../src/index.js';
import { closeWorker, makeWorker, openDetector, runStep, type CallerError, type Job, type Worker } from './plans.mjs';

export type Mode = 'async' | 'async-shared' | 'threads' | 'processes';
export const MODES: readonly Mode[] = ['async', 'async-shared', 'threads', 'processes'];

export type StepResult = { errors: CallerError[] } & Record<string, any>;
type Args = Record<string, unknown>;

export interface Pool {
  readonly mode: Mode;
  /** Logical workers: steps return one result per logical worker, in index order. */
  readonly size: number;
  /**
   * Runs `name` on every worker at the same moment (a shared start instant
   * for threads and processes) and returns each worker's result, in worker
   * order. `args` may differ per worker.
   */
  step(name: string, args?: Args | ((index: number) => Args)): Promise<StepResult[]>;
  close(): Promise<void>;
}

const workerScript = new URL('./worker.mjs', import.meta.url);

export interface PoolShape {
  /** Threads or processes to start (for async modes: ignored). */
  workers: number;
  /** Logical workers (detectors) each thread or process hosts. Default 1. */
  detectorsEach?: number;
  /** Open every detector at once as the first step (default); false leaves it to the test. */
  open?: boolean;
}

/**
 * Starts `workers * detectorsEach` logical workers and opens their detectors
 * together (the open itself is the first concurrent step).
 */
export async function startPool(mode: Mode, shape: PoolShape, job: Job): Promise<Pool> {
  const each = shape.detectorsEach ?? 1;
  const size = shape.workers * each;
  const pool = mode === 'async' || mode === 'async-shared' ? await asyncPool(mode, size, job) : await remotePool(mode, shape.workers, each, job);
  const open = shape.open ?? true;
  if (open) {
    const opened = await pool.step('open');
    const errors = opened.flatMap((r) => r.errors);
    if (errors.length) {
      await pool.close();
      throw new Error(`workers could not open the detector: ${JSON.stringify(errors.slice(0, 3))}`);
    }
  }
  return pool;
}

async function asyncPool(mode: Mode, size: number, job: Job): Promise<Pool> {
  const shared = mode === 'async-shared' ? await openDetector(lib, job) : undefined;
  const workers: Worker[] = Array.from({ length: size }, (_, i) => makeWorker(lib, job, i, shared));
  return {
    mode, size,
    step: (name, args = {}) => Promise.all(workers.map((w, i) => runStep(w, name, typeof args === 'function' ? args(i) : args))),
    async close() {
      if (shared) await shared.detector.close();
      else await Promise.all(workers.map(closeWorker));
    },
  };
}

interface Remote {
  indices: number[];
  send(message: unknown): void;
  stderr(): string;
}

/**
 * Threads and processes run dist/, the async modes and the test's own reader
 * run src/: refuse to compare the two when dist/ is older than src/.
 */
export function assertBuilt(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const built = fs.statSync(path.join(root, 'dist', 'index.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const newer = (fs.readdirSync(path.join(root, 'src'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && fs.statSync(path.join(root, 'src', f)).mtimeMs > built);
  if (newer.length) throw new Error(`dist/ is older than src/ (${newer.slice(0, 3).join(', ')}); run npx tsc -p tsconfig.build.json first`);
}

let checkedBuild = false;

async function remotePool(mode: 'threads' | 'processes', count: number, each: number, job: Job): Promise<Pool> {
  if (!checkedBuild) { assertBuilt(); checkedBuild = true; }
  const size = count * each;
  const pending = new Map<string, { resolve: (r: StepResult[]) => void; reject: (e: Error) => void }>();
  const closed: Promise<void>[] = [];
  const ready: Promise<void>[] = [];
  const remotes: Remote[] = [];
  let seq = 0;
  for (let index = 0; index < count; index++) {
    // Logical workers index, index + count, ...: consecutive indices land on different threads or processes.
    const indices = Array.from({ length: each }, (_, k) => index + k * count);
    let stderr = '';
    let onReady!: () => void, onReadyFail!: (e: Error) => void, onClosed!: () => void;
    ready.push(new Promise<void>((resolve, reject) => { onReady = resolve; onReadyFail = reject; }));
    closed.push(new Promise<void>((resolve) => { onClosed = resolve; }));
    const onMessage = (message: { type: string; seq?: number; results?: StepResult[]; error?: string }) => {
      if (message.type === 'ready') onReady();
      else if (message.type === 'closed') onClosed();
      else {
        const key = `${index}:${message.seq}`;
        const waiting = pending.get(key);
        pending.delete(key);
        if (message.type === 'result') waiting?.resolve(message.results!);
        else waiting?.reject(new Error(`worker ${index} failed: ${message.error}`));
      }
    };
    const onExit = (code: number | null, signal?: string | null) => {
      onClosed();
      const why = new Error(`worker ${index} (${mode}) exited (${code ?? signal}) before answering:\n${stderr.slice(-3000)}`);
      onReadyFail(why);
      for (const [key, waiting] of pending) {
        if (key.startsWith(`${index}:`)) { pending.delete(key); waiting.reject(why); }
      }
    };
    if (mode === 'threads') {
      const thread = new Thread(workerScript, { workerData: { job, indices }, execArgv: [], stderr: true });
      thread.stderr.on('data', (chunk) => { stderr += chunk; });
      thread.on('message', onMessage);
      thread.on('error', (error) => { stderr += String(error.stack ?? error); });
      thread.on('exit', (code) => onExit(code));
      remotes.push({ indices, send: (m) => thread.postMessage(m), stderr: () => stderr });
    } else {
      const child: ChildProcess = fork(workerScript, [JSON.stringify({ job, indices })], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      child.stderr!.on('data', (chunk) => { stderr += chunk; });
      child.on('message', onMessage);
      child.on('exit', (code, signal) => onExit(code, signal));
      remotes.push({ indices, send: (m) => { if (child.connected) child.send(m as object); }, stderr: () => stderr });
    }
  }
  await Promise.all(ready);
  return {
    mode, size,
    async step(name, args = {}) {
      const id = ++seq;
      // A start instant a little ahead, so every worker has the message before any begins.
      const startAt = Date.now() + 20 + 2 * count;
      const argsOf = (i: number) => ({ ...(typeof args === 'function' ? args(i) : args), startAt });
      const answers = remotes.map((remote, index) => new Promise<StepResult[]>((resolve, reject) => {
        pending.set(`${index}:${id}`, { resolve, reject });
        remote.send({ type: 'step', seq: id, name, args: remote.indices.map(argsOf) });
      }));
      const out: StepResult[] = new Array(size);
      for (const [index, results] of (await Promise.all(answers)).entries()) {
        for (const [k, result] of results.entries()) out[remotes[index]!.indices[k]!] = result;
      }
      return out;
    },
    async close() {
      for (const remote of remotes) remote.send({ type: 'close' });
      await Promise.all(closed);
    },
  };
}

/** Every error any worker's caller saw, for one clear assertion. */
export function callerErrors(results: readonly StepResult[]): CallerError[] {
  return results.flatMap((r) => r.errors);
}
