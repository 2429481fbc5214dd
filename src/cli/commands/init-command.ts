import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DriftError } from '../../errors.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../global-options.js';

/** A starter driftwatch.yaml: the current directory as one source, every other key shown commented. */
export function starterConfig(dirName: string): string {
  const name = dirName.replace(/[^A-Za-z0-9_.-]+/g, '-') || 'config';
  return `# driftwatch configuration. Every key is described in docs/configuration.md.
# Relative paths are relative to this file.

# Where snapshots and events are kept (a path, sqlite:PATH).
store: sqlite:./.driftwatch/driftwatch.db

sources:
  - name: ${name}
    path: .
    exclude: ["**/.git/**", "**/node_modules/**", "**/*.swp", "**/*~", ".driftwatch/**"]
  # - name: runtime-env          # an environment, filtered by key globs
  #   kind: env
  #   include: ["APP_*"]
  #   pid: 4242                  # another process's environment instead of driftwatch's own
  # - name: kernel               # the output of a command (no shell), parsed with a format
  #   kind: command
  #   command: ["sysctl", "net.ipv4.ip_forward"]
  #   format: properties
  #   timeout: 10s

# secrets:
#   keys: ["*_dsn"]              # added to the built-in list (password, token, api_key, ...)

# alerts:
#   minSeverity: high            # low, medium, high, critical
#   cooldown: 1h                 # per (host, source, drift type)
#   maxPerHour: 10               # across everything sharing the store

# retention:                     # baselines and each source's latest snapshot are always kept
#   snapshots: { maxAge: 30d, keepLast: 50 }
#   events: { maxAge: 90d }
`;
}

/** `driftwatch init`: write a commented driftwatch.yaml for the current directory (never over an existing one). */
export async function runInit(io: CliIo, _options: GlobalOptions, force: boolean): Promise<number> {
  const file = path.join(io.cwd, 'driftwatch.yaml');
  if (existsSync(file) && !force) {
    throw new DriftError('USAGE', `${file} already exists; edit it, or run driftwatch init --force to replace it`, { file });
  }
  writeFileSync(file, starterConfig(path.basename(io.cwd)));
  io.stdout(`wrote ${file}\nnext: driftwatch check   (the first check records the baseline)\n`);
  return 0;
}
