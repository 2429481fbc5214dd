import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJsonText } from '../../src/core/json-text.js';
import { createMap, valuesEqual, type Value } from '../../src/core/value.js';
import { parseJson } from '../../src/formats/json.js';

const doc = (text: string): Value | undefined => parseJson(text).document;

describe('parseJson', () => {
  it('B08: integers beyond 2^53 keep every digit', () => {
    expect(doc('{"acct": 9007199254740993}')).toEqual(createMap([['acct', 9007199254740993n]]));
    expect(doc('{"max": 18446744073709551615}')).toEqual(createMap([['max', 18446744073709551615n]]));
    expect(valuesEqual(doc('{"a": 9007199254740993}')!, doc('{"a": 9007199254740992}')!)).toBe(false);
    expect(doc('[-12345678901234567890123]')).toEqual([-12345678901234567890123n]);
  });

  it('B09: 1.0 is a float and 1 an integer; 2.50 equals 2.5', () => {
    const before = doc('{"ratio": 1.0, "scale": 2.50}') as Record<string, Value>;
    const after = doc('{"ratio": 1, "scale": 2.5}') as Record<string, Value>;
    expect(before.ratio).toBe(1);
    expect(after.ratio).toBe(1n);
    expect(valuesEqual(before.ratio!, after.ratio!)).toBe(false);
    expect(valuesEqual(before.scale!, after.scale!)).toBe(true);
    expect(doc('[1e3, 1E-2, -0.5]')).toEqual([1000, 0.01, -0.5]);
  });

  it('reads strings, booleans, null, nesting and empty containers', () => {
    expect(doc('{"s": "a\\"b\\u00e9", "t": true, "f": false, "n": null, "l": [], "m": {}}')).toEqual(
      createMap([['s', 'a"b\u00e9'], ['t', true], ['f', false], ['n', null], ['l', []], ['m', createMap()]]),
    );
    expect(doc('"top"')).toBe('top');
  });

  it('makes maps without a prototype, so __proto__ is a plain key', () => {
    const value = doc('{"__proto__": {"x": 1}}') as Record<string, Value>;
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.keys(value)).toEqual(['__proto__']);
  });

  it('B03: a repeated key is PARSE_DUPLICATE_KEY at the line of the repeat, and no document', () => {
    const result = parseJson('{"a": 1, "a": 2}');
    expect(result.document).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'PARSE_DUPLICATE_KEY', line: 1, column: 10, key: '/a' })]);
    const nested = parseJson('{\n  "db": {\n    "port": 1,\n    "port": 2\n  }\n}');
    expect(nested.problems).toEqual([expect.objectContaining({ code: 'PARSE_DUPLICATE_KEY', line: 4, key: '/db/port' })]);
  });

  it('does not mistake the same key in sibling objects for a duplicate', () => {
    expect(parseJson('[{"a": 1}, {"a": 2}]').problems).toEqual([]);
  });

  it('points at a key inside a list and escapes the pointer', () => {
    const result = parseJson('{"x/y": [{"k": 1, "k": 2}]}');
    expect(result.problems[0]).toMatchObject({ key: '/x~1y/0/k' });
  });

  it('B20: an empty file is a PARSE_ERROR for JSON', () => {
    const result = parseJson('');
    expect(result.document).toBeUndefined();
    expect(result.problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 1 });
  });

  it('reports syntax errors with line and column', () => {
    const result = parseJson('{\n  "a": 1\n  "b": 2\n}');
    expect(result.document).toBeUndefined();
    expect(result.problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 3, column: 3 });
  });

  it('is strict for JSON: comments and trailing commas are errors', () => {
    expect(parseJson('{"a": 1 // note\n}').problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 1 });
    expect(parseJson('{"a": 1,}').problems[0]).toMatchObject({ code: 'PARSE_ERROR' });
    expect(parseJson('[1, 2,]').problems[0]).toMatchObject({ code: 'PARSE_ERROR' });
    expect(parseJson('{"a": NaN}').problems[0]).toMatchObject({ code: 'PARSE_ERROR' });
    expect(parseJson('{"a": 1} x').problems[0]).toMatchObject({ code: 'PARSE_ERROR' });
  });

  it('is permissive for JSONC: comments and trailing commas are fine, empty text is null', () => {
    const text = '{\n  // compiler\n  "strict": true, /* yes */\n  "lib": ["es2023",],\n}\n';
    expect(parseJson(text, { jsonc: true })).toEqual({
      document: createMap([['strict', true], ['lib', ['es2023']]]),
      problems: [],
    });
    expect(parseJson('', { jsonc: true })).toEqual({ document: null, problems: [] });
    expect(parseJson('{"a": 1, "a": 2}', { jsonc: true }).problems[0]).toMatchObject({ code: 'PARSE_DUPLICATE_KEY' });
  });

  it('B34: a secret on a broken line never appears in a problem message', () => {
    for (const text of ['{"password": "fake-Pa55" "x": 1}', '{"password": fake-Pa55}', '{"password": "fake-Pa55', '{"password": "fake-Pa55", "password": "fake-Pa55"}']) {
      const { problems } = parseJson(text);
      expect(problems.length).toBeGreaterThan(0);
      for (const problem of problems) expect(problem.message).not.toContain('fake-Pa55');
    }
  });

  it('round-trips any value tree written as JSON text (property)', () => {
    const leaf = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.string(),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    const tree = fc.letrec<{ value: Value }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('value'), { maxLength: 4 }),
        fc.array(fc.tuple(fc.string(), tie('value')), { maxLength: 4 }).map((entries) => createMap(entries)),
      ),
    })).value;
    fc.assert(fc.property(tree, (value) => {
      const result = parseJson(toJsonText(value, 2));
      expect(result.problems).toEqual([]);
      expect(valuesEqual(result.document!, value)).toBe(true);
    }));
  });
});
