import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeScanCache, encodeScanCache } from '../../src/store/scan-cache-codec.js';

describe('scan cache codec', () => {
  it('round-trips every entry exactly', () => {
    const entry = fc.record({
      file: fc.string({ minLength: 1 }).filter((s) => !s.includes('\0')),
      size: fc.nat(), mtimeMs: fc.double({ noNaN: true }), ctimeMs: fc.double({ noNaN: true }), ino: fc.nat(),
      racy: fc.boolean(), contentId: fc.option(fc.stringMatching(/^[0-9a-f]{1,40}$/), { nil: null }),
    });
    fc.assert(fc.property(fc.uniqueArray(entry, { selector: (e) => e.file }), (entries) => {
      const decoded = decodeScanCache(encodeScanCache(entries));
      expect([...decoded.values()]).toEqual(entries);
    }));
  });

  it('reads a foreign or empty blob as an empty cache', () => {
    expect(decodeScanCache(Buffer.from('nonsense')).size).toBe(0);
    expect(decodeScanCache(encodeScanCache([])).size).toBe(0);
  });

  it('survives a blob that is not 8-byte aligned in memory', () => {
    const blob = encodeScanCache([{ file: 'a', size: 1, mtimeMs: 2.5, ctimeMs: 3.5, ino: 4, racy: true, contentId: 'ab' }]);
    const shifted = Buffer.alloc(blob.length + 1);
    blob.copy(shifted, 1);
    expect(decodeScanCache(shifted.subarray(1)).get('a')).toMatchObject({ mtimeMs: 2.5, racy: true, contentId: 'ab' });
  });
});
