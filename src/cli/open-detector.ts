import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DriftwatchConfig } from '../config/config-types.js';
import { createDetector, type Detector } from '../detector/create-detector.js';
import { DriftError } from '../errors.js';
import { sqlitePath } from '../store/open-store.js';
import type { CliIo } from './cli-io.js';
import type { GlobalOptions } from './global-options.js';

export interface OpenedDetector {
  detector: Detector;
  /** The sources this command works on, by name. */
  sources: string[];
}

/**
 * The configuration (--config, else ./driftwatch.yaml when present) and the
 * store (--store, else $DRIFTWATCH_STORE, else the config's, else the default).
 * PATHs given on the command line replace the configured sources, each a
 * `files` source named by its absolute path (zero-config).
 */
export async function openDetector(io: CliIo, options: GlobalOptions, paths: string[] = []): Promise<OpenedDetector> {
  const configFile = options.config ?? (existsSync(path.join(io.cwd, 'driftwatch.yaml')) ? path.join(io.cwd, 'driftwatch.yaml') : undefined);
  // The YAML and schema libraries load only when there is a file to read.
  const loaded = configFile ? (await import('../config/load-config-file.js')).loadConfigFile(path.resolve(io.cwd, configFile)) : undefined;
  let config: DriftwatchConfig = loaded?.config ?? {};
  let sources = (config.sources ?? []).map((s) => s.name);
  if (paths.length > 0) {
    const named = paths.map((p) => path.resolve(io.cwd, p));
    const byName = new Map((config.sources ?? []).map((s) => [s.name, s]));
    config = { ...config, sources: [...new Set(named)].map((name) => byName.get(name) ?? { name, path: name }) };
    sources = [...new Set(named)];
  }
  // A store named on the command line or in the environment is relative to where the user stands.
  const given = options.store ?? io.env.DRIFTWATCH_STORE;
  const storeUrl = given ? (/^postgres/i.test(given) ? given : sqlitePath(given, io.cwd)) : config.store;
  const detector = await createDetector({
    config,
    configDir: loaded?.dir ?? io.cwd,
    ...(storeUrl ? { store: storeUrl } : {}),
  });
  return { detector, sources };
}

/** A command that needs sources and has none gets one clear line on what to do. */
export function requireSources(sources: string[]): void {
  if (sources.length === 0) {
    throw new DriftError('USAGE', 'nothing to check: give one or more PATHs, or a driftwatch.yaml with sources (driftwatch init writes one)');
  }
}
