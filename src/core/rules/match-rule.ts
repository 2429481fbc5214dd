import picomatch from 'picomatch';
import { DriftError } from '../../errors.js';
import { CHANGE_KINDS, METADATA_ATTRIBUTES, type Change } from '../change.js';
import { compilePointerGlob } from './pointer-glob.js';
import type { RuleMatch } from './rule-types.js';

/** Tests one change of one source. */
export type ChangeTest = (change: Change, source: string) => boolean;

/**
 * Compiles the match fields of a rule (source, file, path, kind, attribute) into one test per
 * field given; a change matches the rule when every test passes. An empty result means the rule
 * names no field: the caller decides whether that is allowed. `key` names the rule in errors
 * (`ignore.2`): a bad glob, kind or attribute is a DriftError CONFIG_INVALID naming `key.field`.
 *
 * @example
 * const tests = compileRuleMatch({ file: 'var/**', attribute: 'uid' }, 'ignore.0');
 * tests.every((test) => test(change, 'app'));
 */
export function compileRuleMatch(rule: RuleMatch, key: string): ChangeTest[] {
  const tests: ChangeTest[] = [];
  if (rule.source !== undefined) {
    const matches = compileFileGlob(rule.source, `${key}.source`);
    tests.push((_, source) => matches(source));
  }
  if (rule.file !== undefined) {
    const matches = compileFileGlob(rule.file, `${key}.file`);
    tests.push((change) => matches(change.file));
  }
  if (rule.path !== undefined) {
    const matches = withKey(`${key}.path`, () => compilePointerGlob(checkText(rule.path, `${key}.path`)));
    tests.push((change) => matches(change.path));
  }
  const kinds = listOf(rule.kind, CHANGE_KINDS, `${key}.kind`);
  if (kinds) tests.push((change) => kinds.has(change.kind));
  const attributes = listOf(rule.attribute, METADATA_ATTRIBUTES, `${key}.attribute`);
  if (attributes) {
    if (kinds && !kinds.has('metadata')) {
      throw new DriftError('CONFIG_INVALID', `${key}: attribute matches metadata changes only, but kind excludes "metadata"; drop kind or add "metadata" to it`, { key: `${key}.attribute` });
    }
    tests.push((change) => change.kind === 'metadata' && attributes.has(change.attribute));
  }
  return tests;
}

/**
 * A picomatch glob on a relative file path or a source name: dotfiles matched, `/` the only
 * separator on every platform (paths in a snapshot always use `/`). Results are remembered per
 * path, since one file usually has many changes.
 *
 * @example compileFileGlob('**\/*.lock', 'ignore.0.file')('web/yarn.lock') // true
 */
export function compileFileGlob(glob: unknown, key: string): (path: string) => boolean {
  const matcher = withKey(key, () => picomatch(checkText(glob, key), { dot: true, windows: false }));
  const seen = new Map<string, boolean>();
  return (path) => {
    let result = seen.get(path);
    if (result === undefined) seen.set(path, (result = matcher(path)));
    return result;
  };
}

/** Runs a compile step, giving any error it throws the rule's key. */
export function withKey<T>(key: string, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (error instanceof DriftError && error.key !== undefined) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DriftError('CONFIG_INVALID', `${key}: ${message}`, { key, cause: error });
  }
}

function checkText(value: unknown, key: string): string {
  // `""` is a valid pointer glob (the whole document) but never a useful file or source glob.
  if (typeof value !== 'string' || (value === '' && !key.endsWith('.path'))) {
    throw new DriftError('CONFIG_INVALID', `${key}: expected a non-empty glob string, found ${JSON.stringify(value)}`, { key });
  }
  return value;
}

function listOf<T extends string>(value: T | readonly T[] | undefined, allowed: readonly T[], key: string): Set<T> | undefined {
  if (value === undefined) return undefined;
  const items = typeof value === 'string' ? [value] : value;
  const bad = items.find((item) => !allowed.includes(item));
  if (items.length === 0 || bad !== undefined) {
    const found = items.length === 0 ? 'an empty list' : JSON.stringify(bad);
    throw new DriftError('CONFIG_INVALID', `${key}: expected one or a list of ${allowed.join(', ')}, found ${found}`, { key });
  }
  return new Set(items);
}
