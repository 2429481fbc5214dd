import { describe, expect, it } from 'vitest';
import { createMap, Tagged, valuesEqual, type Value, type ValueMap } from '../../src/core/value.js';
import { parseYaml } from '../../src/formats/yaml.js';

const doc = (text: string): Value | undefined => parseYaml(text).document;
const map = (value: Value | undefined): ValueMap => value as ValueMap;

const BILLION_LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
].join('\n');

describe('parseYaml', () => {
  it('B01: YAML 1.1 booleans are strings under the 1.2 core schema', () => {
    expect(doc('langs:\n  - en\n  - no\non:\n  push: {}\n')).toEqual(
      createMap([['langs', ['en', 'no']], ['on', createMap([['push', createMap()]])]]),
    );
    expect(doc("langs: [en, 'no']\n")).toEqual(createMap([['langs', ['en', 'no']]]));
    expect(doc('[yes, off, y, true, false]')).toEqual(['yes', 'off', 'y', true, false]);
  });

  it('B03: a repeated key is PARSE_DUPLICATE_KEY at the line of the repeat', () => {
    const result = parseYaml('db:\n  port: 5432\n  host: h1\n  port: 6543\n');
    expect(result.document).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'PARSE_DUPLICATE_KEY', line: 4, column: 3, key: '/db/port' })]);
    expect(parseYaml('{a: 1, a: 2}').problems[0]).toMatchObject({ code: 'PARSE_DUPLICATE_KEY', line: 1 });
  });

  it('B04: merge keys are resolved, explicit keys win, and no key is named <<', () => {
    const value = map(doc('defaults: &d\n  retries: 3\n  timeout: 5\nsvc:\n  <<: *d\n  timeout: 9\n'));
    expect(value.svc).toEqual(createMap([['retries', 3n], ['timeout', 9n]]));
    expect(Object.keys(map(value.svc))).not.toContain('<<');
    const changed = map(doc('defaults: &d\n  retries: 4\n  timeout: 5\nsvc:\n  <<: *d\n  timeout: 9\n'));
    expect(map(changed.svc).retries).toBe(4n);
  });

  it('merges a list of maps, earlier maps winning over later ones', () => {
    const value = map(doc('a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n'));
    expect(value.c).toEqual(createMap([['x', 1n], ['y', 1n], ['z', 3n]]));
  });

  it('merges an inline map and keeps a quoted "<<" as a plain key', () => {
    expect(doc('a:\n  <<: {x: 1}\n  y: 2\n')).toEqual(createMap([['a', createMap([['x', 1n], ['y', 2n]])]]));
    expect(doc('"<<": 1\n')).toEqual(createMap([['<<', 1n]]));
  });

  it('reports a merge of something that is not a map', () => {
    expect(parseYaml('a:\n  <<: 5\n').problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 2 });
  });

  it('B04: an alias bomb is PARSE_ALIAS_LIMIT, quickly', () => {
    const result = parseYaml(BILLION_LAUGHS);
    expect(result.document).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'PARSE_ALIAS_LIMIT', line: expect.any(Number) })]);
  });

  it('allows ordinary alias use and honours maxAliasCount', () => {
    const text = 'base: &b {a: 1}\nx: *b\ny: *b\n';
    expect(map(doc(text)).y).toEqual(createMap([['a', 1n]]));
    expect(parseYaml(text, { maxAliasCount: 0 }).problems[0]).toMatchObject({ code: 'PARSE_ALIAS_LIMIT' });
    expect(parseYaml(BILLION_LAUGHS.split('\n').slice(0, 3).join('\n'), { maxAliasCount: -1 }).problems).toEqual([]);
  });

  it('gives each alias its own copy of the value', () => {
    const value = map(doc('a: &x {k: 1}\nb: *x\n'));
    expect(value.a).toEqual(value.b);
    expect(value.a).not.toBe(value.b);
  });

  it('uses the latest anchor of a name, and reports an alias with no anchor', () => {
    expect(doc('a: &x 1\nb: &x 2\nc: *x\n')).toEqual(createMap([['a', 1n], ['b', 2n], ['c', 2n]]));
    expect(parseYaml('a: *nope\n').problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 1, key: '/a' });
  });

  it('reports an alias inside its own anchored value instead of looping', () => {
    expect(parseYaml('a: &a [1, *a]\n').problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 1 });
  });

  it('B05: every document of a stream counts, an empty one as null', () => {
    const text = 'kind: A\nv: 1\n---\n---\nkind: B\nv: 2\n---\nkind: C\nv: 3\n';
    expect(doc(text)).toEqual([
      createMap([['kind', 'A'], ['v', 1n]]),
      null,
      createMap([['kind', 'B'], ['v', 2n]]),
      createMap([['kind', 'C'], ['v', 3n]]),
    ]);
    expect(doc('kind: A\n---\n---\nkind: B\n')).toEqual([createMap([['kind', 'A']]), null, createMap([['kind', 'B']])]);
    expect(doc('---\na: 1\n')).toEqual(createMap([['a', 1n]]));
  });

  it('puts the document index in the key of a problem in a stream', () => {
    const result = parseYaml('a: 1\n---\nb: 1\nb: 2\n');
    expect(result.problems[0]).toMatchObject({ code: 'PARSE_DUPLICATE_KEY', line: 4, key: '/1/b' });
  });

  it('B07: a block scalar keeps its value', () => {
    expect(doc('note: |\n  x\n  y\n')).toEqual(createMap([['note', 'x\ny\n']]));
  });

  it('B09: 1.0 is a float, 1 an integer, 2.50 equals 2.5; all integers are bigint', () => {
    const before = map(doc('ratio: 1.0\nscale: 2.50\n'));
    const after = map(doc('ratio: 1\nscale: 2.5\n'));
    expect(before.ratio).toBe(1);
    expect(after.ratio).toBe(1n);
    expect(valuesEqual(before.scale!, after.scale!)).toBe(true);
    expect(doc('[0x1F, 0o17, 12345678901234567890, .inf, -.inf, 1e3]')).toEqual([31n, 15n, 12345678901234567890n, Infinity, -Infinity, 1000]);
    expect(Number.isNaN((doc('[.nan]') as Value[])[0])).toBe(true);
  });

  it('B13: null, [] and a missing key are different', () => {
    expect(doc('groups: null\nusers: []\n')).toEqual(createMap([['groups', null], ['users', []]]));
    expect(doc('groups: []\n')).toEqual(createMap([['groups', []]]));
    expect(doc('a:\nb: ~\n')).toEqual(createMap([['a', null], ['b', null]]));
  });

  it('B20: an empty file, or one with only comments, is null', () => {
    expect(parseYaml('')).toEqual({ document: null, problems: [] });
    expect(parseYaml('# nothing here\n')).toEqual({ document: null, problems: [] });
  });

  it('keeps custom tags as data on scalars, maps and sequences', () => {
    const value = map(doc('a: !Ref x\nb: !GetAtt a.b\nc: !Sub {s: "${x}"}\nd: !GetAZs [1, 2]\n'));
    expect(value.a).toEqual(new Tagged('!Ref', 'x'));
    expect(value.b).toEqual(new Tagged('!GetAtt', 'a.b'));
    expect(value.c).toEqual(new Tagged('!Sub', createMap([['s', '${x}']])));
    expect(value.d).toEqual(new Tagged('!GetAZs', [1n, 2n]));
    expect(valuesEqual(value.a!, new Tagged('!Ref', 'y'))).toBe(false);
  });

  it('resolves standard tags without keeping them', () => {
    expect(doc('a: !!str 1\nb: !!int "7"\nc: ! 12\n')).toEqual(createMap([['a', '1'], ['b', 7n], ['c', '12']]));
  });

  it('turns non-string keys into their string form', () => {
    expect(doc('1: a\ntrue: b\nnull: c\n1.5: d\n')).toEqual(
      createMap([['1', 'a'], ['true', 'b'], ['null', 'c'], ['1.5', 'd']]),
    );
    expect(doc('? [1, 2]\n: e\n')).toEqual(createMap([['[1,2]', 'e']]));
  });

  it('reports syntax errors with line and column, and no document', () => {
    const result = parseYaml('db:\n  password: 918273645\n  port: [oops\n');
    expect(result.document).toBeUndefined();
    expect(result.problems[0]).toMatchObject({ code: 'PARSE_ERROR' });
    expect(result.problems[0]!.line).toBeGreaterThanOrEqual(3);
    expect(parseYaml('a: 1\n- b\n').problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 2, column: 1 });
    expect(parseYaml('a: "x\n').problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: expect.any(Number) });
  });

  it('B34: a secret on a broken line never appears in a problem message', () => {
    const texts = [
      'db:\n  password: 918273645\n  port: [oops\n',
      'password: "fake-Pa55\n',
      'password: fake-Pa55: x\n',
      "password: 'fake-Pa55\n",
      'password: fake-Pa55\npassword: fake-Pa55\n',
      '\tpassword: fake-Pa55\n',
    ];
    for (const text of texts) {
      const { problems } = parseYaml(text);
      expect(problems.length, text).toBeGreaterThan(0);
      for (const problem of problems) {
        expect(problem.message).not.toContain('fake-Pa55');
        expect(problem.message).not.toContain('918273645');
      }
    }
  });
});
