import { describe, expect, test } from 'vitest';
import { diffValues } from '../../src/core/diff-values.js';
import { createMap, DateTime, Secret, Tagged, type Value } from '../../src/core/value.js';

/** A null-prototype map from a plain object literal, recursively (arrays kept as lists). */
function m(entries: Record<string, Value | Record<string, unknown>>): Value {
  return createMap(Object.entries(entries).map(([key, value]) => [key, toValue(value)]));
}
function toValue(value: unknown): Value {
  if (Array.isArray(value)) return value.map(toValue);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return m(value as Record<string, Value>);
  }
  return value as Value;
}

describe('diffValues: maps', () => {
  test('equal trees have no changes', () => {
    expect(diffValues(m({ a: 1n, b: [m({ c: 'x' })] }), m({ b: [m({ c: 'x' })], a: 1n }))).toEqual([]);
  });

  test('a key only in after is one added, only in before one removed, sorted by key', () => {
    expect(diffValues(m({ b: 1n, z: m({ deep: true }) }), m({ a: m({ deep: true }), b: 1n }))).toEqual([
      { kind: 'added', path: ['a'], after: m({ deep: true }) },
      { kind: 'removed', path: ['z'], before: m({ deep: true }) },
    ]);
  });

  test('keys in both are compared recursively, down to the leaf that differs', () => {
    expect(diffValues(m({ db: m({ host: 'a', port: 5432n }) }), m({ db: m({ host: 'a', port: 5433n }) }))).toEqual([
      { kind: 'modified', path: ['db', 'port'], before: 5432n, after: 5433n },
    ]);
  });

  test('a __proto__ key is data', () => {
    const before = createMap([['__proto__', 1n]]);
    expect(diffValues(before, createMap())).toEqual([{ kind: 'removed', path: ['__proto__'], before: 1n }]);
  });
});

describe('diffValues: kinds', () => {
  test('B09 regression: float 1.0 vs integer 1 is a modification', () => {
    expect(diffValues(m({ v: 1 }), m({ v: 1n }))).toEqual([{ kind: 'modified', path: ['v'], before: 1, after: 1n }]);
  });

  test('B13 regression: groups null -> [] is one modified, a vanished users key one removed', () => {
    const before = m({ groups: null, users: ['ann'] });
    expect(diffValues(before, m({ groups: [] }))).toEqual([
      { kind: 'modified', path: ['groups'], before: null, after: [] },
      { kind: 'removed', path: ['users'], before: ['ann'] },
    ]);
  });

  test('a map turned into a list is one modified at that node, no recursion', () => {
    const changes = diffValues(m({ a: m({ x: 1n }) }), m({ a: [1n] }));
    expect(changes).toEqual([{ kind: 'modified', path: ['a'], before: m({ x: 1n }), after: [1n] }]);
  });

  test('a string vs an integer, and a change of the whole document', () => {
    expect(diffValues('1', 1n)).toEqual([{ kind: 'modified', path: [], before: '1', after: 1n }]);
  });

  test('floats compare by value: 2.50 and 2.5 are one, NaN equals NaN', () => {
    expect(diffValues([2.5, Number.NaN], [2.5, Number.NaN])).toEqual([]);
  });

  test('same tag over two maps recurses at the same path; a different tag is modified', () => {
    expect(diffValues(m({ r: new Tagged('!Ref', m({ a: 1n })) }), m({ r: new Tagged('!Ref', m({ a: 2n })) }))).toEqual([
      { kind: 'modified', path: ['r', 'a'], before: 1n, after: 2n },
    ]);
    const [before, after] = [new Tagged('!Ref', 'x'), new Tagged('!Sub', 'x')];
    expect(diffValues(before, after)).toEqual([{ kind: 'modified', path: [], before, after }]);
  });

  test('same tag over two scalars is modified whole, so the change keeps its tag', () => {
    const [before, after] = [m({ r: new Tagged('!Ref', 'web') }), m({ r: new Tagged('!Ref', 'db') })];
    expect(diffValues(before, after)).toEqual([
      { kind: 'modified', path: ['r'], before: new Tagged('!Ref', 'web'), after: new Tagged('!Ref', 'db') },
    ]);
  });

  test('secrets compare by fingerprint only; date-times by kind and text', () => {
    expect(diffValues(new Secret('f1', '***'), new Secret('f1', 'p://u:***@h'))).toEqual([]);
    expect(diffValues(new Secret('f1'), new Secret('f2'))).toHaveLength(1);
    expect(diffValues(new DateTime('local-date', '2024-01-01'), new DateTime('local-date', '2024-01-01'))).toEqual([]);
    expect(diffValues(new DateTime('local-date', '2024-01-01'), new DateTime('local-datetime', '2024-01-01'))).toHaveLength(1);
  });
});

describe('diffValues: lists', () => {
  test('B12 regression: inserting a subject at the head is exactly one added at /subjects/0', () => {
    const before = m({ subjects: [m({ kind: 'Group', name: 'ops' }), m({ kind: 'User', name: 'dev1' })] });
    const dev2 = m({ kind: 'User', name: 'dev2' });
    const after = m({ subjects: [dev2, m({ kind: 'Group', name: 'ops' }), m({ kind: 'User', name: 'dev1' })] });
    expect(diffValues(before, after)).toEqual([{ kind: 'added', path: ['subjects', 0], after: dev2 }]);
  });

  test('B16 regression: a list of two maps losing its second is one removed at index 1', () => {
    const second = m({ name: 'b', port: 2n });
    expect(diffValues([m({ name: 'a', port: 1n }), second], [m({ name: 'a', port: 1n })])).toEqual([
      { kind: 'removed', path: [1], before: second },
    ]);
  });

  test('a changed line of a text file is one modified at its position', () => {
    expect(diffValues(['a', 'b', 'c'], ['a', 'B', 'c'])).toEqual([{ kind: 'modified', path: [1], before: 'b', after: 'B' }]);
  });

  test('a map replaced in place is reported at the deepest path', () => {
    const before = m({ servers: [m({ name: 'web', port: 80n }), m({ name: 'db', port: 5432n })] });
    const after = m({ servers: [m({ name: 'web', port: 80n }), m({ name: 'db', port: 6432n })] });
    expect(diffValues(before, after)).toEqual([{ kind: 'modified', path: ['servers', 1, 'port'], before: 5432n, after: 6432n }]);
  });

  test('removed paths use old indices; added and modified use new ones', () => {
    expect(diffValues(['a', 'b', 'c', 'd'], ['b', 'c', 'x', 'd', 'e'])).toEqual([
      { kind: 'removed', path: [0], before: 'a' },
      { kind: 'added', path: [2], after: 'x' },
      { kind: 'added', path: [4], after: 'e' },
    ]);
  });

  test('a hunk of two removed and one added pairs the most similar map, the other is removed', () => {
    const before = [m({ name: 'web', port: 80n }), m({ name: 'db', port: 5432n }), m({ name: 'cache' })];
    const after = [m({ name: 'db', port: 6432n }), m({ name: 'cache' })];
    expect(diffValues(before, after)).toEqual([
      { kind: 'removed', path: [0], before: m({ name: 'web', port: 80n }) },
      { kind: 'modified', path: [0, 'port'], before: 5432n, after: 6432n },
    ]);
  });

  test('text lines in an uneven hunk pair from the head; the tail is added', () => {
    expect(diffValues(['a', 'b', 'z'], ['a', 'x', 'y', 'z'])).toEqual([
      { kind: 'modified', path: [1], before: 'b', after: 'x' },
      { kind: 'added', path: [2], after: 'y' },
    ]);
  });

  test('a key removed inside a list element that moved uses the old index; a modified one the new', () => {
    const before = [m({ name: 'db', tls: true, port: 1n })];
    const after = [m({ name: 'web' }), m({ name: 'db', port: 2n })];
    expect(diffValues(before, after)).toEqual([
      { kind: 'added', path: [0], after: m({ name: 'web' }) },
      { kind: 'modified', path: [1, 'port'], before: 1n, after: 2n },
      { kind: 'removed', path: [0, 'tls'], before: true },
    ]);
  });

  test('nested lists recurse, and integer vs float list items differ', () => {
    expect(diffValues([[1n, 2n]], [[1n, 2]])).toEqual([{ kind: 'modified', path: [0, 1], before: 2n, after: 2 }]);
  });

  test('a repeated element moving is one removed and one added', () => {
    expect(diffValues(['a', 'b', 'c'], ['b', 'c', 'a'])).toEqual([
      { kind: 'removed', path: [0], before: 'a' },
      { kind: 'added', path: [2], after: 'a' },
    ]);
  });
});
