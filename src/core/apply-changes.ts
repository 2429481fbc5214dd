import { DriftError } from '../errors.js';
import type { ValueChange } from './change.js';
import { toPointer } from './pointer.js';
import { createMap, isMap, Tagged, type Value, type ValueMap } from './value.js';

// Marks a place that holds no value: a map key not (or no longer) there.
const ABSENT: unique symbol = Symbol('absent');
type Slot = Value | typeof ABSENT;

/**
 * Applies changes as `diffValues` reports them, returning a new tree (`before` is not touched;
 * unchanged subtrees are shared). `applyChanges(a, diffValues(a, b))` equals `b`.
 *
 * List indices in a `removed` path are the old list's, in other paths the new list's, so the
 * direct changes of one list must come together: pass all of the diff, or a subset chosen
 * with `selectChanges`. Throws DriftError `INTERNAL` when a change does not fit
 * the document (a path through a missing key or a scalar, an index out of range).
 *
 * @example
 * const before = createMap([['users', ['ann', 'bob']]]);
 * applyChanges(before, [{ kind: 'added', path: ['users', 0], after: 'cy' }])
 * // { users: ['cy', 'ann', 'bob'] }
 */
export function applyChanges(before: Value, changes: readonly ValueChange[]): Value {
  const result = applyAt(before, changes, 0);
  if (result === ABSENT) throw misfit(changes[0]!, 'the whole document cannot be removed');
  return result;
}

function applyAt(node: Slot, changes: readonly ValueChange[], depth: number): Slot {
  if (changes.length === 0) return node;
  // A change at this very node replaces it whole; diffValues never also reports below it.
  const here = changes.find((change) => change.path.length === depth);
  if (here) return here.kind === 'removed' ? ABSENT : here.after;
  if (node instanceof Tagged) return new Tagged(node.tag, applyAt(node.value, changes, depth) as Value);
  if (Array.isArray(node)) return applyToList(node, changes, depth);
  if (node !== ABSENT && isMap(node)) return applyToMap(node, changes, depth);
  throw misfit(changes[0]!, 'the path goes through a value that is not a map or a list');
}

function applyToMap(node: ValueMap, changes: readonly ValueChange[], depth: number): ValueMap {
  const out = createMap();
  for (const key of Object.keys(node)) out[key] = node[key]!;
  for (const [key, group] of groupBy(changes, (change) => String(change.path[depth]))) {
    const child = applyAt(Object.hasOwn(node, key) ? node[key]! : ABSENT, group, depth + 1);
    if (child === ABSENT) delete out[key];
    else out[key] = child;
  }
  return out;
}

function applyToList(node: readonly Value[], changes: readonly ValueChange[], depth: number): Value[] {
  const removed = new Set<number>();
  const added = new Map<number, Value>();
  const nested: ValueChange[] = [];
  for (const change of changes) {
    const direct = change.path.length === depth + 1;
    if (direct && change.kind === 'removed') removed.add(indexIn(change, depth, node.length - 1));
    else if (direct && change.kind === 'added') added.set(indexIn(change, depth, Infinity), change.after);
    else nested.push(change);
  }
  const length = node.length - removed.size + added.size;
  // Merge in one pass: additions sit at their new indices, kept elements fill the gaps in order.
  const out: Value[] = [];
  const newIndexOfOld = new Int32Array(node.length).fill(-1);
  let old = 0;
  for (let i = 0; i < length; i++) {
    while (removed.has(old)) old++;
    if (added.has(i)) out.push(added.get(i) as Value);
    else if (old < node.length) {
      newIndexOfOld[old] = i;
      out.push(node[old++]!);
    } else throw misfit(changes[0]!, `an added index leaves a gap in a list of ${length} elements`);
  }
  // A removal below an element names it by its old index, anything else by its new one.
  const groups = groupBy(nested, (change) => {
    const index = indexIn(change, depth, change.kind === 'removed' ? node.length - 1 : length - 1);
    return String(change.kind === 'removed' ? newIndexOfOld[index] : index);
  });
  // Direct removals were taken above, so what is left can change an element but never drop it.
  for (const [key, group] of groups) {
    if (key === '-1') throw misfit(group[0]!, 'the path goes through a list element that was removed');
    out[Number(key)] = applyAt(out[Number(key)]!, group, depth + 1) as Value;
  }
  return out;
}

function indexIn(change: ValueChange, depth: number, max: number): number {
  const index = Number(change.path[depth]);
  if (!Number.isInteger(index) || index < 0 || index > max) throw misfit(change, 'the list index is out of range');
  return index;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function misfit(change: ValueChange, why: string): DriftError {
  const pointer = toPointer(change.path);
  return new DriftError('INTERNAL', `Cannot apply the ${change.kind} change at "${pointer}": ${why}.`, { key: pointer });
}
