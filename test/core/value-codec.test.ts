import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonValue, toJsonText } from '../../src/core/json-text.js';
import { decodeValue, encodeValue } from '../../src/core/value-codec.js';
import { createMap, DateTime, Secret, Tagged, valuesEqual, type Value } from '../../src/core/value.js';

const leaf = fc.oneof(
  fc.constant(null), fc.boolean(), fc.string(), fc.bigInt(), fc.double(),
  fc.string().map((s) => new DateTime('local-date', s)), fc.stringMatching(/^[0-9a-f]{0,12}$/).map((h) => new Secret(h, '***')),
);
const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof({ maxDepth: 4 },
    leaf,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.string(), tie('v')), { maxLength: 4 }).map((entries) => createMap(entries)),
    fc.tuple(fc.string(), tie('v')).map(([tag, v]) => new Tagged('!' + tag, v)),
  ),
})).v;

describe('value codec', () => {
  it('round-trips every value exactly', () => {
    fc.assert(fc.property(value, (v) => valuesEqual(decodeValue(encodeValue(v)), v)));
  });
  it('encodes equal maps to equal text whatever their key order', () => {
    expect(encodeValue(createMap([['b', 1n], ['a', 2n]]))).toBe(encodeValue(createMap([['a', 2n], ['b', 1n]])));
  });
  it('keeps __proto__ a plain key', () => {
    const v = createMap([['__proto__', 'x']]);
    expect(valuesEqual(decodeValue(encodeValue(v)), v)).toBe(true);
  });
  it('tells an integer from a float', () => {
    expect(encodeValue(1n)).not.toBe(encodeValue(1));
  });
});

describe('toJsonText', () => {
  it('prints big integers with every digit and whole floats with .0 (B08, B09)', () => {
    const value = createMap([['a', 9007199254740993n], ['b', 1], ['c', 2.5], ['d', new Secret('x', '***')]]);
    expect(toJsonText(value)).toBe('{"a":9007199254740993,"b":1.0,"c":2.5,"d":"***"}');
  });

  it('prints plain counts in an output document as integers, and wrapped values with their kind', () => {
    expect(toJsonText({ version: 1, line: 3, before: new JsonValue(1), after: new JsonValue(1n) })).toBe('{"version":1,"line":3,"before":1.0,"after":1}');
  });
});
