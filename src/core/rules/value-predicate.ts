import { DriftError } from '../../errors.js';
import type { Change } from '../change.js';
import { formatFloat, toJsonText } from '../json-text.js';
import { DateTime, Tagged, valueKind, type Value } from '../value.js';
import type { JsonScalar, ValuePredicate } from './rule-types.js';

/** Tests the values of one change. */
export type ChangeValueTest = (change: Change) => boolean;

const PREDICATE_NAMES = ['turnedOff', 'turnedOn', 'decreased', 'increased', 'matches', 'changedTo'] as const;
// The two positions of a switch, the same words the default classifier (classify.ts) knows.
const OFF_WORDS = new Set(['false', 'no', 'off', 'disabled', 'disable', '0', 'none', 'permissive']);
const ON_WORDS = new Set(['true', 'yes', 'on', 'enabled', 'enable', '1', 'enforcing', 'required']);

/**
 * Compiles a severity rule's `when` (see ValuePredicate for what each test means). The switch
 * and number tests compare two values, so only `modified` and `metadata` changes can match them;
 * `matches` and `changedTo` look at the new value, so a `removed` change never matches them.
 * Throws DriftError CONFIG_INVALID for a predicate that is not exactly one known test.
 *
 * @example
 * const off = compileValuePredicate({ turnedOff: true });
 * off({ kind: 'modified', file: 'sshd_config', path: [4], before: 'UsePAM yes', after: 'UsePAM no' }); // true
 */
export function compileValuePredicate(predicate: ValuePredicate): ChangeValueTest {
  const names = Object.keys(predicate);
  const name = names[0] as (typeof PREDICATE_NAMES)[number];
  if (names.length !== 1 || !PREDICATE_NAMES.includes(name)) {
    throw invalid(`expected exactly one of ${PREDICATE_NAMES.join(', ')}, found ${names.length ? names.join(', ') : 'none'}`);
  }
  const argument = (predicate as Record<string, unknown>)[name];
  switch (name) {
    case 'turnedOff': return flag(name, argument, (b, a) => flipped(b, a, false));
    case 'turnedOn': return flag(name, argument, (b, a) => flipped(b, a, true));
    case 'decreased': return flag(name, argument, (b, a) => compareNumbers(b, a) === 1);
    case 'increased': return flag(name, argument, (b, a) => compareNumbers(b, a) === -1);
    case 'matches': {
      if (typeof argument !== 'string') throw invalid(`matches: expected a regular expression as a string, found ${typeof argument}`);
      let pattern: RegExp;
      try {
        pattern = new RegExp(argument);
      } catch (error) {
        throw invalid(`matches: ${JSON.stringify(argument)} is not a valid regular expression (${(error as Error).message})`);
      }
      return (change) => {
        const text = 'after' in change ? asText(change.after) : undefined;
        return text !== undefined && pattern.test(text);
      };
    }
    case 'changedTo': {
      if (!isJsonScalar(argument)) throw invalid('changedTo: expected a string, a number, a boolean or null');
      return (change) => 'after' in change && equalsScalar(change.after, argument);
    }
  }
}

function flag(name: string, argument: unknown, test: (before: Value, after: Value) => boolean): ChangeValueTest {
  if (argument !== true) throw invalid(`${name}: expected true, found ${JSON.stringify(argument)}`);
  return (change) => (change.kind === 'modified' || change.kind === 'metadata') && test(change.before, change.after);
}

/**
 * A string as a setting: its head and its last token, so a text line such as
 * `PermitRootLogin no` or `timeout=30` is read by its value. A plain `no` has an empty head.
 */
function settingOf(text: string): { head: string; token: string } {
  const trimmed = text.trim();
  const token = /[^\s=:]*$/.exec(trimmed)![0];
  // `ssl = on` and `ssl=off` are one setting: spacing around separators is not part of the head.
  const head = trimmed.slice(0, trimmed.length - token.length).replace(/\s*([=:])\s*/g, '$1').replace(/\s+/g, ' ').trim();
  return { head, token: token.toLowerCase() };
}

/** The head of a setting (empty for a value that is not text) and its position or number. */
function readSwitch(value: Value): { head: string; on: boolean } | undefined {
  if (typeof value === 'boolean') return { head: '', on: value };
  if (typeof value !== 'string') return undefined;
  const { head, token } = settingOf(value);
  return ON_WORDS.has(token) ? { head, on: true } : OFF_WORDS.has(token) ? { head, on: false } : undefined;
}

function readNumber(value: Value): { head: string; number: bigint | number } | undefined {
  if (typeof value === 'bigint') return { head: '', number: value };
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : { head: '', number: value };
  if (typeof value !== 'string') return undefined;
  const { head, token } = settingOf(value);
  if (/^[+-]?\d+$/.test(token)) return { head, number: BigInt(token) };
  if (/^[+-]?(\d+\.\d*|\.\d+|\d+)(e[+-]?\d+)?$/.test(token)) return { head, number: Number(token) };
  return undefined;
}

function flipped(before: Value, after: Value, to: boolean): boolean {
  const [b, a] = [readSwitch(before), readSwitch(after)];
  // Same head: `UsePAM yes` -> `UsePAM no` is a switch turned off, `UsePAM yes` -> `X11Forwarding no` is not.
  return b !== undefined && a !== undefined && b.head === a.head && b.on === !to && a.on === to;
}

/** -1 when the number went up, 1 when it went down, 0 when equal; undefined unless both are numbers of one setting. */
function compareNumbers(before: Value, after: Value): -1 | 0 | 1 | undefined {
  const [b, a] = [readNumber(before), readNumber(after)];
  if (!b || !a || b.head !== a.head) return undefined;
  // `<` between a bigint and a number compares exact values, so 2^53 + 1 stays above 2^53.
  return b.number < a.number ? -1 : b.number > a.number ? 1 : 0;
}

/** The value as a user reads it; undefined for a secret, whose clear text is unknown. */
function asText(value: Value): string | undefined {
  switch (valueKind(value)) {
    case 'secret': return undefined;
    case 'string': return value as string;
    case 'float': return Number.isFinite(value) ? formatFloat(value as number) : String(value);
    case 'datetime': return (value as DateTime).text;
    case 'tagged': {
      const inner = asText((value as Tagged).value);
      return inner === undefined ? undefined : `${(value as Tagged).tag} ${inner}`;
    }
    // A secret inside prints as its mask, which is what the user sees too.
    case 'list':
    case 'map': return toJsonText(value);
    default: return String(value);
  }
}

function equalsScalar(value: Value, scalar: JsonScalar): boolean {
  if (typeof scalar !== 'number') return value === scalar;
  if (typeof value === 'number') return value === scalar;
  return typeof value === 'bigint' && Number.isInteger(scalar) && value === BigInt(scalar);
}

function isJsonScalar(value: unknown): value is JsonScalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function invalid(message: string): DriftError {
  return new DriftError('CONFIG_INVALID', message);
}
