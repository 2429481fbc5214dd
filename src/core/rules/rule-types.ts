/**
 * The rules of driftwatch.yaml in their resolved form: plain data, as the config produces
 * them after validation. compileRules (compile-rules.ts) turns them into functions.
 */
import type { ChangeKind, DriftType, MetadataAttribute, Severity } from '../change.js';

/**
 * What a rule matches a change on. Every field given must match (AND); a rule needs one at least.
 *
 * @example
 * // uid changes of any file under var/
 * const match: RuleMatch = { file: 'var/**', attribute: 'uid' };
 */
export interface RuleMatch {
  /** Glob on the source's name (picomatch, dotfiles matched). */
  source?: string;
  /** Glob on the file's path relative to the source root, `/` separators (picomatch, dotfiles matched). */
  file?: string;
  /** JSON Pointer glob on the change's own path (see compilePointerGlob); `/**` at the end takes the subtree. */
  path?: string;
  kind?: ChangeKind | readonly ChangeKind[];
  /** Matches `metadata` changes of these attributes only. */
  attribute?: MetadataAttribute | readonly MetadataAttribute[];
}

/**
 * Noise that is never drift: a change it matches is neither an event nor an alert.
 *
 * @example const rules: IgnoreRule[] = [{ file: '**\/*.lock' }, { path: '/metadata/annotations/*' }];
 */
export type IgnoreRule = RuleMatch;

/** A JSON scalar, as a YAML or JSON config file gives it. */
export type JsonScalar = string | number | boolean | null;

/**
 * A test on a change's values. Exactly one field.
 *
 * - `turnedOff` / `turnedOn`: a boolean, or a switch-like string (`on`, `yes`, `enabled`, `true`, `1`, ...),
 *   flipped between the two positions; a text line (`PermitRootLogin yes`) is read by its last token,
 *   and its head must stay the same.
 * - `decreased` / `increased`: both values numeric (integer, float, or numeric text, read the same
 *   way as a switch), compared by value.
 * - `matches`: a regular expression source, tested against the new value as text (a map or list as
 *   JSON). A secret never matches: its clear value is unknown.
 * - `changedTo`: the new value equals this scalar; a number equals an integer or a float of the same value.
 *
 * @example const p: ValuePredicate = { matches: '^0\\.0\\.0\\.0(:\\d+)?$' };
 */
export type ValuePredicate =
  | { turnedOff: true }
  | { turnedOn: true }
  | { decreased: true }
  | { increased: true }
  | { matches: string }
  | { changedTo: JsonScalar };

/**
 * A severity rule: the first one that matches decides the level (and the drift type when it
 * names one) before the defaults are asked.
 *
 * @example const rule: SeverityRule = { path: '**\/tls/**', when: { turnedOff: true }, level: 'critical', type: 'security_degradation' };
 */
export interface SeverityRule extends RuleMatch {
  when?: ValuePredicate;
  level: Severity;
  /** Default: the type the default classifier gives. */
  type?: DriftType;
}

/**
 * The items of a list are identified by key fields, so a reorder is no drift and a change inside
 * an item is reported at that item, whatever its index.
 *
 * @example const rule: ListIdentityRule = { path: '/**\/containers', keys: ['name'], file: 'k8s/**' };
 */
export interface ListIdentityRule {
  /** JSON Pointer glob naming the list, by its path in the new document. */
  path: string;
  /** Fields that together identify an item, e.g. `['name']` or `['kind', 'name']`. */
  keys: readonly string[];
  /** Glob on the file's path; default: every file. */
  file?: string;
}

/**
 * Every rule of a configuration, in the order the user wrote them.
 *
 * @example const set: RuleSet = { ignore: [{ kind: 'metadata', attribute: 'uid' }], severity: [], lists: [] };
 */
export interface RuleSet {
  ignore?: readonly IgnoreRule[];
  severity?: readonly SeverityRule[];
  lists?: readonly ListIdentityRule[];
}
