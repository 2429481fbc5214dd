import type { ValueChange } from './change.js';
import type { Segment } from './pointer.js';
import { isMap, Tagged, type Value } from './value.js';

/**
 * The changes under `path`, widened until `applyChanges` can take them alone.
 *
 * Valid subsets of a diff are unions of whole subtrees at map-key paths: every change
 * under a path of map keys (with tags passed through) from the root. Inside a list, indices
 * move when an element comes or goes, so a path through a list is widened to the list
 * itself; and a change that replaced an ancestor of `path` whole (a key added or removed,
 * a map turned into a list) is taken whole, since no part of it stands alone.
 * Applying the result to `before` gives `before` with that one subtree taken from `after`.
 *
 * @example
 * // accept only the TLS settings of a baseline; path ['servers', 1, 'port'] would take all of /servers
 * applyChanges(before, selectChanges(before, diffValues(before, after), ['tls']))
 */
export function selectChanges(before: Value, changes: readonly ValueChange[], path: readonly Segment[]): ValueChange[] {
  const prefix = widen(before, path);
  return changes.filter((change) => startsWith(change.path, prefix) || startsWith(prefix, change.path));
}

/** The longest head of `path` that goes through map keys only. */
function widen(before: Value, path: readonly Segment[]): Segment[] {
  const prefix: Segment[] = [];
  let node: Value | undefined = before;
  for (const segment of path) {
    while (node instanceof Tagged) node = node.value;
    if (node === undefined || !isMap(node)) break;
    prefix.push(segment);
    node = Object.hasOwn(node, segment) ? node[segment]! : undefined;
  }
  return prefix;
}

function startsWith(path: readonly Segment[], prefix: readonly Segment[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}
