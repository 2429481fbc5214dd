import picomatch from 'picomatch';

/** Decides, by relative path, what a scan visits. */
export interface PathFilter {
  /** A file or symlink at this relative path, inside directories the walk entered, is recorded. */
  includesFile(file: string): boolean;
  /** A directory at this relative path is descended into. */
  entersDirectory(dir: string): boolean;
}

const everything: PathFilter = { includesFile: () => true, entersDirectory: () => true };

/**
 * Compile include and exclude globs (relative to the root, `/` separators,
 * dotfiles matched) once. With no globs at all the filter does no matching,
 * so a plain scan pays nothing per file. An empty `include` means every file.
 * An exclude ending in `/**` (`**\/.git/**`, `**\/node_modules/**`) is only
 * tested on directories: any file it matches lies under a directory it
 * matches, which the walk never entered, so testing files again is waste.
 *
 * @example
 * const filter = compilePathFilter([], ['**\/node_modules/**']);
 * filter.entersDirectory('web/node_modules'); // false
 */
export function compilePathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  if (include.length === 0 && exclude.length === 0) return everything;
  const options = { dot: true };
  const included = include.length === 0 ? null : picomatch([...include], options);
  const fileExcludes = exclude.filter((glob) => !glob.endsWith('/**'));
  const excludedFile = fileExcludes.length === 0 ? null : picomatch(fileExcludes, options);
  const excludedDir = exclude.length === 0 ? null : picomatch([...exclude], options);
  return {
    includesFile: (file) => (included === null || included(file)) && (excludedFile === null || !excludedFile(file)),
    // `dir/` too, so that `a/**`, `a/*/**` and `cache/` prune the directory itself.
    entersDirectory: (dir) => excludedDir === null || !(excludedDir(dir) || excludedDir(`${dir}/`)),
  };
}
