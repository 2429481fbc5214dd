import type { ListHunk } from './align-lists.js';
import { isMap, Tagged, valueKind, valuesEqual, type Value, type ValueMap } from './value.js';

/** One step through a hunk: an old element replaced by a new one, or one that went or came. */
export type HunkStep =
  | { kind: 'pair'; oldIndex: number; newIndex: number }
  | { kind: 'remove'; oldIndex: number }
  | { kind: 'add'; newIndex: number };

// Above this many (old x new) cells the similarity search is skipped, to stay linear on big hunks.
const MAX_SIMILARITY_CELLS = 4096;

/**
 * Pairs the r old and a new elements of a hunk into min(r, a) replacements, in order;
 * the rest are removals or additions.
 *
 * Pairs never cross (the k-th old partner comes before the (k+1)-th), so nested changes
 * keep their positions. When r = a, each element pairs with the one at its position.
 * When they differ, the elements of the longer side left unpaired are those that make
 * the pairs most alike (equal map entries, equal list items); ties, text lines, and hunks
 * too big to score pair from the head, leaving the tail unpaired.
 *
 * @example
 * // [web, db] -> [db'] where db' only changed its port: web is removed, db pairs with db'.
 * pairHunk(before, after, { oldStart: 0, oldEnd: 2, newStart: 0, newEnd: 1 })
 * // [{ kind: 'remove', oldIndex: 0 }, { kind: 'pair', oldIndex: 1, newIndex: 0 }]
 */
export function pairHunk(before: readonly Value[], after: readonly Value[], hunk: ListHunk): HunkStep[] {
  const olds = before.slice(hunk.oldStart, hunk.oldEnd);
  const news = after.slice(hunk.newStart, hunk.newEnd);
  const oldIsLonger = olds.length > news.length;
  const [long, short] = oldIsLonger ? [olds, news] : [news, olds];
  const kept = chooseKept(long, short, oldIsLonger);

  const steps: HunkStep[] = [];
  let s = 0;
  for (let l = 0; l < long.length; l++) {
    const [oldIndex, newIndex] = oldIsLonger ? [hunk.oldStart + l, hunk.newStart + s] : [hunk.oldStart + s, hunk.newStart + l];
    if (kept[l]) {
      steps.push({ kind: 'pair', oldIndex, newIndex });
      s++;
    } else if (oldIsLonger) steps.push({ kind: 'remove', oldIndex });
    else steps.push({ kind: 'add', newIndex });
  }
  return steps;
}

/** Which elements of the longer side get a partner: a monotone assignment of best total similarity. */
function chooseKept(long: readonly Value[], short: readonly Value[], oldIsLonger: boolean): boolean[] {
  const n = long.length;
  const k = short.length;
  const kept = new Array<boolean>(n).fill(false);
  if (k === n || k === 0 || n * k > MAX_SIMILARITY_CELLS) {
    for (let i = 0; i < k; i++) kept[i] = true;
    return kept;
  }
  // best[i * (k + 1) + j]: best score pairing the first j short elements within the first i long ones (j <= i).
  const width = k + 1;
  const best = new Int32Array((n + 1) * width);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= Math.min(i, k); j++) {
      const [o, w] = oldIsLonger ? [long[i - 1]!, short[j - 1]!] : [short[j - 1]!, long[i - 1]!];
      const pair = best[(i - 1) * width + j - 1]! + similarity(o, w);
      const skip = i - 1 >= j ? best[(i - 1) * width + j]! : -1;
      best[i * width + j] = Math.max(pair, skip);
    }
  }
  // Walk back from the end, skipping whenever that loses nothing, so ties pair from the head.
  for (let i = n, j = k; j > 0; i--) {
    if (i - 1 >= j && best[(i - 1) * width + j] === best[i * width + j]) continue;
    kept[i - 1] = true;
    j--;
  }
  return kept;
}

/** How alike two values are, 0 (different kinds) to 1000 (equal); integers, so ties are exact. */
function similarity(a: Value, b: Value): number {
  if (valueKind(a) !== valueKind(b)) return 0;
  if (valuesEqual(a, b)) return 1000;
  if (a instanceof Tagged && b instanceof Tagged) return a.tag === b.tag ? similarity(a.value, b.value) : 1;
  if (isMap(a) && isMap(b)) return 1 + Math.floor((999 * mapOverlap(a, b)) / 2);
  if (Array.isArray(a) && Array.isArray(b)) {
    let equal = 0;
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (valuesEqual(a[i]!, b[i]!)) equal++;
    return 1 + Math.floor((999 * equal) / Math.max(a.length, b.length));
  }
  return 1;
}

/** 2 per key with equal values, 1 per key in both with different values, over all keys: 0..2. */
function mapOverlap(a: ValueMap, b: ValueMap): number {
  let score = 0;
  let union = Object.keys(b).length;
  for (const key of Object.keys(a)) {
    if (!(key in b)) union++;
    else score += valuesEqual(a[key]!, b[key]!) ? 2 : 1;
  }
  return union === 0 ? 0 : score / union;
}
