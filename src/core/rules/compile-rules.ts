import { DriftError } from '../../errors.js';
import { DRIFT_TYPES, SEVERITIES, type Change, type ClassifiedChange, type DriftType, type Severity } from '../change.js';
import { classifyChange, type Verdict } from '../classify.js';
import type { ListIdentity } from '../diff-values.js';
import { compileListRules } from './list-identity.js';
import { compileRuleMatch, withKey, type ChangeTest } from './match-rule.js';
import type { IgnoreRule, RuleSet, SeverityRule } from './rule-types.js';
import { compileValuePredicate } from './value-predicate.js';

/** A configuration's rules, compiled once and asked once per change. */
export interface CompiledRules {
  /** Whether an ignore rule matches: then the change is neither an event nor an alert. */
  isIgnored(change: Change, source: string): boolean;
  /** The first matching severity rule's level (and type, when it names one), else the defaults. */
  classify(change: Change, source: string): Verdict;
  /** The changes no ignore rule matches, each with its verdict, in the order given. */
  judge(changes: readonly Change[], source: string): ClassifiedChange[];
  /** The `listIdentity` option of diffValues for one file; undefined when no list rule applies to it. */
  listIdentity(file: string): ListIdentity | undefined;
}

interface CompiledSeverity {
  test: ChangeTest;
  level: Severity;
  type: DriftType | undefined;
}

/**
 * Compiles ignore, severity and list-identity rules (the resolved form of driftwatch.yaml's
 * `ignore`, `severity` and `lists`). Globs are compiled here, once. A rule that names no field
 * to match on, or has a bad glob, kind, attribute, level, type, predicate or regular expression,
 * is a DriftError CONFIG_INVALID whose key names it (`severity.1.when`).
 *
 * A severity rule decides the level, and the drift type when it names one; otherwise the type is
 * the default classifier's. Whether a change is secret always comes from the default classifier,
 * so no rule can unmask a value.
 *
 * @example
 * const rules = compileRules({ ignore: [{ file: '**\/*.lock' }], severity: [{ path: '**\/tls/**', level: 'high' }] });
 * rules.isIgnored({ kind: 'modified', file: 'yarn.lock', path: [3], before: 'a', after: 'b' }, 'app'); // true
 * rules.classify({ kind: 'modified', file: 'a.yaml', path: ['server', 'tls', 'ca'], before: 'x', after: 'y' }, 'app').severity; // 'high'
 */
export function compileRules(rules: RuleSet): CompiledRules {
  const ignore = (rules.ignore ?? []).map((rule, i) => compileIgnore(rule, `ignore.${i}`));
  const severity = (rules.severity ?? []).map((rule, i) => compileSeverity(rule, `severity.${i}`));
  const listIdentity = compileListRules(rules.lists ?? []);

  const isIgnored = (change: Change, source: string): boolean => ignore.some((test) => test(change, source));
  const classify = (change: Change, source: string): Verdict => {
    const defaults = classifyChange(change);
    const rule = severity.find((r) => r.test(change, source));
    if (!rule) return defaults;
    return { severity: rule.level, type: rule.type ?? defaults.type, secret: defaults.secret };
  };
  return {
    isIgnored,
    classify,
    judge: (changes, source) => changes.filter((c) => !isIgnored(c, source)).map((c) => ({ ...c, ...classify(c, source) })),
    listIdentity,
  };
}

function compileIgnore(rule: IgnoreRule, key: string): ChangeTest {
  const tests = compileRuleMatch(rule, key);
  if (tests.length === 0) {
    throw new DriftError('CONFIG_INVALID', `${key}: an ignore rule needs at least one of source, file, path, kind, attribute; an empty rule would ignore everything`, { key });
  }
  return allOf(tests);
}

function compileSeverity(rule: SeverityRule, key: string): CompiledSeverity {
  if (!SEVERITIES.includes(rule.level)) {
    throw new DriftError('CONFIG_INVALID', `${key}.level: expected one of ${SEVERITIES.join(', ')}, found ${JSON.stringify(rule.level)}`, { key: `${key}.level` });
  }
  if (rule.type !== undefined && !DRIFT_TYPES.includes(rule.type)) {
    throw new DriftError('CONFIG_INVALID', `${key}.type: expected one of ${DRIFT_TYPES.join(', ')}, found ${JSON.stringify(rule.type)}`, { key: `${key}.type` });
  }
  const tests = compileRuleMatch(rule, key);
  if (rule.when !== undefined) {
    const when = withKey(`${key}.when`, () => compileValuePredicate(rule.when!));
    tests.push((change) => when(change));
  }
  if (tests.length === 0) {
    throw new DriftError('CONFIG_INVALID', `${key}: a severity rule needs at least one of source, file, path, kind, attribute, when; an empty rule would replace every default`, { key });
  }
  return { test: allOf(tests), level: rule.level, type: rule.type };
}

function allOf(tests: readonly ChangeTest[]): ChangeTest {
  if (tests.length === 1) return tests[0]!;
  return (change, source) => tests.every((test) => test(change, source));
}
