import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load-config-file.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { DriftError } from '../../src/errors.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

function load(text: string) {
  const file = path.join(tempDir(), 'driftwatch.yaml');
  fs.writeFileSync(file, text);
  return loadConfigFile(file);
}

function refusal(text: string): DriftError {
  try {
    load(text);
  } catch (error) {
    return error as DriftError;
  }
  throw new Error('expected the config to be refused');
}

describe('loadConfigFile', () => {
  it('reads every source kind and resolves defaults and paths against the file', () => {
    const { config, dir } = load([
      'sources:',
      '  - { name: app, path: ./config }',
      '  - { name: env, kind: env, include: ["APP_*"] }',
      '  - { name: k, kind: command, command: [sysctl, net.ipv4.ip_forward], format: properties, timeout: 5s }',
      'alerts: { maxPerHour: 3 }',
    ].join('\n'));
    const resolved = resolveConfig(config, dir);
    expect(resolved.sources).toEqual([
      { name: 'app', kind: 'files', path: path.join(dir, 'config'), include: [], exclude: ['**/.git/**', '**/.hg/**', '**/.svn/**'], format: null },
      { name: 'env', kind: 'env', include: ['APP_*'], exclude: [], pid: null },
      { name: 'k', kind: 'command', command: ['sysctl', 'net.ipv4.ip_forward'], format: 'properties', timeoutMs: 5000, cwd: dir },
    ]);
    expect(resolved.alerts).toEqual({
      minSeverity: 'high', cooldownMs: 3_600_000, maxPerHour: 3, cooldownKey: ['source', 'type'],
      retry: { attempts: 20, initialDelayMs: 5000, maxDelayMs: 1_800_000 }, receivers: [],
    });
    expect(resolved.retention).toEqual({ snapshots: { maxAgeMs: 30 * 86_400_000, keepLast: 50 }, events: { maxAgeMs: 90 * 86_400_000 }, alerts: { keepMs: 3_600_000 } });
  });

  it.each([
    ['an unknown top-level key', 'sorces: []\n', 'sorces', 1],
    ['an unknown key in a source, at its own line', 'sources:\n  - name: a\n    path: x\n    exclud: []\n', 'sources.0.exclud', 4],
    ['a wrong type', 'sources:\n  - name: a\n    path: 3\n', 'sources.0.path', 3],
    ['a bad duration', 'retention:\n  events:\n    maxAge: 9 days\n', 'retention.events.maxAge', 3],
    ['a bad severity', 'alerts:\n  minSeverity: urgent\n', 'alerts.minSeverity', 2],
    ['a command that is not a list', 'sources:\n  - name: k\n    kind: command\n    command: "sysctl -a"\n', 'sources.0.command', 4],
  ])('refuses %s with CONFIG_INVALID, the key path and the line', (_what, text, key, line) => {
    const error = refusal(text);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.key).toBe(key);
    expect(error.line).toBe(line);
  });

  it('refuses YAML that does not parse, and a duplicate key, with the line', () => {
    expect(refusal('sources:\n  - name: [\n').code).toBe('CONFIG_INVALID');
    const dup = refusal('store: a\nstore: b\n');
    expect([dup.code, dup.line]).toEqual(['CONFIG_INVALID', 2]);
  });

  it('says CONFIG_NOT_FOUND for a missing file', () => {
    expect(() => loadConfigFile(path.join(tempDir(), 'nope.yaml'))).toThrow(expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }));
  });

  it('refuses two sources with one name', () => {
    const { config, dir } = load('sources:\n  - { name: a, path: x }\n  - { name: a, path: y }\n');
    expect(() => resolveConfig(config, dir)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', key: 'sources.1.name' }));
  });
});
