import { DateTime, Secret, Tagged, type Value, type ValueMap } from './value.js';

/**
 * Canonical text of a composite value: two values get the same key exactly when
 * `valuesEqual` says they are equal, so a key can stand in for the value in a hash map.
 *
 * Not `encodeValue`: that one keeps a secret's display text, while equality looks
 * at the fingerprint only.
 *
 * @example equalityKey(createMap([['b', 1n], ['a', 1.5]])) === equalityKey(createMap([['a', 1.5], ['b', 1n]]))
 */
export function equalityKey(value: Value): string {
  if (value === null || typeof value === 'boolean') return String(value);
  switch (typeof value) {
    case 'string': return JSON.stringify(value);
    case 'bigint': return 'i' + value.toString();
    // String(-0) is "0" and NaN is "NaN": both agree with valuesEqual.
    case 'number': return 'f' + String(value);
  }
  if (Array.isArray(value)) return '[' + value.map(equalityKey).join(',') + ']';
  if (value instanceof Tagged) return 't' + JSON.stringify(value.tag) + '(' + equalityKey(value.value) + ')';
  if (value instanceof DateTime) return 'd' + JSON.stringify(value.kind + ' ' + value.text);
  if (value instanceof Secret) return 'x' + JSON.stringify(value.fingerprint);
  return mapKey(value);
}

function mapKey(map: ValueMap): string {
  let out = '{';
  for (const key of Object.keys(map).sort()) out += JSON.stringify(key) + ':' + equalityKey(map[key]!) + ',';
  return out + '}';
}
