import path from 'node:path';
import { severityRank } from '../core/change.js';
import { DriftError } from '../errors.js';
import type { AlertsConfig, ReceiverConfig, ResolvedReceiver, ResolvedRetry, UrlConfig, UrlRef } from './alerts-config.js';
import type { ResolvedAlertPolicy } from './config-types.js';
import { Concealed } from './concealed.js';
import { parseDuration } from './parse-duration.js';

const DEFAULTS = {
  minSeverity: 'high',
  cooldown: '1h',
  maxPerHour: 10,
  cooldownKey: ['source', 'type'],
  retryAttempts: 20,
  retryInitialDelay: '5s',
  retryMaxDelay: '30m',
  receiverTimeout: '10s',
} as const;

/**
 * `alerts:` with every default filled in and receivers named. Secrets and
 * URLs given as environment variables stay references: they are read when a
 * delivery is made, never copied into the resolved config.
 */
export function resolveAlerts(config: AlertsConfig | undefined, baseDir: string): ResolvedAlertPolicy {
  const minSeverity = config?.minSeverity ?? DEFAULTS.minSeverity;
  const retry: ResolvedRetry = {
    attempts: config?.retry?.attempts ?? DEFAULTS.retryAttempts,
    initialDelayMs: duration(config?.retry?.initialDelay ?? DEFAULTS.retryInitialDelay, 'alerts.retry.initialDelay'),
    maxDelayMs: duration(config?.retry?.maxDelay ?? DEFAULTS.retryMaxDelay, 'alerts.retry.maxDelay'),
  };
  const names = new Set<string>();
  const counts = new Map<string, number>();
  const receivers = (config?.notify ?? []).map((entry, i) => {
    const resolved = resolveReceiver(entry, i, baseDir, minSeverity);
    if (entry.name === undefined) {
      const n = (counts.get(resolved.kind) ?? 0) + 1;
      counts.set(resolved.kind, n);
      resolved.name = n === 1 ? resolved.kind : `${resolved.kind}-${n}`;
    }
    if (names.has(resolved.name)) {
      throw new DriftError('CONFIG_INVALID', `alerts.notify.${i}.name: "${resolved.name}" names an earlier receiver too; give each receiver its own name`, { key: `alerts.notify.${i}.name` });
    }
    names.add(resolved.name);
    return resolved;
  });
  return {
    minSeverity,
    cooldownMs: duration(config?.cooldown ?? DEFAULTS.cooldown, 'alerts.cooldown'),
    maxPerHour: config?.maxPerHour ?? DEFAULTS.maxPerHour,
    cooldownKey: [...new Set(config?.cooldownKey ?? DEFAULTS.cooldownKey)],
    retry,
    receivers,
  };
}

function resolveReceiver(entry: ReceiverConfig, i: number, baseDir: string, globalMin: ResolvedAlertPolicy['minSeverity']): ResolvedReceiver {
  const key = `alerts.notify.${i}`;
  // A receiver's own minimum can only narrow what the policy lets through.
  const own = entry.minSeverity ?? globalMin;
  const common = {
    name: entry.name ?? '',
    minSeverity: severityRank(own) >= severityRank(globalMin) ? own : globalMin,
    maxPerHour: entry.maxPerHour ?? null,
    timeoutMs: duration(entry.timeout ?? DEFAULTS.receiverTimeout, `${key}.timeout`),
  };
  if ('webhook' in entry) {
    if (entry.secret !== undefined && entry.secretEnv !== undefined) {
      throw new DriftError('CONFIG_INVALID', `${key}: give the HMAC key as secretEnv (recommended) or secret, not both`, { key: `${key}.secret` });
    }
    const secret = entry.secretEnv !== undefined ? { env: entry.secretEnv } : entry.secret !== undefined ? { value: new Concealed(entry.secret) } : null;
    return { ...common, kind: 'webhook', url: urlRef(entry.webhook), secret };
  }
  if ('slack' in entry) return { ...common, kind: 'slack', url: urlRef(entry.slack) };
  if ('alertmanager' in entry) return { ...common, kind: 'alertmanager', url: urlRef(entry.alertmanager) };
  if ('command' in entry) return { ...common, kind: 'command', argv: [...entry.command], cwd: path.resolve(baseDir, entry.cwd ?? '.') };
  if ('stdout' in entry) return { ...common, kind: 'stdout' };
  return { ...common, kind: 'log', file: path.resolve(baseDir, entry.log) };
}

function urlRef(config: UrlConfig): UrlRef {
  return typeof config === 'string' ? { url: config } : { env: config.env };
}

function duration(text: string, key: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new DriftError('CONFIG_INVALID', `${key}: expected a duration such as 30d, 12h or 90m, found "${text}"`, { key });
  return ms;
}
