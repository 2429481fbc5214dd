import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { applyChanges } from '../../src/core/apply-changes.js';
import { diffValues } from '../../src/core/diff-values.js';
import type { Segment } from '../../src/core/pointer.js';
import { selectChanges } from '../../src/core/select-changes.js';
import { createMap, isMap, Tagged, valuesEqual, type Value, type ValueMap } from '../../src/core/value.js';

// Few keys and small scalars, so that random trees share structure and lists align in interesting ways.
const key = fc.constantFrom('a', 'b', 'c', 'port', 'name', '__proto__', '');
const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom('x', 'y', 'z', ''),
  fc.string({ maxLength: 4 }),
  fc.bigInt({ min: -3n, max: 3n }),
  fc.bigInt(),
  fc.constantFrom(1, 1.5, -0, 0, Number.NaN),
  fc.double(),
);
const { tree } = fc.letrec<{ tree: Value; list: Value[]; map: ValueMap; tagged: Tagged }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map'), tie('tagged')),
  list: fc.array(tie('tree'), { maxLength: 6 }),
  map: fc.array(fc.tuple(key, tie('tree')), { maxLength: 5 }).map((entries) => createMap(entries)),
  tagged: fc.tuple(fc.constantFrom('!Ref', '!Sub'), tie('tree')).map(([tag, value]) => new Tagged(tag, value)),
}));

/** A variant of `value` steered by `choices`: some parts kept, some dropped, replaced, inserted or changed inside. */
function mutate(value: Value, choices: number[], extra: Value[]): Value {
  let n = 0;
  const next = (): number => choices[n++ % choices.length]! % 8;
  const pick = (): Value => extra[n++ % extra.length]!;
  const walk = (node: Value): Value => {
    if (node instanceof Tagged) return next() === 0 ? pick() : new Tagged(node.tag, walk(node.value));
    if (Array.isArray(node)) {
      const out: Value[] = [];
      for (const item of node) {
        const c = next();
        if (c === 0) continue;
        if (c === 1) out.push(pick());
        if (c === 2) out.push(pick(), item);
        else if (c === 3) out.push(walk(item));
        else if (c !== 1) out.push(item);
      }
      if (next() === 4) out.push(pick());
      return out;
    }
    if (isMap(node)) {
      const out = createMap();
      for (const k of Object.keys(node)) {
        const c = next();
        if (c === 0) continue;
        out[k] = c === 1 ? pick() : c < 4 ? walk(node[k]!) : node[k]!;
      }
      if (next() === 4) out['added' + n] = pick();
      return out;
    }
    return next() === 0 ? pick() : node;
  };
  return choices.length === 0 || extra.length === 0 ? value : walk(value);
}

const related = fc
  .tuple(tree, fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), fc.array(tree, { minLength: 1, maxLength: 4 }))
  .map(([a, choices, extra]) => [a, mutate(a, choices, extra)] as const);
const pair = fc.oneof(related, fc.tuple(tree, tree));

/** The same tree with every map's keys inserted in reverse order. */
function reorder(value: Value): Value {
  if (value instanceof Tagged) return new Tagged(value.tag, reorder(value.value));
  if (Array.isArray(value)) return value.map(reorder);
  if (isMap(value)) return createMap(Object.keys(value).reverse().map((k) => [k, reorder(value[k]!)]));
  return value;
}

/** The value at `path`, seeing through tags; undefined when the path does not exist. */
function valueAt(root: Value, path: readonly Segment[]): Value | undefined {
  let node: Value | undefined = root;
  for (const segment of path) {
    while (node instanceof Tagged) node = node.value;
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (node !== undefined && isMap(node) && typeof segment === 'string' && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

describe('diffValues properties', () => {
  test('diff(a, a) is empty, and so is diff of a against an equal copy', () => {
    fc.assert(fc.property(tree, (a) => {
      expect(diffValues(a, a)).toEqual([]);
      expect(diffValues(a, reorder(a))).toEqual([]);
    }));
  });

  test('map key insertion order never changes the diff', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      expect(diffValues(reorder(a), reorder(b))).toEqual(diffValues(a, b));
    }));
  });

  test('applyChanges(a, diffValues(a, b)) equals b', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      expect(valuesEqual(applyChanges(a, diffValues(a, b)), b)).toBe(true);
    }), { numRuns: 500 });
  });

  test('each change path exists: removed in before, added and modified in after, with those values', () => {
    fc.assert(fc.property(pair, ([a, b]) => {
      for (const change of diffValues(a, b)) {
        if (change.kind === 'removed') expect(valuesEqual(valueAt(a, change.path)!, change.before)).toBe(true);
        else expect(valuesEqual(valueAt(b, change.path)!, change.after)).toBe(true);
        if (change.kind === 'modified') expect(valuesEqual(change.before, change.after)).toBe(false);
      }
    }), { numRuns: 500 });
  });

  test('the changes under one top-level key yield before with that key taken from after', () => {
    const maps = related.filter(([a, b]) => isMap(a) && isMap(b));
    fc.assert(fc.property(maps, ([a, b]) => {
      const changes = diffValues(a, b);
      for (const k of new Set([...Object.keys(a as ValueMap), ...Object.keys(b as ValueMap)])) {
        const expected = createMap(Object.entries(a as ValueMap));
        if (Object.hasOwn(b as ValueMap, k)) expected[k] = (b as ValueMap)[k]!;
        else delete expected[k];
        expect(valuesEqual(applyChanges(a, selectChanges(a, changes, [k])), expected)).toBe(true);
      }
    }));
  });
});
