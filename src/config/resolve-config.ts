import path from 'node:path';
import { compileRules } from '../core/rules/compile-rules.js';
import { compileRuleMatch } from '../core/rules/match-rule.js';
import type { RuleMatch } from '../core/rules/rule-types.js';
import { DriftError } from '../errors.js';
import type { DriftwatchConfig, ResolvedConfig, ResolvedSource, SourceConfig } from './config-types.js';
import { parseDuration } from './parse-duration.js';
import { resolveAlerts } from './resolve-alerts.js';

/** Version-control metadata is not configuration; a source that gives its own `exclude` decides for itself. */
export const DEFAULT_EXCLUDE = ['**/.git/**', '**/.hg/**', '**/.svn/**'];

const DEFAULTS = {
  snapshotsMaxAge: '30d',
  snapshotsKeepLast: 50,
  eventsMaxAge: '90d',
  maxFileSize: 16 * 1024 * 1024,
  commandTimeout: '30s',
  interval: '5m',
  watchDebounce: '300ms',
  watchMaxWait: '5s',
  watchPruneEvery: '1h',
  watchPollInterval: '5s',
} as const;

/**
 * Fills every default and makes paths absolute (relative to `baseDir`, the
 * config file's directory). The only place defaults live.
 */
export function resolveConfig(config: DriftwatchConfig, baseDir: string): ResolvedConfig {
  const names = new Set<string>();
  const sources = (config.sources ?? []).map((source, i) => {
    if (names.has(source.name)) {
      throw new DriftError('CONFIG_INVALID', `sources[${i}].name: "${source.name}" is used by an earlier source; source names must be unique`, { key: `sources.${i}.name` });
    }
    names.add(source.name);
    return resolveSource(source, baseDir);
  });
  const rules = { ignore: config.ignore ?? [], severity: config.severity ?? [], lists: config.lists ?? [] };
  // Compiled once here only to refuse a bad rule before anything runs; the detector compiles its own.
  compileRules(rules);
  const alerts = resolveAlerts(config.alerts, baseDir);
  return {
    sources,
    retention: {
      snapshots: {
        maxAgeMs: duration(config.retention?.snapshots?.maxAge ?? DEFAULTS.snapshotsMaxAge, 'retention.snapshots.maxAge'),
        keepLast: config.retention?.snapshots?.keepLast ?? DEFAULTS.snapshotsKeepLast,
      },
      events: { maxAgeMs: duration(config.retention?.events?.maxAge ?? DEFAULTS.eventsMaxAge, 'retention.events.maxAge') },
      alerts: { keepMs: Math.max(alerts.cooldownMs, 3_600_000) },
    },
    maxFileSize: config.maxFileSize ?? DEFAULTS.maxFileSize,
    secrets: { keys: config.secrets?.keys ?? [] },
    rules,
    silences: (config.silences ?? []).map(({ reason, owner, expires, ...match }, i) => {
      if (compileRuleMatch(match as RuleMatch, `silences.${i}`).length === 0) {
        throw new DriftError('CONFIG_INVALID', `silences.${i}: a silence must match something: give source, file, path, kind or attribute`, { key: `silences.${i}` });
      }
      return { id: -(i + 1), match, reason, owner: owner ?? 'config', createdAt: 0, expiresAt: date(expires, `silences.${i}.expires`) };
    }),
    alerts,
    intervalMs: duration(config.interval ?? DEFAULTS.interval, 'interval', 100),
    watch: {
      debounceMs: duration(config.watch?.debounce ?? DEFAULTS.watchDebounce, 'watch.debounce', 0),
      maxWaitMs: duration(config.watch?.maxWait ?? DEFAULTS.watchMaxWait, 'watch.maxWait', 0),
      pruneEveryMs: duration(config.watch?.pruneEvery ?? DEFAULTS.watchPruneEvery, 'watch.pruneEvery', 1000),
      usePolling: config.watch?.usePolling ?? false,
      pollIntervalMs: duration(config.watch?.pollInterval ?? DEFAULTS.watchPollInterval, 'watch.pollInterval', 100),
    },
  };
}

function resolveSource(source: SourceConfig, baseDir: string): ResolvedSource {
  switch (source.kind) {
    case 'env':
      return { name: source.name, kind: 'env', include: source.include ?? [], exclude: source.exclude ?? [], pid: source.pid ?? null };
    case 'command':
      return {
        name: source.name, kind: 'command', command: source.command, format: source.format ?? 'text',
        timeoutMs: duration(source.timeout ?? DEFAULTS.commandTimeout, `sources.${source.name}.timeout`),
        cwd: path.resolve(baseDir, source.cwd ?? '.'),
      };
    default:
      return {
        name: source.name, kind: 'files', path: path.resolve(baseDir, source.path), include: source.include ?? [],
        exclude: source.exclude ?? DEFAULT_EXCLUDE, format: source.format ?? null,
      };
  }
}

function date(text: string, key: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new DriftError('CONFIG_INVALID', `${key}: expected a date such as 2026-12-31 or 2026-12-31T18:00:00Z, found "${text}"`, { key });
  return ms;
}

function duration(text: string, key: string, minMs?: number): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new DriftError('CONFIG_INVALID', `${key}: expected a duration such as 30d, 12h or 90m, found "${text}"`, { key });
  if (minMs !== undefined && ms < minMs) throw new DriftError('CONFIG_INVALID', `${key}: must be at least ${minMs} ms, found "${text}"`, { key });
  return ms;
}
