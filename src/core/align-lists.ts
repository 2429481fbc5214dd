import { diffArrays } from 'diff';
import { equalityKey } from './equality-key.js';
import { valuesEqual, type Value } from './value.js';

/**
 * A run of a list that differs: old elements [oldStart, oldEnd) were replaced by
 * new elements [newStart, newEnd). Either side may be empty. Everything between
 * two hunks is equal, element for element.
 */
export interface ListHunk {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

export interface AlignOptions {
  /** Most insertions plus deletions the edit search may try before giving up. Default 1000. */
  maxEditLength?: number;
}

// The search costs about D^2 steps for an edit distance D: 1000 bounds the worst case (two
// shuffled 20k-line lists) near 60 ms, and still aligns 500 scattered line changes.
const DEFAULT_MAX_EDIT_LENGTH = 1000;

/**
 * Aligns two lists (Myers, via jsdiff's `diffArrays`) and returns the runs that differ.
 *
 * A common head and tail are trimmed first, so a big file with a few changed lines costs
 * little. When the edit search passes `maxEditLength`, everything between the common head
 * and tail comes back as one hunk, to be compared position by position.
 *
 * @example
 * alignLists(['a', 'b'], ['x', 'a', 'b']) // [{ oldStart: 0, oldEnd: 0, newStart: 0, newEnd: 1 }]
 */
export function alignLists(before: readonly Value[], after: readonly Value[], options: AlignOptions = {}): ListHunk[] {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && valuesEqual(before[start]!, after[start]!)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && valuesEqual(before[oldEnd - 1]!, after[newEnd - 1]!)) {
    oldEnd--;
    newEnd--;
  }
  const middle: ListHunk = { oldStart: start, oldEnd, newStart: start, newEnd };
  if (oldEnd === start && newEnd === start) return [];
  if (oldEnd === start || newEnd === start) return [middle];

  const { oldIds, newIds, count } = internAll(before.slice(start, oldEnd), after.slice(start, newEnd));
  const maxEditLength = options.maxEditLength ?? DEFAULT_MAX_EDIT_LENGTH;
  if (minEditLength(oldIds, newIds, count) > maxEditLength) return [middle];
  const parts = diffArrays(oldIds, newIds, { maxEditLength });
  if (!parts) return [middle];

  const hunks: ListHunk[] = [];
  let oldPos = start;
  let newPos = start;
  let open: ListHunk | undefined;
  for (const part of parts) {
    if (!part.added && !part.removed) {
      if (open) hunks.push(open);
      open = undefined;
      oldPos += part.count;
      newPos += part.count;
      continue;
    }
    open ??= { oldStart: oldPos, oldEnd: oldPos, newStart: newPos, newEnd: newPos };
    if (part.removed) open.oldEnd = oldPos += part.count;
    else open.newEnd = newPos += part.count;
  }
  if (open) hunks.push(open);
  return hunks;
}

/**
 * A lower bound on insertions plus deletions: only elements present on both sides can be kept.
 * Two unrelated lists are thus known to exceed the cap without running the search at all.
 */
function minEditLength(oldIds: readonly number[], newIds: readonly number[], idCount: number): number {
  const unmatched = new Int32Array(idCount);
  for (const id of oldIds) unmatched[id]!++;
  let common = 0;
  for (const id of newIds) {
    if (unmatched[id]! > 0) {
      unmatched[id]!--;
      common++;
    }
  }
  return oldIds.length + newIds.length - 2 * common;
}

/** Small integer ids, equal exactly when the values are equal, so Myers compares with `===`. */
function internAll(olds: readonly Value[], news: readonly Value[]): { oldIds: number[]; newIds: number[]; count: number } {
  // Map keys compare by SameValueZero: 1n and 1 stay apart, NaN meets NaN, as in valuesEqual.
  const scalars = new Map<unknown, number>();
  const composites = new Map<string, number>();
  let count = 0;
  const idOf = (value: Value): number => {
    const scalar = value === null || typeof value !== 'object';
    const table: Map<unknown, number> = scalar ? scalars : composites;
    const key = scalar ? value : equalityKey(value);
    let id = table.get(key);
    if (id === undefined) table.set(key, (id = count++));
    return id;
  };
  return { oldIds: olds.map(idOf), newIds: news.map(idOf), count };
}
