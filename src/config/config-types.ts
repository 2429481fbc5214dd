import type { Severity } from '../core/change.js';
import type { FormatName } from '../formats/format.js';
import type { RetentionPolicy } from '../store/store.js';

/** A `files` source as the user writes it. */
export interface FilesSourceConfig {
  name: string;
  kind?: 'files';
  /** A file or a directory. Relative paths resolve against the config file's directory. */
  path: string;
  /** Globs relative to `path`; default: every file, dotfiles included. */
  include?: string[];
  /** Globs relative to `path`; an excluded directory is not descended into. Default: `.git`, `.hg` and `.svn` directories. */
  exclude?: string[];
  /** Read every file as this format instead of choosing by name. */
  format?: FormatName;
}

export type SourceConfig = FilesSourceConfig;

/** The configuration as the user writes it (driftwatch.yaml, or built by the CLI); every field optional. */
export interface DriftwatchConfig {
  /** Store URL: a path, `sqlite:PATH` or `postgres://...`. Default: a SQLite file in the state directory. */
  store?: string;
  sources?: SourceConfig[];
  retention?: {
    /** Default 30d and 50. */
    snapshots?: { maxAge?: string; keepLast?: number };
    /** Default 90d. */
    events?: { maxAge?: string };
  };
  /** Largest file read, in bytes. Default 16 MiB. */
  maxFileSize?: number;
  alerts?: {
    /** Changes below this severity never alert. Default `high`. */
    minSeverity?: Severity;
    /** At most one alert per key within this duration. Default `1h`. */
    cooldown?: string;
    /** At most this many alerts in any sliding hour, across everything sharing the store. Default 10. */
    maxPerHour?: number;
  };
}

export interface ResolvedFilesSource {
  name: string;
  kind: 'files';
  /** Absolute. */
  path: string;
  include: string[];
  exclude: string[];
  format: FormatName | null;
}

export type ResolvedSource = ResolvedFilesSource;

/** Everything present: resolveConfig is the only place defaults live. */
export interface ResolvedAlertPolicy {
  minSeverity: Severity;
  cooldownMs: number;
  maxPerHour: number;
}

export interface ResolvedConfig {
  sources: ResolvedSource[];
  alerts: ResolvedAlertPolicy;
  retention: RetentionPolicy;
  maxFileSize: number;
}
