import picomatch from 'picomatch';

/** Decides, by relative path, what a scan visits. */
export interface PathFilter {
  /** A file or symlink at this relative path is recorded. */
  includesFile(file: string): boolean;
  /** A directory at this relative path is descended into. */
  entersDirectory(dir: string): boolean;
}

const everything: PathFilter = { includesFile: () => true, entersDirectory: () => true };

/**
 * Compile include and exclude globs (relative to the root, `/` separators,
 * dotfiles matched) once. With no globs at all the filter does no matching,
 * so a plain scan pays nothing per file. An empty `include` means every file.
 *
 * @example
 * const filter = compilePathFilter([], ['**\/node_modules/**']);
 * filter.entersDirectory('web/node_modules'); // false
 */
export function compilePathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  if (include.length === 0 && exclude.length === 0) return everything;
  const options = { dot: true };
  const included = include.length === 0 ? null : picomatch([...include], options);
  const excluded = exclude.length === 0 ? null : picomatch([...exclude], options);
  return {
    includesFile: (file) => (included === null || included(file)) && (excluded === null || !excluded(file)),
    // `dir/` too, so that an exclude written for a directory's contents (`a/**`) prunes `a` itself.
    entersDirectory: (dir) => excluded === null || !(excluded(dir) || excluded(`${dir}/`)),
  };
}
