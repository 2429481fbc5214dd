import { describe, expect, test } from 'vitest';
import { parsePointer } from '../../../src/core/pointer.js';
import { compilePointerGlob, matchesPointerGlob } from '../../../src/core/rules/pointer-glob.js';

const matches = (glob: string, pointer: string) => matchesPointerGlob(glob, pointer);

describe('compilePointerGlob: literal globs', () => {
  test('match the same pointer only, not a parent or a child', () => {
    expect(matches('/db/port', '/db/port')).toBe(true);
    expect(matches('/db/port', '/db')).toBe(false);
    expect(matches('/db/port', '/db/port/x')).toBe(false);
    expect(matches('/db/port', '/db/portx')).toBe(false);
  });

  test('"" is the whole document, and only that', () => {
    expect(matches('', '')).toBe(true);
    expect(matches('', '/a')).toBe(false);
    expect(matches('/a', '')).toBe(false);
  });

  test('list indices are segments: numbers in a path compare as their text', () => {
    const glob = compilePointerGlob('/servers/0/port');
    expect(glob(['servers', 0, 'port'])).toBe(true);
    expect(glob(['servers', 1, 'port'])).toBe(false);
  });

  test('segments compare after RFC 6901 unescaping', () => {
    expect(matches('/paths/~1api~1v1', '/paths/~1api~1v1')).toBe(true);
    expect(compilePointerGlob('/paths/~1api~1v1')(['paths', '/api/v1'])).toBe(true);
    expect(compilePointerGlob('/a~0b')(['a~b'])).toBe(true);
    // `~01` is `~1` as text, not a slash
    expect(compilePointerGlob('/~01')(['~1'])).toBe(true);
    expect(compilePointerGlob('/~01')(['/'])).toBe(false);
  });

  test('a trailing slash names the empty key, as in RFC 6901', () => {
    expect(compilePointerGlob('/a/')(['a', ''])).toBe(true);
    expect(compilePointerGlob('/a/')(['a'])).toBe(false);
  });
});

describe('compilePointerGlob: wildcards', () => {
  test('SPEC example: /metadata/annotations/* matches one annotation, not the map nor below one', () => {
    const glob = '/metadata/annotations/*';
    expect(matches(glob, '/metadata/annotations/foo')).toBe(true);
    expect(matches(glob, '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration')).toBe(true);
    expect(matches(glob, '/metadata/annotations')).toBe(false);
    expect(matches(glob, '/metadata/annotations/a/b')).toBe(false);
    expect(matches(glob, '/metadata/labels/foo')).toBe(false);
  });

  test('SPEC example: **/tls/** matches the tls node and all below it, anywhere', () => {
    const glob = '**/tls/**';
    expect(matches(glob, '/server/tls/enabled')).toBe(true);
    expect(matches(glob, '/tls')).toBe(true);
    expect(matches(glob, '/a/b/tls')).toBe(true);
    expect(matches(glob, '/a/tls/b/c/d')).toBe(true);
    expect(matches(glob, '/tlsx/enabled')).toBe(false);
    expect(matches(glob, '/server/mtls')).toBe(false);
    expect(matches(glob, '')).toBe(false);
  });

  test('* is exactly one segment, the empty key included', () => {
    expect(matches('/a/*/c', '/a/b/c')).toBe(true);
    expect(matches('/a/*/c', '/a//c')).toBe(true);
    expect(matches('/a/*/c', '/a/c')).toBe(false);
    expect(matches('/a/*/c', '/a/b/b/c')).toBe(false);
    expect(matches('/*', '')).toBe(false);
  });

  test('** is any number of segments, none included', () => {
    expect(matches('/a/**/c', '/a/c')).toBe(true);
    expect(matches('/a/**/c', '/a/b/c')).toBe(true);
    expect(matches('/a/**/c', '/a/b/x/c')).toBe(true);
    expect(matches('/a/**/c', '/a/b/x/d')).toBe(false);
    expect(matches('/a/**', '/a')).toBe(true);
    expect(matches('/a/**', '/ab')).toBe(false);
  });

  test('/** and ** match every path, the whole document included', () => {
    for (const glob of ['/**', '**', '/**/**']) {
      expect(matches(glob, '')).toBe(true);
      expect(matches(glob, '/x/y/0')).toBe(true);
    }
  });

  test('a ** retried after a false start still finds the match', () => {
    expect(matches('/**/a/b', '/a/a/b')).toBe(true);
    expect(matches('/**/a/*/b', '/a/x/a/y/b')).toBe(true);
    expect(matches('/**/a/**/b/**/c', '/x/a/b/y/b/z/c')).toBe(true);
    expect(matches('/**/a/**/b/**/c', '/x/a/b/y/b/z/d')).toBe(false);
  });

  test('* and ** only as whole segments; a* is the literal key', () => {
    expect(matches('/a*', '/abc')).toBe(false);
    expect(matches('/a*', '/a*')).toBe(true);
    expect(matches('/x**', '/x/y')).toBe(false);
    // a key that is literally "*" is still matched by the wildcard
    expect(compilePointerGlob('/*')(['*'])).toBe(true);
  });

  test('agrees with a brute-force reference on generated paths', () => {
    const globs = ['/**', '/a/**', '/**/b', '/*/b', '/a/*/*', '/**/a/**', '/*/**/b', '/a/**/a'];
    const alphabet = ['a', 'b', 'c'];
    const paths: string[][] = [[]];
    for (let depth = 0; depth < 4; depth++) {
      for (const p of paths.filter((x) => x.length === depth)) for (const s of alphabet) paths.push([...p, s]);
    }
    for (const glob of globs) {
      const compiled = compilePointerGlob(glob);
      for (const path of paths) expect(compiled(path), `${glob} vs /${path.join('/')}`).toBe(reference(parsePointer(glob), path));
    }
  });
});

describe('compilePointerGlob: refused globs', () => {
  test('a glob without a leading "/" (or "**") is an error that says how to write it', () => {
    expect(() => compilePointerGlob('metadata/annotations')).toThrow(/starts with "\/"/);
    expect(() => compilePointerGlob('*/x')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  test('a ~ not followed by 0 or 1 is an error', () => {
    expect(() => compilePointerGlob('/a~2')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => compilePointerGlob('/a~')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

/** Exponential but obviously right: `*` one segment, `**` any run. */
function reference(glob: readonly string[], path: readonly string[]): boolean {
  if (glob.length === 0) return path.length === 0;
  const [head, ...rest] = glob;
  if (head === '**') return path.some((_, i) => reference(rest, path.slice(i))) || reference(rest, path.slice(path.length));
  if (path.length === 0) return false;
  return (head === '*' || head === path[0]) && reference(rest, path.slice(1));
}
