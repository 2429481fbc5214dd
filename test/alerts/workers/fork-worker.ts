// Starts test/alerts/workers/worker.mjs as a real child process and talks to it.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = fileURLToPath(new URL('./worker.mjs', import.meta.url));

export interface AlertWorker {
  child: ChildProcess;
  call<T = Record<string, unknown>>(op: string, args?: Record<string, unknown>): Promise<T>;
  /** Resolves when the process has exited (for any reason). */
  exited: Promise<void>;
  stop(): Promise<void>;
}

/** Child processes run dist/: refuse to test a build older than src/. */
export function assertBuilt(): void {
  const built = fs.statSync(path.join(root, 'dist', 'index.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const newer = (fs.readdirSync(path.join(root, 'src'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && fs.statSync(path.join(root, 'src', f)).mtimeMs > built);
  if (newer.length) throw new Error(`dist/ is older than src/ (${newer.slice(0, 3).join(', ')}); run npx tsc -p tsconfig.build.json first`);
}

export async function forkWorker(): Promise<AlertWorker> {
  const child = fork(script, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  let next = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    for (const p of pending.values()) p.reject(new Error('worker exited'));
    pending.clear();
    resolve();
  }));
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (msg: any) => {
      if (msg.ready) return resolve();
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg);
      else p.reject(new Error(msg.error));
    });
  });
  const worker: AlertWorker = {
    child,
    exited,
    call(op, args = {}) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, op, ...args });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        await worker.call('close').catch(() => {});
        child.kill();
      }
      await exited;
    },
  };
  return worker;
}
