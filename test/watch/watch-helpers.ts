import fs from 'node:fs';
import path from 'node:path';
import type { DriftwatchConfig } from '../../src/config/config-types.js';
import { createDetector, type Detector } from '../../src/detector/create-detector.js';
import type { Store } from '../../src/store/store.js';
import { createAgent, type Agent, type AgentOptions, type CycleSummary } from '../../src/watch/agent.js';
import { createLogger } from '../../src/watch/logger.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails with `what` after `timeoutMs` (generous: CI has two busy cores). */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** What an editor does on save: write a temp file beside the original, rename it over. */
export function saveByRename(file: string, text: string, temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`)): void {
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

export interface LogRecord {
  level: string;
  event: string;
  msg: string;
  [key: string]: unknown;
}

export interface TestAgent {
  agent: Agent;
  detector: Detector;
  cycles: CycleSummary[];
  logs: LogRecord[];
  /** The events recorded for a source, oldest first. */
  events(source?: string): Promise<Awaited<ReturnType<Detector['listEvents']>>>;
  snapshots(source: string): Promise<number>;
  stop(): Promise<void>;
}

export interface StartOptions extends Partial<AgentOptions> {
  config: DriftwatchConfig;
  /** A store path, or an open store (a wrapper that fails on demand). */
  store: string | Store;
  keyFile: string;
  /** Wait for start() (watchers ready, first cycles done). Default true. */
  awaitStart?: boolean;
}

/** A detector on a real store and an agent on real watchers, logging JSON records into `logs`. */
export async function startAgent(options: StartOptions): Promise<TestAgent> {
  const { config, store, keyFile, awaitStart = true, ...agentOptions } = options;
  const detector = await createDetector({ config, store, keyFile });
  const cycles: CycleSummary[] = [];
  const logs: LogRecord[] = [];
  const logger = createLogger({ write: (line) => logs.push(JSON.parse(line)), json: true, level: 'debug' });
  const agent = createAgent({ detector, logger, onCycle: (c) => cycles.push(c), ...agentOptions });
  const started = agent.start();
  if (awaitStart) await started;
  let stopped = false;
  return {
    agent, detector, cycles, logs,
    async events(source) {
      return detector.listEvents({ ...(source ? { source } : {}), limit: 100_000 });
    },
    async snapshots(source) {
      const record = (await detector.store.listSources()).find((s) => s.name === source);
      return record ? (await detector.store.listSnapshots(record.id, 100_000)).length : 0;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await started;
      await agent.stop();
      await detector.close();
    },
  };
}
