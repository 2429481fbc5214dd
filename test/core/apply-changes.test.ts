import { describe, expect, test } from 'vitest';
import { applyChanges } from '../../src/core/apply-changes.js';
import { diffValues } from '../../src/core/diff-values.js';
import { selectChanges } from '../../src/core/select-changes.js';
import { createMap, Tagged, valuesEqual, type Value, type ValueMap } from '../../src/core/value.js';
import { DriftError } from '../../src/errors.js';

const m = (entries: Record<string, Value>): ValueMap => createMap(Object.entries(entries));

describe('applyChanges', () => {
  test('gives back after for map, list, and tagged changes', () => {
    const before = m({ a: 1n, list: ['x', 'y', 'z'], t: new Tagged('!Ref', m({ k: 1n })), gone: true });
    const after = m({ a: 1.0, list: ['w', 'x', 'z', 'q'], t: new Tagged('!Ref', m({ k: 2n })), new: null });
    const result = applyChanges(before, diffValues(before, after));
    expect(valuesEqual(result, after)).toBe(true);
    expect(Object.getPrototypeOf(result)).toBe(null);
  });

  test('does not touch before', () => {
    const before = m({ list: ['a', 'b'], map: m({ k: 1n }) });
    const copy = structuredClone(before);
    applyChanges(before, diffValues(before, m({ list: ['b'], map: m({ k: 2n }) })));
    expect(before).toEqual(copy);
  });

  test('removals at old indices and additions at new ones, in one list', () => {
    const changes = diffValues(['a', 'b', 'c', 'd', 'e'], ['b', 'X', 'd', 'e', 'f']);
    expect(applyChanges(['a', 'b', 'c', 'd', 'e'], changes)).toEqual(['b', 'X', 'd', 'e', 'f']);
  });

  test('a nested change inside a list element is applied at its new index', () => {
    const before = [m({ n: 'a' }), m({ n: 'b', port: 1n })];
    const after = [m({ n: 'new' }), m({ n: 'a' }), m({ n: 'b', port: 2n })];
    expect(valuesEqual(applyChanges(before, diffValues(before, after)), after)).toBe(true);
  });

  test('a removal below a moved element is found by its old index', () => {
    const before = [m({ name: 'db', tls: true })];
    const changes = diffValues(before, [m({ name: 'web' }), m({ name: 'db' })]);
    expect(changes.map((change) => change.path)).toEqual([[0], [0, 'tls']]);
    expect(applyChanges(before, changes)).toEqual([m({ name: 'web' }), m({ name: 'db' })]);
  });

  test('segments may be strings, as parsed from a JSON Pointer', () => {
    expect(applyChanges(['a', 'b'], [{ kind: 'modified', path: ['1'], before: 'b', after: 'c' }])).toEqual(['a', 'c']);
  });

  test('a change that does not fit the document is a DriftError INTERNAL with the pointer', () => {
    const attempt = () => applyChanges(m({ a: 1n }), [{ kind: 'modified', path: ['a', 'b'], before: 1n, after: 2n }]);
    expect(attempt).toThrow(DriftError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'INTERNAL', key: '/a/b' }));
    const outOfRange = () => applyChanges(['a'], [{ kind: 'removed', path: [3], before: 'x' }]);
    expect(outOfRange).toThrow(expect.objectContaining({ code: 'INTERNAL', key: '/3' }));
  });
});

describe('selectChanges', () => {
  const before = m({
    tls: m({ enabled: false, version: '1.2' }),
    servers: [m({ name: 'web', port: 80n }), m({ name: 'db', port: 5432n })],
    owner: 'ann',
  });
  const after = m({
    tls: m({ enabled: true, version: '1.3' }),
    servers: [m({ name: 'cache' }), m({ name: 'web', port: 80n }), m({ name: 'db', port: 6432n })],
    owner: 'bob',
  });
  const changes = diffValues(before, after);

  test('all changes under one map key path: before with that subtree taken from after', () => {
    const accepted = applyChanges(before, selectChanges(before, changes, ['tls']));
    expect(valuesEqual(accepted, m({ ...before, tls: after.tls! }))).toBe(true);
  });

  test('a path into a list widens to the whole list, since its indices move', () => {
    const picked = selectChanges(before, changes, ['servers', 2, 'port']);
    expect(picked.map((change) => change.path)).toEqual([['servers', 0], ['servers', 2, 'port']]);
    const accepted = applyChanges(before, picked) as ValueMap;
    expect(valuesEqual(accepted.servers!, after.servers!)).toBe(true);
    expect(accepted.owner).toBe('ann');
  });

  test('a path below a value replaced whole takes the whole replacement', () => {
    const b = m({ a: 'scalar' });
    const a = m({ a: m({ b: 1n }) });
    expect(selectChanges(b, diffValues(b, a), ['a', 'b'])).toEqual([{ kind: 'modified', path: ['a'], before: 'scalar', after: m({ b: 1n }) }]);
  });
});
