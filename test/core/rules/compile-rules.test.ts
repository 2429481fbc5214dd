import { describe, expect, test } from 'vitest';
import type { Change } from '../../../src/core/change.js';
import { classifyChange } from '../../../src/core/classify.js';
import { diffValues } from '../../../src/core/diff-values.js';
import { compileRules } from '../../../src/core/rules/compile-rules.js';
import type { IgnoreRule, RuleSet, SeverityRule } from '../../../src/core/rules/rule-types.js';
import { createMap, Secret, type Value } from '../../../src/core/value.js';

const modified = (file: string, path: (string | number)[], before: Value, after: Value): Change => ({ kind: 'modified', file, path, before, after });
const uid = (file: string): Change => ({ kind: 'metadata', file, path: [], attribute: 'uid', before: 0n, after: 1000n });
const mode = (file: string): Change => ({ kind: 'metadata', file, path: [], attribute: 'mode', before: '0644', after: '0600' });

describe('ignore rules', () => {
  test('SPEC example: lock files and annotations are never drift', () => {
    const rules = compileRules({ ignore: [{ file: '**/*.lock' }, { path: '/metadata/annotations/*' }] });
    expect(rules.isIgnored(modified('yarn.lock', [3], 'a', 'b'), 'app')).toBe(true);
    expect(rules.isIgnored(modified('web/Cargo.lock', [3], 'a', 'b'), 'app')).toBe(true);
    expect(rules.isIgnored(modified('k8s/d.yaml', ['metadata', 'annotations', 'rev'], '1', '2'), 'app')).toBe(true);
    expect(rules.isIgnored(modified('k8s/d.yaml', ['metadata', 'labels', 'rev'], '1', '2'), 'app')).toBe(false);
    expect(rules.isIgnored(modified('k8s/d.yaml', ['metadata', 'annotations'], null, '2'), 'app')).toBe(false);
  });

  test('file globs match dotfiles', () => {
    const rules = compileRules({ ignore: [{ file: '**/*.bak' }, { file: 'cache/**' }] });
    expect(rules.isIgnored(modified('.config/.x.bak', [0], 'a', 'b'), 's')).toBe(true);
    expect(rules.isIgnored(modified('cache/.hidden/y', [0], 'a', 'b'), 's')).toBe(true);
  });

  test('by attribute: uid changes under var/** are ignored, a mode change there and a uid change elsewhere are not', () => {
    const rules = compileRules({ ignore: [{ file: 'var/**', attribute: 'uid' }] });
    expect(rules.isIgnored(uid('var/lib/x.conf'), 'etc')).toBe(true);
    expect(rules.isIgnored(mode('var/lib/x.conf'), 'etc')).toBe(false);
    expect(rules.isIgnored(uid('etc/x.conf'), 'etc')).toBe(false);
    expect(rules.isIgnored(modified('var/lib/x.conf', ['uid'], 1n, 2n), 'etc')).toBe(false);
  });

  test('by kind, one or several', () => {
    const rules = compileRules({ ignore: [{ kind: 'added', path: '/**' }, { kind: ['metadata'], file: 'tmp/*' }] });
    expect(rules.isIgnored({ kind: 'added', file: 'a', path: ['x'], after: 1n }, 's')).toBe(true);
    expect(rules.isIgnored({ kind: 'removed', file: 'a', path: ['x'], before: 1n }, 's')).toBe(false);
    expect(rules.isIgnored(mode('tmp/a'), 's')).toBe(true);
    expect(rules.isIgnored(mode('tmp/a/b'), 's')).toBe(false);
  });

  test('by source: a glob on the source name, all fields ANDed', () => {
    const rules = compileRules({ ignore: [{ source: 'ci-*', file: '*.env' }] });
    expect(rules.isIgnored(modified('.env', ['BUILD_ID'], '1', '2'), 'ci-runner')).toBe(true);
    expect(rules.isIgnored(modified('.env', ['BUILD_ID'], '1', '2'), 'prod')).toBe(false);
    expect(rules.isIgnored(modified('app.yaml', ['x'], '1', '2'), 'ci-runner')).toBe(false);
    // zero-config sources are named by their absolute path
    expect(compileRules({ ignore: [{ source: '/srv/**' }] }).isIgnored(mode('a'), '/srv/app')).toBe(true);
  });

  test('a whole file added or removed has path "": /** covers it, a deeper glob does not', () => {
    const gone: Change = { kind: 'removed', file: 'x.yaml', path: [], before: null };
    expect(compileRules({ ignore: [{ path: '/**' }] }).isIgnored(gone, 's')).toBe(true);
    expect(compileRules({ ignore: [{ path: '/*' }] }).isIgnored(gone, 's')).toBe(false);
  });

  test('judge drops ignored changes and classifies the rest, in order', () => {
    const rules = compileRules({ ignore: [{ file: '**/*.lock' }] });
    const changes = [modified('yarn.lock', [1], 'a', 'b'), modified('a.yaml', ['db', 'port'], 1n, 2n), uid('b')];
    expect(rules.judge(changes, 's')).toEqual([
      { ...changes[1], severity: 'medium', type: 'manual_change', secret: false },
      { ...changes[2], severity: 'medium', type: 'permission_change', secret: false },
    ]);
  });
});

describe('severity rules', () => {
  test('SPEC example: **/tls/** is high, before the defaults', () => {
    const rules = compileRules({ severity: [{ path: '**/tls/**', level: 'high' }] });
    const ca = modified('a.yaml', ['server', 'tls', 'ca', 'file'], 'a.pem', 'b.pem');
    expect(rules.classify(ca, 's')).toEqual({ severity: 'high', type: classifyChange(ca).type, secret: false });
    expect(rules.classify(modified('a.yaml', ['tls'], null, 'x'), 's').severity).toBe('high');
  });

  test('no rule matching: the defaults', () => {
    const rules = compileRules({ severity: [{ file: 'nginx/**', level: 'critical' }] });
    for (const change of [modified('a.yaml', ['replicas'], 1n, 2n), modified('a.yaml', ['tls', 'enabled'], true, false), uid('x')]) {
      expect(rules.classify(change, 's')).toEqual(classifyChange(change));
    }
  });

  test('the first match wins, in the order written, even over a higher level later', () => {
    const change = modified('app/a.yaml', ['db', 'port'], 5432n, 6543n);
    const first: SeverityRule[] = [{ path: '/db/*', level: 'low' }, { file: 'app/**', level: 'critical' }];
    expect(compileRules({ severity: first }).classify(change, 's').severity).toBe('low');
    expect(compileRules({ severity: [...first].reverse() }).classify(change, 's').severity).toBe('critical');
  });

  test('a rule can lower a default too', () => {
    const rules = compileRules({ severity: [{ file: 'dev/**', level: 'low' }] });
    expect(rules.classify(modified('dev/a.yaml', ['tls', 'enabled'], true, false), 's'))
      .toEqual({ severity: 'low', type: 'security_degradation', secret: false });
  });

  test('type from the rule when it names one, else from the defaults; secret always from the defaults', () => {
    const rules = compileRules({
      severity: [
        { file: 'prod/**', level: 'high', type: 'environment_mismatch' },
        { path: '/**', kind: 'modified', level: 'low' },
      ],
    });
    const secret = modified('prod/.env', ['DB_PASSWORD'], new Secret('a'), new Secret('b'));
    expect(rules.classify(secret, 's')).toEqual({ severity: 'high', type: 'environment_mismatch', secret: true });
    const lowered = modified('dev/.env', ['DB_PASSWORD'], new Secret('a'), new Secret('b'));
    expect(rules.classify(lowered, 's')).toEqual({ severity: 'low', type: 'manual_change', secret: true });
  });

  test('when: a value predicate ANDed with the match fields', () => {
    const rules = compileRules({
      severity: [
        { path: '**/tls/**', when: { turnedOff: true }, level: 'critical', type: 'security_degradation' },
        { path: '/**/replicas', when: { decreased: true }, level: 'high' },
        { file: 'sshd_config', when: { matches: '^PermitRootLogin\\s+yes' }, level: 'critical' },
        { source: 'kernel', when: { changedTo: '0' }, level: 'high' },
        { when: { turnedOn: true }, level: 'medium' },
      ],
    });
    expect(rules.classify(modified('a.yaml', ['tls', 'enabled'], true, false), 's'))
      .toEqual({ severity: 'critical', type: 'security_degradation', secret: false });
    expect(rules.classify(modified('a.yaml', ['tls', 'enabled'], false, true), 's').severity).toBe('medium');
    expect(rules.classify(modified('a.yaml', ['spec', 'replicas'], 3n, 1n), 's').severity).toBe('high');
    expect(rules.classify(modified('a.yaml', ['spec', 'replicas'], 1n, 3n), 's').severity).toBe('low');
    expect(rules.classify(modified('sshd_config', [7], 'PermitRootLogin no', 'PermitRootLogin yes'), 's').severity).toBe('critical');
    expect(rules.classify(modified('out', ['kernel.kptr_restrict'], '1', '0'), 'kernel').severity).toBe('high');
  });

  test('attribute and kind rules classify metadata changes', () => {
    const rules = compileRules({ severity: [{ attribute: ['mode', 'uid'], file: 'etc/ssh/**', level: 'critical' }] });
    expect(rules.classify(mode('etc/ssh/sshd_config'), 's')).toEqual({ severity: 'critical', type: 'permission_change', secret: false });
    expect(rules.classify(mode('etc/hosts'), 's').severity).toBe('low');
  });
});

describe('refused rules name the rule', () => {
  const refused = (set: RuleSet, key: string) => expect(() => compileRules(set)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', key }));

  test('an empty rule', () => {
    refused({ ignore: [{ file: 'a' }, {}] }, 'ignore.1');
    refused({ severity: [{ level: 'high' }] }, 'severity.0');
  });

  test('bad globs, kinds, attributes, levels, types and predicates', () => {
    refused({ ignore: [{ path: 'metadata/annotations/*' }] }, 'ignore.0.path');
    refused({ ignore: [{ file: '' }] }, 'ignore.0.file');
    refused({ ignore: [{ kind: 'changed' as never }] }, 'ignore.0.kind');
    refused({ ignore: [{ kind: [] }] }, 'ignore.0.kind');
    refused({ ignore: [{ attribute: 'owner' as never }] }, 'ignore.0.attribute');
    refused({ ignore: [{ kind: 'modified', attribute: 'uid' }] }, 'ignore.0.attribute');
    refused({ severity: [{ path: '/a', level: 'urgent' as never }] }, 'severity.0.level');
    refused({ severity: [{ path: '/a', level: 'high', type: 'drift' as never }] }, 'severity.0.type');
    refused({ severity: [{ path: '/a', level: 'high', when: { matches: '[' } }] }, 'severity.0.when');
    refused({ severity: [{ path: '/a', level: 'high', when: { increased: true, decreased: true } as never }] }, 'severity.0.when');
  });

  test('an empty rule set is fine and changes nothing', () => {
    const rules = compileRules({});
    const change = modified('a.yaml', ['x'], 1n, 2n);
    expect(rules.isIgnored(change, 's')).toBe(false);
    expect(rules.classify(change, 's')).toEqual(classifyChange(change));
    expect(rules.listIdentity('a.yaml')).toBeUndefined();
  });

  test('rules are plain data: compiling does not change them', () => {
    const ignore: IgnoreRule[] = [{ file: '**/*.lock', kind: ['modified', 'added'] }];
    const copy = structuredClone(ignore);
    compileRules({ ignore });
    expect(ignore).toEqual(copy);
  });
});

describe('list rules', () => {
  test('listIdentity(file) is the diff option for that file', () => {
    const rules = compileRules({ lists: [{ path: '/subjects', keys: ['name'] }] });
    const item = (name: string) => createMap([['name', name]]);
    const before = createMap([['subjects', [item('a'), item('b')]]]);
    const after = createMap([['subjects', [item('b'), item('a')]]]);
    expect(diffValues(before, after, { listIdentity: rules.listIdentity('r.yaml') })).toEqual([]);
    expect(diffValues(before, after)).not.toEqual([]);
  });

  test('a bad list rule is a config error naming it', () => {
    expect(() => compileRules({ lists: [{ path: '/a', keys: [] }] })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', key: 'lists.0.keys' }));
  });
});
