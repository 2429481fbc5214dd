import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createCacheLookup } from '../../src/sources/cache-lookup.js';
import type { StatKey } from '../../src/sources/file-entry.js';

const key = (size: number): StatKey => ({ size, mtimeMs: 1, ctimeMs: 1, ino: size, racy: false });

describe('createCacheLookup', () => {
  test('answers exactly as Map.get, whatever the order of the cache and of the questions', () => {
    const name = fc.stringMatching(/^[a-c./-]{1,4}$/);
    fc.assert(
      fc.property(fc.uniqueArray(name), fc.array(name), fc.boolean(), (cached, asked, sortAsked) => {
        const cache = new Map(cached.map((file, i) => [file, key(i)]));
        const questions = sortAsked ? [...asked].sort() : asked;
        const lookup = createCacheLookup(cache);
        for (const file of questions) expect(lookup(file)).toBe(cache.get(file));
      }),
    );
  });

  test('no cache answers nothing', () => {
    expect(createCacheLookup(undefined)('a')).toBeUndefined();
    expect(createCacheLookup(new Map())('a')).toBeUndefined();
  });
});
