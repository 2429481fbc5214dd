import type { Severity } from '../core/change.js';
import type { AlertKeyField, AlertsConfig, ResolvedReceiver, ResolvedRetry } from './alerts-config.js';
import type { IgnoreRule, ListIdentityRule, RuleSet, SeverityRule } from '../core/rules/rule-types.js';
import type { FormatName } from '../formats/format.js';
import type { RetentionPolicy, SilenceRecord } from '../store/store.js';

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

/** An environment: driftwatch's own, or another process's by pid. */
export interface EnvSourceConfig {
  name: string;
  kind: 'env';
  /** Key globs (`APP_*`); default every variable. */
  include?: string[];
  exclude?: string[];
  /** Watch this process's environment (/proc/PID/environ) instead of driftwatch's own. */
  pid?: number;
}

/** The standard output of a command, parsed with a named format. */
export interface CommandSourceConfig {
  name: string;
  kind: 'command';
  /** argv, run without a shell: `["sysctl", "net.ipv4.ip_forward"]`. */
  command: string[];
  /** How to read stdout. Default `text`. */
  format?: FormatName;
  /** Default `30s`. */
  timeout?: string;
  /** Working directory; relative to the config file. Default: the config file's directory. */
  cwd?: string;
}

export type SourceConfig = FilesSourceConfig | EnvSourceConfig | CommandSourceConfig;

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
  /** How often `driftwatch watch` checks every source in full, whatever the file-system events say. Default `5m`. */
  interval?: string;
  /** The `driftwatch watch` agent; see docs/watch.md. */
  watch?: WatchConfig;
  /** Changes that are never drift: not events, not alerts. Every field given must match. */
  ignore?: IgnoreRule[];
  /** First match wins, before the default severities. */
  severity?: SeverityRule[];
  /** Lists whose items are identified by key fields, so a reorder is no drift. */
  lists?: ListIdentityRule[];
  /** Expected drift to record without alerting, until `expires`. */
  silences?: {
    source?: string;
    file?: string;
    path?: string;
    kind?: string | string[];
    attribute?: string | string[];
    reason: string;
    /** Who asked for it. Default `config`. */
    owner?: string;
    /** An ISO date or date-time: `2026-12-31` or `2026-12-31T18:00:00Z`. */
    expires: string;
  }[];
  secrets?: {
    /** Key globs that hold secrets, added to the built-in list (`*_dsn`, `SENTRY_*`); case-insensitive. */
    keys?: string[];
  };
  /** Alert policy and receivers; see alerts-config.ts and docs/alerts.md. */
  alerts?: AlertsConfig;
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

export interface ResolvedEnvSource {
  name: string;
  kind: 'env';
  include: string[];
  exclude: string[];
  pid: number | null;
}

export interface ResolvedCommandSource {
  name: string;
  kind: 'command';
  command: string[];
  format: FormatName;
  timeoutMs: number;
  cwd: string;
}

export type ResolvedSource = ResolvedFilesSource | ResolvedEnvSource | ResolvedCommandSource;

/** Everything present: resolveConfig is the only place defaults live. */
export interface ResolvedAlertPolicy {
  minSeverity: Severity;
  cooldownMs: number;
  maxPerHour: number;
  /** The fields that make an alert's cooldown key. */
  cooldownKey: AlertKeyField[];
  retry: ResolvedRetry;
  receivers: ResolvedReceiver[];
}

export interface ResolvedConfig {
  sources: ResolvedSource[];
  secrets: { keys: string[] };
  rules: RuleSet;
  /** Config silences, ids negative (-1 is the first) to tell them from stored ones. */
  silences: SilenceRecord[];
  alerts: ResolvedAlertPolicy;
  retention: RetentionPolicy;
  maxFileSize: number;
  intervalMs: number;
  watch: ResolvedWatchOptions;
}

/** `watch:` of driftwatch.yaml. */
export interface WatchConfig {
  /** A cycle starts once a source has had no file-system event for this long. Default `300ms`. */
  debounce?: string;
  /** ...or this long after the first event of a burst that does not settle. Default `5s`. */
  maxWait?: string;
  /** Retention (what `driftwatch prune` does) runs this often. Default `1h`. */
  pruneEvery?: string;
  /** Poll every files source instead of using file-system events (network file systems). Default false. */
  usePolling?: boolean;
  /** How often a polled source is walked for changed stats. Default `5s`. */
  pollInterval?: string;
}

/** `watch:` with every default filled. */
export interface ResolvedWatchOptions {
  debounceMs: number;
  maxWaitMs: number;
  pruneEveryMs: number;
  usePolling: boolean;
  pollIntervalMs: number;
}
