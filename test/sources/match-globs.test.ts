import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, test } from 'vitest';
import { compilePathFilter } from '../../src/sources/match-globs.js';

describe('compilePathFilter', () => {
  test('no globs: everything, dotfiles too', () => {
    const filter = compilePathFilter([], []);
    expect(filter.includesFile('.env')).toBe(true);
    expect(filter.entersDirectory('.git')).toBe(true);
  });

  test('include picks files, exclude removes files and prunes directories', () => {
    const filter = compilePathFilter(['**/*.yaml'], ['**/node_modules/**', 'tmp/']);
    expect(filter.includesFile('a/.b.yaml')).toBe(true);
    expect(filter.includesFile('a/b.json')).toBe(false);
    expect(filter.entersDirectory('x/node_modules')).toBe(false);
    expect(filter.entersDirectory('tmp')).toBe(false);
    // As in .gitignore, `dir/**` is about a directory's contents: a file of that name stays.
    expect(compilePathFilter([], ['**/node_modules/**']).includesFile('docs/node_modules')).toBe(true);
    // Include never prunes a directory: a match may be deeper.
    expect(filter.entersDirectory('src')).toBe(true);
  });

  test('a walk with the filter records exactly the files that no exclude and some include match', () => {
    const segment = fc.constantFrom('a', 'b', '.git', 'x.d', 'node_modules', 'c.yaml', '.env');
    const glob = fc.constantFrom('**/.git/**', '**/node_modules/**', 'a/**', 'a/*/**', '*.d/**', '**/*.yaml', 'b/', '**/.env', '**/b/**/c.yaml');
    fc.assert(
      fc.property(fc.array(fc.array(segment, { minLength: 1, maxLength: 4 })), fc.array(glob, { maxLength: 2 }), fc.array(glob, { maxLength: 3 }), (paths, include, exclude) => {
        const filter = compilePathFilter(include, exclude);
        const naiveInclude = include.length === 0 ? () => true : picomatch(include, { dot: true });
        const naiveExclude = exclude.length === 0 ? () => false : picomatch(exclude, { dot: true });
        // Like .gitignore, `P/**` means what lies under a directory P, not a file named P.
        const contentsOf = exclude.filter((g) => g.endsWith('/**')).map((g) => [picomatch(g, { dot: true }), picomatch(g.slice(0, -3), { dot: true })] as const);
        const fileExcludes = exclude.filter((g) => !g.endsWith('/**'));
        const fileExcluded = (file: string) =>
          (fileExcludes.length > 0 && picomatch(fileExcludes, { dot: true })(file)) || contentsOf.some(([all, self]) => all(file) && !self(file));
        for (const segments of paths) {
          const file = segments.join('/');
          const ancestors = segments.slice(0, -1).map((_, i) => segments.slice(0, i + 1).join('/'));
          const walked = ancestors.every((dir) => filter.entersDirectory(dir)) && filter.includesFile(file);
          const naive = ancestors.every((dir) => !naiveExclude(dir) && !naiveExclude(`${dir}/`)) && naiveInclude(file) && !fileExcluded(file);
          expect(walked, `${file} with include ${include} exclude ${exclude}`).toBe(naive);
        }
      }),
      { numRuns: 300 },
    );
  });
});
