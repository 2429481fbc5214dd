// A detector on a temporary tree with an injected clock, for the alert tests.
import fs from 'node:fs';
import path from 'node:path';
import { createDetector, type Detector } from '../../src/detector/create-detector.js';
import type { DriftwatchConfig } from '../../src/config/config-types.js';

export const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
export const HOUR = 3_600_000;

export interface Deployment {
  dir: string;
  tree: string;
  store: string;
  keyFile: string;
  detector: Detector;
  clock: { now: number };
  write(file: string, text: string): void;
  close(): Promise<void>;
}

export async function deploy(dir: string, files: Record<string, string>, config: DriftwatchConfig = {}, host = 'web-1'): Promise<Deployment> {
  const tree = path.join(dir, 'tree');
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    fs.writeFileSync(path.join(tree, file), text);
  };
  fs.mkdirSync(tree, { recursive: true });
  for (const [file, text] of Object.entries(files)) write(file, text);
  const clock = { now: T0 };
  const store = path.join(dir, 'drift.db');
  const keyFile = path.join(dir, 'secret.key');
  const detector = await createDetector({
    config: { sources: [{ name: 'app', path: tree }], ...config },
    store, keyFile, host, user: 'test', clock: () => clock.now,
  });
  return { dir, tree, store, keyFile, detector, clock, write, close: () => detector.close() };
}
