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
import { pairHunk, type HunkStep } from './pair-hunk.js';
import type { Segment } from './pointer.js';
import { pairByIdentity } from './rules/pair-by-identity.js';
import { Tagged, valueKind, valuesEqual, type Value, type ValueMap } from './value.js';

/**
 * The key fields that identify the items of a list, given the list's path in the NEW document
 * (new list indices; a tag adds no segment); undefined to align the list as usual.
 */
export type ListIdentity = (path: readonly Segment[]) => readonly string[] | undefined;

export interface DiffOptions {
  /**
   * Lists whose items are identified by key fields (see pairByIdentity): a reorder is no change,
   * and a change inside an item is reported at the item's new index (a removed item at its old
   * one), wherever it moved. Default: every list is aligned by position.
   */
  listIdentity?: ListIdentity | undefined;
}

/**
 * Every difference between two values, in a deterministic order: map keys sorted by code
 * unit, list changes by position, depth first.
 *
 * - a map key only in `after` is one `added`, only in `before` one `removed`;
 * - values of different kinds (map vs list, `1n` vs `1.0`, null vs `[]`) are one `modified`;
 * - lists are aligned first; an element replaced in place recurses when both sides are maps,
 *   lists (see pairHunk for how replacements are paired);
 * - a tagged value (`!Ref {...}`) is compared inside when both have the same tag and hold two
 *   maps or two lists; any other difference is one `modified` of the whole tagged value;
 * - every path points into the document that holds the change's value: list indices in a
 *   `removed` path are the old list's (all of them, also above a key removed inside a moved
 *   element), in `added` and `modified` paths the new list's.
 * - with `options.listIdentity`, identified lists pair items by key instead of by position.
 *   Such a diff says what changed, not how to rebuild `after`: a reorder is no change, so
 *   never give it to applyChanges or selectChanges.
 *
 * @example
 * diffValues(createMap([['port', 80n]]), createMap([['port', 8080n], ['tls', true]]))
 * // [{ kind: 'modified', path: ['port'], before: 80n, after: 8080n },
 * //  { kind: 'added', path: ['tls'], after: true }]
 */
export function diffValues(before: Value, after: Value, options: DiffOptions = {}): ValueChange[] {
  const changes: ValueChange[] = [];
  diffInto(before, after, { old: [], new: [] }, { out: changes, listIdentity: options.listIdentity });
  return changes;
}

// A place in both documents: list indices differ between them once elements come or go.
interface Place {
  old: Segment[];
  new: Segment[];
}

// What every step of one diff shares: where changes go, and how lists are paired.
interface Run {
  out: ValueChange[];
  listIdentity: ListIdentity | undefined;
}

function diffInto(before: Value, after: Value, at: Place, run: Run): void {
  if (before === after) return;
  const kind = valueKind(before);
  if (kind !== valueKind(after)) {
    run.out.push({ kind: 'modified', path: at.new, before, after });
    return;
  }
  switch (kind) {
    case 'map': return diffMaps(before as ValueMap, after as ValueMap, at, run);
    case 'list': return diffLists(before as Value[], after as Value[], at, run);
    case 'tagged': {
      const [b, a] = [before as Tagged, after as Tagged];
      // A tag has no path segment of its own, so only look inside when every change lands below
      // this path (two maps or two lists); otherwise the change here must carry the tag with it.
      const inner = valueKind(b.value);
      if (b.tag === a.tag && (inner === 'map' || inner === 'list') && inner === valueKind(a.value)) {
        return diffInto(b.value, a.value, at, run);
      }
      break;
    }
  }
  if (!valuesEqual(before, after)) run.out.push({ kind: 'modified', path: at.new, before, after });
}

function diffMaps(before: ValueMap, after: ValueMap, at: Place, run: Run): void {
  // Only keys that may differ are sorted: equal scalars (most of a big map) are skipped first.
  const keys: string[] = [];
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key) || before[key] !== after[key]) keys.push(key);
  for (const key of Object.keys(after)) if (!Object.hasOwn(before, key)) keys.push(key);
  keys.sort();
  for (const key of keys) {
    if (!Object.hasOwn(after, key)) run.out.push({ kind: 'removed', path: [...at.old, key], before: before[key]! });
    else if (!Object.hasOwn(before, key)) run.out.push({ kind: 'added', path: [...at.new, key], after: after[key]! });
    else diffInto(before[key]!, after[key]!, { old: [...at.old, key], new: [...at.new, key] }, run);
  }
}

function diffLists(before: Value[], after: Value[], at: Place, run: Run): void {
  const keys = run.listIdentity?.(at.new);
  const steps = (keys?.length ? pairByIdentity(before, after, keys) : undefined) ?? alignedSteps(before, after);
  for (const step of steps) {
    if (step.kind === 'remove') run.out.push({ kind: 'removed', path: [...at.old, step.oldIndex], before: before[step.oldIndex]! });
    else if (step.kind === 'add') run.out.push({ kind: 'added', path: [...at.new, step.newIndex], after: after[step.newIndex]! });
    else {
      const place = { old: [...at.old, step.oldIndex], new: [...at.new, step.newIndex] };
      diffInto(before[step.oldIndex]!, after[step.newIndex]!, place, run);
    }
  }
}

function alignedSteps(before: Value[], after: Value[]): HunkStep[] {
  return alignLists(before, after).flatMap((hunk) => pairHunk(before, after, hunk));
}
