import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load-config-file.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { createNotifier } from '../../src/alerts/notifiers/create-notifier.js';
import type { DriftError } from '../../src/errors.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

function load(text: string) {
  const file = path.join(tempDir(), 'driftwatch.yaml');
  fs.writeFileSync(file, text);
  return loadConfigFile(file);
}

function refusal(text: string): DriftError {
  try {
    const { config, dir } = load(text);
    resolveConfig(config, dir);
  } catch (error) {
    return error as DriftError;
  }
  throw new Error('expected the config to be refused');
}

const ctx = { env: {}, fetch: globalThis.fetch, now: Date.now, stdout: () => {} };

describe('alerts.notify in driftwatch.yaml', () => {
  it('reads every receiver kind with its own limits, names them, and resolves paths against the file', () => {
    const { config, dir } = load([
      'alerts:',
      '  minSeverity: medium',
      '  cooldownKey: [source, file]',
      '  retry: { attempts: 5, initialDelay: 2s, maxDelay: 1m }',
      '  notify:',
      '    - webhook: http://127.0.0.1:9000/hook',
      '      secretEnv: HOOK_SECRET',
      '      timeout: 3s',
      '    - { webhook: https://example.test/other, name: second, secret: s3cret }',
      '    - { slack: { env: SLACK_WEBHOOK_URL }, minSeverity: critical, maxPerHour: 4 }',
      '    - { alertmanager: http://127.0.0.1:9093 }',
      '    - { command: [./page.sh, --team, ops] }',
      '    - { stdout: true, minSeverity: low }',
      '    - { log: ./alerts.jsonl }',
    ].join('\n'));
    const { alerts } = resolveConfig(config, dir);
    expect(alerts.cooldownKey).toEqual(['source', 'file']);
    expect(alerts.retry).toEqual({ attempts: 5, initialDelayMs: 2000, maxDelayMs: 60_000 });
    expect(alerts.receivers.map((r) => [r.name, r.kind, r.minSeverity, r.maxPerHour, r.timeoutMs])).toEqual([
      ['webhook', 'webhook', 'medium', null, 3000],
      ['second', 'webhook', 'medium', null, 10_000],
      ['slack', 'slack', 'critical', 4, 10_000],
      ['alertmanager', 'alertmanager', 'medium', null, 10_000],
      ['command', 'command', 'medium', null, 10_000],
      // A receiver cannot take what the policy never lets through.
      ['stdout', 'stdout', 'medium', null, 10_000],
      ['log', 'log', 'medium', null, 10_000],
    ]);
    expect(alerts.receivers[0]).toMatchObject({ url: { url: 'http://127.0.0.1:9000/hook' }, secret: { env: 'HOOK_SECRET' } });
    expect(alerts.receivers[2]).toMatchObject({ url: { env: 'SLACK_WEBHOOK_URL' } });
    expect(alerts.receivers[4]).toMatchObject({ argv: ['./page.sh', '--team', 'ops'], cwd: dir });
    expect(alerts.receivers[6]).toMatchObject({ file: path.join(dir, 'alerts.jsonl') });
  });

  it('never prints a secret written in the file', () => {
    const { config, dir } = load('alerts:\n  notify:\n    - { webhook: "http://127.0.0.1:1/h", secret: very-secret-value }\n');
    const resolved = resolveConfig(config, dir);
    expect(JSON.stringify(resolved)).not.toContain('very-secret-value');
    expect(inspect(resolved, { depth: 10 })).not.toContain('very-secret-value');
    expect(`${(resolved.alerts.receivers[0] as { secret: { value: unknown } }).secret.value}`).toBe('***');
  });

  it.each([
    ['a receiver of no known kind', 'alerts:\n  notify:\n    - { email: ops@example.test }\n', 'alerts.notify.0', 3],
    ['two kinds in one entry', 'alerts:\n  notify:\n    - { webhook: "http://a/", slack: "http://b/" }\n', 'alerts.notify.0', 3],
    ['a URL that is not http', 'alerts:\n  notify:\n    - webhook: ftp://x/\n', 'alerts.notify.0.webhook', 3],
    ['an unknown key in a receiver', 'alerts:\n  notify:\n    - webhook: "http://a/"\n      secert: x\n', 'alerts.notify.0.secert', 4],
    ['a bad timeout', 'alerts:\n  notify:\n    - { stdout: true, timeout: soon }\n', 'alerts.notify.0.timeout', 3],
    ['a bad cooldown key', 'alerts:\n  cooldownKey: [colour]\n', 'alerts.cooldownKey.0', 2],
    ['an empty command', 'alerts:\n  notify:\n    - { command: [] }\n', 'alerts.notify.0.command', 3],
  ])('refuses %s with the key and its line', (_what, text, key, line) => {
    const error = refusal(text);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', key, line });
  });

  it('refuses two receivers of one name and a key given both ways', () => {
    expect(refusal('alerts:\n  notify:\n    - { stdout: true, name: a }\n    - { log: x, name: a }\n')).toMatchObject({ code: 'CONFIG_INVALID', key: 'alerts.notify.1.name' });
    expect(refusal('alerts:\n  notify:\n    - { webhook: "http://a/", secret: x, secretEnv: Y }\n')).toMatchObject({ code: 'CONFIG_INVALID', key: 'alerts.notify.0.secret' });
  });

  it('names a missing environment variable when the receiver is built, never a value', () => {
    const { config, dir } = load('alerts:\n  notify:\n    - { webhook: "http://127.0.0.1:1/h", secretEnv: HOOK_SECRET }\n    - { slack: { env: SLACK_URL } }\n');
    const [hook, slack] = resolveConfig(config, dir).alerts.receivers;
    expect(() => createNotifier(hook!, ctx)).toThrow(/HOOK_SECRET/);
    expect(() => createNotifier(slack!, ctx)).toThrow(/SLACK_URL/);
    expect(createNotifier(hook!, { ...ctx, env: { HOOK_SECRET: 'k' } }).name).toBe('webhook');
  });
});
