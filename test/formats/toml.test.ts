import { describe, expect, it } from 'vitest';
import { createMap, DateTime, valuesEqual, type Value, type ValueMap } from '../../src/core/value.js';
import { parseToml } from '../../src/formats/toml.js';

const doc = (text: string): ValueMap => parseToml(text).document as ValueMap;

describe('parseToml', () => {
  it('B09: 1.0 is a float and 1 an integer; 2.50 equals 2.5', () => {
    const before = doc('ratio = 1.0\nscale = 2.50\n');
    const after = doc('ratio = 1\nscale = 2.5\n');
    expect(before.ratio).toBe(1);
    expect(after.ratio).toBe(1n);
    expect(valuesEqual(before.ratio!, after.ratio!)).toBe(false);
    expect(valuesEqual(before.scale!, after.scale!)).toBe(true);
  });

  it('makes every integer a bigint, small or large, and keeps every digit', () => {
    expect(doc('a = 1\nb = -7\nc = 0x1F\nd = 9007199254740993\ne = 9_223_372_036_854_775_807\n')).toEqual(
      createMap([['a', 1n], ['b', -7n], ['c', 31n], ['d', 9007199254740993n], ['e', 9223372036854775807n]]),
    );
    expect(doc('list = [1, 2]\n[[t]]\nx = 3\n')).toEqual(createMap([['list', [1n, 2n]], ['t', [createMap([['x', 3n]])]]]));
  });

  it('reads inf and nan as floats', () => {
    const value = doc('a = inf\nb = -inf\nc = nan\n');
    expect(value.a).toBe(Infinity);
    expect(value.b).toBe(-Infinity);
    expect(Number.isNaN(value.c)).toBe(true);
  });

  it('keeps dates and times in their own kind, local ones local', () => {
    const value = doc([
      'odt = 1979-05-27T07:32:00Z',
      'odt2 = 1979-05-27T00:32:00.5-07:00',
      'ldt = 1979-05-27T07:32:00',
      'ld = 1979-05-27',
      'lt = 07:32:00',
    ].join('\n'));
    expect(value.odt).toEqual(new DateTime('offset-datetime', '1979-05-27T07:32:00Z'));
    expect(value.odt2).toEqual(new DateTime('offset-datetime', '1979-05-27T00:32:00.500-07:00'));
    expect(value.ldt).toEqual(new DateTime('local-datetime', '1979-05-27T07:32:00'));
    expect(value.ld).toEqual(new DateTime('local-date', '1979-05-27'));
    expect(value.lt).toEqual(new DateTime('local-time', '07:32:00'));
  });

  it('reads one instant written two ways as one value, and a local time as different from an offset one', () => {
    expect(valuesEqual(doc('t = 1979-05-27T07:32:00Z').t!, doc('t = 1979-05-27 07:32:00Z').t!)).toBe(true);
    expect(valuesEqual(doc('t = 1979-05-27T07:32:00Z').t!, doc('t = 1979-05-27T07:32:00').t!)).toBe(false);
  });

  it('builds maps without a prototype', () => {
    const value = doc('[server]\nhost = "a"\n');
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.getPrototypeOf(value.server as object)).toBeNull();
  });

  it('reports syntax errors with line and column, and no document', () => {
    const result = parseToml('a = 1\nb = [1,\nc = 2\n');
    expect(result.document).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'PARSE_ERROR', line: 3, column: 1 })]);
  });

  it('reports a key or table defined twice as PARSE_DUPLICATE_KEY with its line', () => {
    expect(parseToml('a = 1\na = 2\n').problems[0]).toMatchObject({ code: 'PARSE_DUPLICATE_KEY', line: 2 });
    expect(parseToml('[a]\nb = 1\n[a]\n').problems[0]).toMatchObject({ code: 'PARSE_DUPLICATE_KEY', line: 3 });
  });

  it('B34: a secret on a broken line never appears in a problem message', () => {
    for (const text of ['password = "fake-Pa55\n', 'password = fake-Pa55\n', 'password = "fake-Pa55" x\n', 'password = "fake-Pa55"\npassword = "fake-Pa55"\n']) {
      const { problems } = parseToml(text);
      expect(problems.length, text).toBeGreaterThan(0);
      for (const problem of problems) expect(problem.message).not.toContain('fake-Pa55');
    }
  });

  it('an empty file is an empty table', () => {
    expect(parseToml('')).toEqual({ document: createMap(), problems: [] });
    expect(parseToml('# only a comment\n').document as Value).toEqual(createMap());
  });
});
