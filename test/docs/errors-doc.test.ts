import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '../../src/errors.js';

describe('docs/errors.md', () => {
  const text = fs.readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map([...text.matchAll(/^\| `([A-Z_]+)` \| (\d) \| (\d+) \|/gm)].map((m) => [m[1]!, { exit: Number(m[2]), http: Number(m[3]) }]));

  it('has one row per code of the catalog, with its exit code and HTTP status', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(ERROR_CATALOG).sort());
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) expect(rows.get(code)).toEqual({ exit: entry.exit, http: entry.http });
  });
});
