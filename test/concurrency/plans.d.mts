// Types for plans.mjs (plain JavaScript so that threads and processes run it on dist/ unchanged).
import type { Detector } from '../../src/index.js';

export interface Job {
  storeUrl: string;
  keyFile: string;
  host: string;
  configDir: string;
  config: Record<string, unknown>;
  /** The injected clock's fixed instant; null for the real time. */
  clockMs?: number | null;
  /** Wrap the store to count Store method calls (see the storeCalls step). */
  countStoreCalls?: boolean;
}

export interface Opened {
  detector: Detector;
  clock: { ms: number | null };
  calls: Record<string, number>;
}

export interface Worker {
  lib: unknown;
  job: Job;
  index: number;
  opened: Opened | undefined;
}

export interface CallerError {
  op: string;
  code: string | null;
  name: string | null;
  message: string;
}

export function openDetector(lib: unknown, job: Job): Promise<Opened>;
export function makeWorker(lib: unknown, job: Job, index: number, opened: Opened | undefined): Worker;
export function closeWorker(worker: Worker): Promise<void>;
export function runStep(worker: Worker, name: string, args?: Record<string, unknown>): Promise<{ errors: CallerError[] } & Record<string, any>>;
export function prng(seed: number): () => number;
export function writeAtomic(file: string, text: string, scratchDir: string): void;
export const steps: Record<string, unknown>;
