import { alignLists } from '../align-lists.js';
import { equalityKey } from '../equality-key.js';
import { pairHunk, type HunkStep } from '../pair-hunk.js';
import { isMap, type Value } from '../value.js';

/**
 * Pairs the elements of two lists by identity: an element that is a map holding every key field
 * is identified by the values of those fields (compared as values: `1` and `1.0` differ).
 *
 * - the same identity in both lists pairs the two elements, wherever they stand, so a reorder
 *   pairs every element with an equal one (no change) and an edited item pairs with its old self;
 * - an identity only in `after` is an `add`, only in `before` a `remove`;
 * - the other elements (not maps, or missing a key field) are aligned among themselves as
 *   diffValues aligns any list;
 * - an identity seen twice in one list makes identity meaningless there: the result is
 *   undefined, and the caller aligns the whole list the usual way.
 *
 * Steps come by position: a `remove` at its old index, the others at their new index, a
 * removal first on a tie. Pairs of equal elements are included (they diff to nothing).
 *
 * @example
 * // [{name: a}, {name: b}] -> [{name: b}, {name: a, x: 1}]
 * pairByIdentity(before, after, ['name'])
 * // [{ kind: 'pair', oldIndex: 1, newIndex: 0 }, { kind: 'pair', oldIndex: 0, newIndex: 1 }]
 */
export function pairByIdentity(before: readonly Value[], after: readonly Value[], keys: readonly string[]): HunkStep[] | undefined {
  const oldIds = identities(before, keys);
  const newIds = oldIds && identities(after, keys);
  if (!oldIds || !newIds) return undefined;

  const oldIndexOf = new Map<string, number>();
  oldIds.forEach((id, i) => id !== undefined && oldIndexOf.set(id, i));
  const paired = new Set<number>();
  const steps: HunkStep[] = [];
  newIds.forEach((id, newIndex) => {
    if (id === undefined) return;
    const oldIndex = oldIndexOf.get(id);
    if (oldIndex === undefined) steps.push({ kind: 'add', newIndex });
    else {
      paired.add(oldIndex);
      steps.push({ kind: 'pair', oldIndex, newIndex });
    }
  });
  oldIds.forEach((id, oldIndex) => id !== undefined && !paired.has(oldIndex) && steps.push({ kind: 'remove', oldIndex }));
  steps.push(...alignUnkeyed(before, after, oldIds, newIds));
  return steps.sort((a, b) => position(a) - position(b) || rank(a) - rank(b));
}

/** Each element's identity (undefined when it has none), or undefined when one repeats. */
function identities(list: readonly Value[], keys: readonly string[]): (string | undefined)[] | undefined {
  const seen = new Set<string>();
  const ids: (string | undefined)[] = [];
  for (const item of list) {
    if (!isMap(item) || !keys.every((key) => Object.hasOwn(item, key))) {
      ids.push(undefined);
      continue;
    }
    const id = equalityKey(keys.map((key) => item[key]!));
    if (seen.has(id)) return undefined;
    seen.add(id);
    ids.push(id);
  }
  return ids;
}

/** Aligns the elements without an identity, in their own order, mapping indices back. */
function alignUnkeyed(before: readonly Value[], after: readonly Value[], oldIds: readonly unknown[], newIds: readonly unknown[]): HunkStep[] {
  const oldAt = indicesWithout(oldIds);
  const newAt = indicesWithout(newIds);
  if (oldAt.length === 0 && newAt.length === 0) return [];
  const olds = oldAt.map((i) => before[i]!);
  const news = newAt.map((i) => after[i]!);
  const steps: HunkStep[] = [];
  for (const hunk of alignLists(olds, news)) {
    for (const step of pairHunk(olds, news, hunk)) {
      if (step.kind === 'remove') steps.push({ kind: 'remove', oldIndex: oldAt[step.oldIndex]! });
      else if (step.kind === 'add') steps.push({ kind: 'add', newIndex: newAt[step.newIndex]! });
      else steps.push({ kind: 'pair', oldIndex: oldAt[step.oldIndex]!, newIndex: newAt[step.newIndex]! });
    }
  }
  return steps;
}

function indicesWithout(ids: readonly unknown[]): number[] {
  const out: number[] = [];
  ids.forEach((id, i) => id === undefined && out.push(i));
  return out;
}

function position(step: HunkStep): number {
  return step.kind === 'remove' ? step.oldIndex : step.newIndex;
}

function rank(step: HunkStep): number {
  return step.kind === 'remove' ? 0 : 1;
}
