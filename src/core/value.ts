/**
 * The normalised value tree every format parses into.
 *
 * Integers are `bigint` (every digit kept, and never confused with a float);
 * floats are `number` (so `1.0` and `1` differ in kind while `2.50` and `2.5`
 * are one value). Maps are null-prototype objects, so a key such as
 * `__proto__` is data, not a prototype switch. Three leaf kinds are classes
 * because they must never be mistaken for a map: a YAML custom tag, a TOML
 * date/time, and a redacted secret.
 */
export type Value = null | boolean | string | bigint | number | Value[] | ValueMap | Tagged | DateTime | Secret;

export interface ValueMap {
  [key: string]: Value;
}

/** A YAML value with a custom tag (`!Ref x`): the tag is data. */
export class Tagged {
  constructor(
    readonly tag: string,
    readonly value: Value,
  ) {}
}

export const DATE_TIME_KINDS = ['offset-datetime', 'local-datetime', 'local-date', 'local-time'] as const;
export type DateTimeKind = (typeof DATE_TIME_KINDS)[number];

/** A TOML date or time, kept in its own text so a local time stays local. */
export class DateTime {
  constructor(
    readonly kind: DateTimeKind,
    readonly text: string,
  ) {}
}

/**
 * A secret value after redaction: only a keyed fingerprint survives, plus the
 * text that may be shown (`***`, or a URL with only its password masked).
 */
export class Secret {
  constructor(
    readonly fingerprint: string,
    readonly display: string = '***',
  ) {}
}

export const VALUE_KINDS = [
  'null', 'boolean', 'string', 'integer', 'float', 'list', 'map', 'tagged', 'datetime', 'secret',
] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

export function valueKind(value: Value): ValueKind {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean': return 'boolean';
    case 'string': return 'string';
    case 'bigint': return 'integer';
    case 'number': return 'float';
  }
  if (Array.isArray(value)) return 'list';
  if (value instanceof Tagged) return 'tagged';
  if (value instanceof DateTime) return 'datetime';
  if (value instanceof Secret) return 'secret';
  return 'map';
}

export function isMap(value: Value): value is ValueMap {
  return valueKind(value) === 'map';
}

/** A new, empty map with no prototype. */
export function createMap(entries?: Iterable<readonly [string, Value]>): ValueMap {
  const map = Object.create(null) as ValueMap;
  if (entries) for (const [key, value] of entries) map[key] = value;
  return map;
}

/** Deep equality by value and kind; map key order never matters. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  const kind = valueKind(a);
  if (kind !== valueKind(b)) return false;
  switch (kind) {
    case 'float': return Number.isNaN(a as number) && Number.isNaN(b as number);
    case 'list': {
      const x = a as Value[], y = b as Value[];
      return x.length === y.length && x.every((item, i) => valuesEqual(item, y[i]!));
    }
    case 'map': {
      const x = a as ValueMap, y = b as ValueMap;
      const keys = Object.keys(x);
      if (keys.length !== Object.keys(y).length) return false;
      return keys.every((key) => Object.hasOwn(y, key) && valuesEqual(x[key]!, y[key]!));
    }
    case 'tagged': return (a as Tagged).tag === (b as Tagged).tag && valuesEqual((a as Tagged).value, (b as Tagged).value);
    case 'datetime': return (a as DateTime).kind === (b as DateTime).kind && (a as DateTime).text === (b as DateTime).text;
    case 'secret': return (a as Secret).fingerprint === (b as Secret).fingerprint;
    default: return false;
  }
}
