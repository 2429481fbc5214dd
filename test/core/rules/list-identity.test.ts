import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { diffValues, type ListIdentity } from '../../../src/core/diff-values.js';
import { toPointer } from '../../../src/core/pointer.js';
import { compileListIdentity, compileListRules } from '../../../src/core/rules/list-identity.js';
import { pairByIdentity } from '../../../src/core/rules/pair-by-identity.js';
import { createMap, Tagged, type Value } from '../../../src/core/value.js';

/** A null-prototype map tree from a plain object literal (arrays kept as lists). */
function v(value: unknown): Value {
  if (Array.isArray(value)) return value.map(v);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return createMap(Object.entries(value).map(([key, item]) => [key, v(item)]));
  }
  return value as Value;
}
const subject = (kind: string, name: string, extra: object = {}) => ({ kind, name, ...extra });
const byName: ListIdentity = () => ['name'];
/** Changes as (kind, pointer) pairs, the way a user reads them. */
const brief = (changes: ReturnType<typeof diffValues>) => changes.map((c) => [c.kind, toPointer(c.path)]);

describe('diffValues with list identity: the B12 subjects list', () => {
  const identity = compileListIdentity([{ path: '/subjects', keys: ['kind', 'name'] }], 'r.yaml');
  const ops = subject('Group', 'ops'), dev1 = subject('User', 'dev1'), dev2 = subject('User', 'dev2');

  test('the B12 insertion is still one added at /subjects/0', () => {
    const changes = diffValues(v({ subjects: [ops, dev1] }), v({ subjects: [dev2, ops, dev1] }), { listIdentity: identity });
    expect(changes).toEqual([{ kind: 'added', path: ['subjects', 0], after: v(dev2) }]);
  });

  test('a reorder is no change at all (without identity it is two modifications)', () => {
    const before = v({ subjects: [ops, dev1, dev2] }), after = v({ subjects: [dev2, ops, dev1] });
    expect(diffValues(before, after, { listIdentity: identity })).toEqual([]);
    expect(diffValues(before, after).length).toBeGreaterThan(0);
  });

  test('an item changed after a reorder is one modified at its new index', () => {
    const before = v({ subjects: [ops, dev1, dev2] });
    const after = v({ subjects: [dev2, subject('User', 'dev1', { namespace: 'prod' }), ops] });
    expect(diffValues(before, after, { listIdentity: identity })).toEqual([
      { kind: 'added', path: ['subjects', 1, 'namespace'], after: 'prod' },
    ]);
  });

  test('a new identity is one added at its new index, a gone one one removed at its old index', () => {
    const before = v({ subjects: [ops, dev1, dev2] });
    const after = v({ subjects: [dev2, subject('User', 'dev3'), ops] });
    // by position, a removal first on a tie
    expect(brief(diffValues(before, after, { listIdentity: identity }))).toEqual([
      ['removed', '/subjects/1'],
      ['added', '/subjects/1'],
    ]);
  });

  test('compound keys: the same name under another kind is another item', () => {
    const before = v({ subjects: [subject('User', 'ops'), ops] });
    const after = v({ subjects: [ops, subject('ServiceAccount', 'ops')] });
    expect(brief(diffValues(before, after, { listIdentity: identity }))).toEqual([
      ['removed', '/subjects/0'],
      ['added', '/subjects/1'],
    ]);
  });

  test('a rule for another file or another list leaves the plain diff', () => {
    expect(compileListIdentity([{ path: '/subjects', keys: ['name'], file: 'rbac/**' }], 'r.yaml')).toBeUndefined();
    const other = compileListIdentity([{ path: '/users', keys: ['name'] }], 'r.yaml');
    const before = v({ subjects: [ops, dev1] }), after = v({ subjects: [dev1, ops] });
    expect(diffValues(before, after, { listIdentity: other })).toEqual(diffValues(before, after));
  });
});

describe('diffValues with list identity: Kubernetes containers by name', () => {
  const identity = compileListRules([{ path: '/**/containers', keys: ['name'], file: 'k8s/**' }])('k8s/web.yaml');
  const deployment = (containers: object[]) => v({ spec: { template: { spec: { containers } } } });
  const app = { name: 'app', image: 'app:1', ports: [{ containerPort: 8080n }] };
  const proxy = { name: 'proxy', image: 'envoy:1.30' };

  test('a sidecar moved first and an image bumped: one modified at the new index', () => {
    const changes = diffValues(deployment([app, proxy]), deployment([proxy, { ...app, image: 'app:2' }]), { listIdentity: identity });
    expect(changes).toEqual([
      { kind: 'modified', path: ['spec', 'template', 'spec', 'containers', 1, 'image'], before: 'app:1', after: 'app:2' },
    ]);
  });

  test('a removed container is reported at its old index, an added one at its new index', () => {
    const init = { name: 'init', image: 'busybox' };
    const changes = diffValues(deployment([app, proxy]), deployment([init, app]), { listIdentity: identity });
    expect(brief(changes)).toEqual([
      ['added', '/spec/template/spec/containers/0'],
      ['removed', '/spec/template/spec/containers/1'],
    ]);
  });

  test('nested lists get their path with new indices: ports of a moved container', () => {
    const seen: string[] = [];
    const spy: ListIdentity = (path) => {
      seen.push(toPointer(path));
      return identity!(path);
    };
    const moved = { ...app, ports: [{ containerPort: 9090n }] };
    diffValues(deployment([app, proxy]), deployment([proxy, moved]), { listIdentity: spy });
    expect(seen).toEqual(['/spec/template/spec/containers', '/spec/template/spec/containers/1/ports']);
  });

  test('a tag adds no segment to the list path', () => {
    const before = v({ items: new Tagged('!List', v([{ name: 'a' }, { name: 'b' }])) });
    const after = v({ items: new Tagged('!List', v([{ name: 'b' }, { name: 'a' }])) });
    const identityAt = compileListIdentity([{ path: '/items', keys: ['name'] }], 'x.yaml');
    expect(diffValues(before, after, { listIdentity: identityAt })).toEqual([]);
  });
});

describe('diffValues with list identity: fallbacks', () => {
  test('duplicate identities: the whole list is aligned the usual way', () => {
    const before = v([{ name: 'a', v: 1n }, { name: 'a', v: 2n }, { name: 'b' }]);
    const after = v([{ name: 'b' }, { name: 'a', v: 2n }, { name: 'a', v: 1n }]);
    expect(pairByIdentity(before as Value[], after as Value[], ['name'])).toBeUndefined();
    expect(diffValues(before, after, { listIdentity: byName })).toEqual(diffValues(before, after));
  });

  test('items without the key fields are aligned among themselves; keyed items pair by key', () => {
    const before = v([{ name: 'a', v: 1n }, 'x', { other: 1n }, { name: 'b' }]);
    const after = v([{ name: 'b' }, 'x', 'y', { name: 'a', v: 2n }, { other: 1n }]);
    expect(diffValues(before, after, { listIdentity: byName })).toEqual([
      { kind: 'added', path: [2], after: 'y' },
      { kind: 'modified', path: [3, 'v'], before: 1n, after: 2n },
    ]);
  });

  test('an item that lost its key field is one removed and one added', () => {
    const before = v([{ name: 'a', v: 1n }]);
    const after = v([{ v: 1n }]);
    expect(brief(diffValues(before, after, { listIdentity: byName }))).toEqual([['removed', '/0'], ['added', '/0']]);
  });

  test('key values compare as values: 1 and 1.0 are two identities', () => {
    const before = v([{ id: 1n, x: 'a' }]);
    const after = v([{ id: 1, x: 'a' }]);
    expect(brief(diffValues(before, after, { listIdentity: () => ['id'] }))).toEqual([['removed', '/0'], ['added', '/0']]);
  });

  test('an empty key list, or undefined, is the plain diff', () => {
    const before = v([{ name: 'a' }, { name: 'b' }]), after = v([{ name: 'b' }, { name: 'a' }]);
    expect(diffValues(before, after, { listIdentity: () => [] })).toEqual(diffValues(before, after));
    expect(diffValues(before, after, { listIdentity: () => undefined })).toEqual(diffValues(before, after));
  });
});

describe('compileListRules', () => {
  test('the first rule whose file and path globs match gives the keys', () => {
    const forFile = compileListRules([
      { path: '/subjects', keys: ['kind', 'name'], file: 'rbac/**' },
      { path: '/**', keys: ['id'], file: 'data/*.json' },
      { path: '/subjects', keys: ['name'] },
    ]);
    expect(forFile('rbac/r.yaml')!(['subjects'])).toEqual(['kind', 'name']);
    expect(forFile('other.yaml')!(['subjects'])).toEqual(['name']);
    expect(forFile('other.yaml')!(['users'])).toBeUndefined();
    expect(forFile('data/x.json')!(['anything', 0])).toEqual(['id']);
    expect(forFile('data/x.json')).toBe(forFile('data/x.json'));
  });

  test('bad rules are config errors naming the rule', () => {
    const refused = (rule: object, key: string) =>
      expect(() => compileListRules([rule as never])).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', key }));
    refused({ path: '/a', keys: [] }, 'lists.0.keys');
    refused({ path: '/a', keys: ['name', 'name'] }, 'lists.0.keys');
    refused({ path: '/a', keys: [''] }, 'lists.0.keys');
    refused({ path: 'a', keys: ['name'] }, 'lists.0.path');
    refused({ keys: ['name'] }, 'lists.0.path');
    refused({ path: '/a', keys: ['name'], file: '' }, 'lists.0.file');
  });
});

describe('list identity properties', () => {
  // Distinct names, so every item has its own identity.
  const items = fc.uniqueArray(fc.string({ maxLength: 3 }), { maxLength: 8 }).chain((names) =>
    fc.tuple(
      fc.constant(names),
      fc.array(fc.oneof(fc.bigInt({ min: -2n, max: 2n }), fc.constantFrom('x', 'y', true, null)), { minLength: names.length, maxLength: names.length }),
    ),
  ).map(([names, values]) => names.map((name, i) => v({ name, value: values[i], tags: [values[i]] })));

  test('any permutation of a list of uniquely keyed maps diffs to no changes', () => {
    fc.assert(fc.property(items, fc.infiniteStream(fc.nat()), (list, random) => {
      const shuffled = [...list];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = random.next().value % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      expect(diffValues(v({ l: list }), v({ l: shuffled }), { listIdentity: byName })).toEqual([]);
    }));
  });

  test('after a permutation, each changed item is one modified at its new index', () => {
    fc.assert(fc.property(items, fc.nat(), (list, seed) => {
      if (list.length === 0) return;
      const shuffled = [...list].reverse();
      const at = seed % shuffled.length;
      const item = shuffled[at] as Record<string, Value>;
      shuffled[at] = createMap([...Object.entries(item), ['value', 'changed']]);
      const changes = diffValues(list, shuffled, { listIdentity: byName });
      const expected = item.value === 'changed' ? [] : [{ kind: 'modified', path: [at, 'value'], before: item.value, after: 'changed' }];
      expect(changes).toEqual(expected);
    }));
  });

  test('without identity the option changes nothing: the plain diff is the same', () => {
    fc.assert(fc.property(items, items, (a, b) => {
      expect(diffValues(a, b, { listIdentity: () => undefined })).toEqual(diffValues(a, b));
    }));
  });
});
