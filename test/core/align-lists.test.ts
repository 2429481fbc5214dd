import { describe, expect, test } from 'vitest';
import { alignLists } from '../../src/core/align-lists.js';
import { diffValues } from '../../src/core/diff-values.js';
import { pairHunk } from '../../src/core/pair-hunk.js';
import { createMap, Secret } from '../../src/core/value.js';

describe('alignLists', () => {
  test('equal lists have no hunks; a pure insertion or deletion is one hunk', () => {
    expect(alignLists(['a', 'b'], ['a', 'b'])).toEqual([]);
    expect(alignLists(['a', 'b'], ['a', 'x', 'b'])).toEqual([{ oldStart: 1, oldEnd: 1, newStart: 1, newEnd: 2 }]);
    expect(alignLists(['a', 'b', 'c'], ['a', 'c'])).toEqual([{ oldStart: 1, oldEnd: 2, newStart: 1, newEnd: 1 }]);
  });

  test('maps align by value whatever their key order, and secrets by fingerprint', () => {
    const a = createMap([['x', 1n], ['y', 2n]]);
    const b = createMap([['y', 2n], ['x', 1n]]);
    expect(alignLists(['n', a, new Secret('f', '***')], [b, new Secret('f', 'shown')])).toEqual([
      { oldStart: 0, oldEnd: 1, newStart: 0, newEnd: 0 },
    ]);
  });

  test('integer 1 and float 1 do not align', () => {
    expect(alignLists([1n, 'a'], [1, 'a'])).toEqual([{ oldStart: 0, oldEnd: 1, newStart: 0, newEnd: 1 }]);
  });

  test('scattered edits in a long list come back as separate hunks', () => {
    const before = Array.from({ length: 10_000 }, (_, i) => `line ${i}`);
    const after = before.slice();
    after[10] = 'changed';
    after.splice(5000, 0, 'inserted');
    expect(alignLists(before, after)).toEqual([
      { oldStart: 10, oldEnd: 11, newStart: 10, newEnd: 11 },
      { oldStart: 5000, oldEnd: 5000, newStart: 5000, newEnd: 5001 },
    ]);
  });

  test('past maxEditLength the trimmed middle is one hunk, compared by position', () => {
    const before = ['head', 'a', 'b', 'c', 'd', 'tail'];
    const after = ['head', 'x', 'a', 'b', 'c', 'y', 'tail'];
    expect(alignLists(before, after, { maxEditLength: 2 })).toEqual([{ oldStart: 1, oldEnd: 5, newStart: 1, newEnd: 6 }]);
    expect(alignLists(before, after, { maxEditLength: 3 })).toHaveLength(2);
  });

  test('two unrelated long lists fall back to positions: one modified per line, no cascade of inserts', () => {
    const before = Array.from({ length: 20_000 }, (_, i) => `a${i}`);
    const after = Array.from({ length: 20_000 }, (_, i) => `b${i}`);
    const changes = diffValues(before, after);
    expect(changes).toHaveLength(20_000);
    expect(changes.every((change) => change.kind === 'modified')).toBe(true);
  });
});

describe('pairHunk', () => {
  test('equal counts pair by position', () => {
    expect(pairHunk(['a', 'b'], ['x', 'y'], { oldStart: 0, oldEnd: 2, newStart: 0, newEnd: 2 })).toEqual([
      { kind: 'pair', oldIndex: 0, newIndex: 0 },
      { kind: 'pair', oldIndex: 1, newIndex: 1 },
    ]);
  });

  test('more new than old: the new map most like the old one gets the pair', () => {
    const old = createMap([['name', 'db'], ['port', 1n]]);
    const fresh = createMap([['name', 'web']]);
    const changed = createMap([['name', 'db'], ['port', 2n]]);
    expect(pairHunk([old], [fresh, changed], { oldStart: 0, oldEnd: 1, newStart: 0, newEnd: 2 })).toEqual([
      { kind: 'add', newIndex: 0 },
      { kind: 'pair', oldIndex: 0, newIndex: 1 },
    ]);
  });

  test('a map prefers a map over a string of the same hunk', () => {
    const map = createMap([['k', 1n]]);
    expect(pairHunk(['s', map], [createMap([['k', 2n]])], { oldStart: 0, oldEnd: 2, newStart: 0, newEnd: 1 })).toEqual([
      { kind: 'remove', oldIndex: 0 },
      { kind: 'pair', oldIndex: 1, newIndex: 0 },
    ]);
  });
});
