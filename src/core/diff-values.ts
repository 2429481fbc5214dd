/**
 * The structural diff of two value trees.
 *
 * Hand-written because no library does the three things drift reports need at once:
 * align lists (an insertion at the head of a list of maps is one `added`, not a cascade
 * of modifications), recurse into an element replaced in place (`/servers/1/port`, not the
 * whole server), and tell integer from float (`1.0 -> 1` is a change). microdiff, deep-diff
 * and jsondiffpatch compare lists by position or by JS equality; jsdiff aligns but does not
 * recurse. So jsdiff does the alignment (align-lists.ts) and this file the rest.
 */
import { alignLists } from './align-lists.js';
import type { ValueChange } from './change.js';
import { pairHunk } from './pair-hunk.js';
import type { Segment } from './pointer.js';
import { Tagged, valueKind, valuesEqual, type Value, type ValueMap } from './value.js';

/**
 * Every difference between two values, in a deterministic order: map keys sorted by code
 * unit, list changes by position, depth first.
 *
 * - a map key only in `after` is one `added`, only in `before` one `removed`;
 * - values of different kinds (map vs list, `1n` vs `1.0`, null vs `[]`) are one `modified`;
 * - lists are aligned first; an element replaced in place recurses when both sides are maps,
 *   lists or same-tag values (see pairHunk for how replacements are paired);
 * - `removed` paths use the old list's indices, `added` and `modified` the new list's.
 *
 * @example
 * diffValues(createMap([['port', 80n]]), createMap([['port', 8080n], ['tls', true]]))
 * // [{ kind: 'modified', path: ['port'], before: 80n, after: 8080n },
 * //  { kind: 'added', path: ['tls'], after: true }]
 */
export function diffValues(before: Value, after: Value): ValueChange[] {
  const changes: ValueChange[] = [];
  diffInto(before, after, [], changes);
  return changes;
}

function diffInto(before: Value, after: Value, path: Segment[], out: ValueChange[]): void {
  if (before === after) return;
  const kind = valueKind(before);
  if (kind !== valueKind(after)) {
    out.push({ kind: 'modified', path, before, after });
    return;
  }
  switch (kind) {
    case 'map': return diffMaps(before as ValueMap, after as ValueMap, path, out);
    case 'list': return diffLists(before as Value[], after as Value[], path, out);
    case 'tagged': {
      const [b, a] = [before as Tagged, after as Tagged];
      // A tag is a wrapper without a path segment of its own: same tag, look inside at the same path.
      if (b.tag === a.tag) return diffInto(b.value, a.value, path, out);
      break;
    }
    default:
      if (valuesEqual(before, after)) return;
  }
  out.push({ kind: 'modified', path, before, after });
}

function diffMaps(before: ValueMap, after: ValueMap, path: Segment[], out: ValueChange[]): void {
  // Only keys that may differ are sorted: equal scalars (most of a big map) are skipped first.
  const keys: string[] = [];
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key) || before[key] !== after[key]) keys.push(key);
  for (const key of Object.keys(after)) if (!Object.hasOwn(before, key)) keys.push(key);
  keys.sort();
  for (const key of keys) {
    const sub = [...path, key];
    if (!Object.hasOwn(after, key)) out.push({ kind: 'removed', path: sub, before: before[key]! });
    else if (!Object.hasOwn(before, key)) out.push({ kind: 'added', path: sub, after: after[key]! });
    else diffInto(before[key]!, after[key]!, sub, out);
  }
}

function diffLists(before: Value[], after: Value[], path: Segment[], out: ValueChange[]): void {
  for (const hunk of alignLists(before, after)) {
    for (const step of pairHunk(before, after, hunk)) {
      if (step.kind === 'remove') out.push({ kind: 'removed', path: [...path, step.oldIndex], before: before[step.oldIndex]! });
      else if (step.kind === 'add') out.push({ kind: 'added', path: [...path, step.newIndex], after: after[step.newIndex]! });
      else diffInto(before[step.oldIndex]!, after[step.newIndex]!, [...path, step.newIndex], out);
    }
  }
}
