import { DriftError } from '../../errors.js';
import type { ListIdentity } from '../diff-values.js';
import { compileFileGlob, withKey } from './match-rule.js';
import { compilePointerGlob, type PointerMatcher } from './pointer-glob.js';
import type { ListIdentityRule } from './rule-types.js';

interface CompiledListRule {
  file: ((file: string) => boolean) | undefined;
  path: PointerMatcher;
  keys: readonly string[];
}

/**
 * Compiles list-identity rules once and returns, per file, the `listIdentity` option of
 * diffValues: undefined when no rule's file glob matches the file (the plain diff then runs),
 * else a function giving a list's key fields from the list's path in the new document.
 * The first rule whose file glob and path glob match wins. Per-file answers are remembered.
 * Throws DriftError CONFIG_INVALID (key `lists.N.field`) for a bad glob or key list.
 *
 * @example
 * const forFile = compileListRules([{ path: '/**\/containers', keys: ['name'] }]);
 * diffValues(before, after, { listIdentity: forFile('deploy.yaml') });
 */
export function compileListRules(rules: readonly ListIdentityRule[]): (file: string) => ListIdentity | undefined {
  const compiled = rules.map((rule, i) => compileListRule(rule, `lists.${i}`));
  const perFile = new Map<string, ListIdentity | undefined>();
  return (file) => {
    if (perFile.has(file)) return perFile.get(file);
    const applicable = compiled.filter((rule) => rule.file === undefined || rule.file(file));
    const identity: ListIdentity | undefined = applicable.length === 0
      ? undefined
      : (path) => applicable.find((rule) => rule.path(path))?.keys;
    perFile.set(file, identity);
    return identity;
  };
}

/**
 * The `listIdentity` option of diffValues for one file (see compileListRules, which compiles the
 * rules once for many files).
 *
 * @example
 * const identity = compileListIdentity([{ path: '/subjects', keys: ['kind', 'name'] }], 'rbac/r.yaml');
 * diffValues(before, after, { listIdentity: identity }); // a reordered subjects list: []
 */
export function compileListIdentity(rules: readonly ListIdentityRule[], file: string): ListIdentity | undefined {
  return compileListRules(rules)(file);
}

function compileListRule(rule: ListIdentityRule, key: string): CompiledListRule {
  const keys = rule.keys as readonly unknown[] | undefined;
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== 'string' || k === '')) {
    throw new DriftError('CONFIG_INVALID', `${key}.keys: expected a non-empty list of field names, such as ["name"] or ["kind", "name"]`, { key: `${key}.keys` });
  }
  if (new Set(keys).size !== keys.length) {
    throw new DriftError('CONFIG_INVALID', `${key}.keys: a field is named twice in ${JSON.stringify(keys)}`, { key: `${key}.keys` });
  }
  if (typeof rule.path !== 'string') {
    throw new DriftError('CONFIG_INVALID', `${key}.path: expected a JSON Pointer glob naming the list, such as "/spec/containers"`, { key: `${key}.path` });
  }
  return {
    file: rule.file === undefined ? undefined : compileFileGlob(rule.file, `${key}.file`),
    path: withKey(`${key}.path`, () => compilePointerGlob(rule.path)),
    keys: [...(keys as string[])],
  };
}
