import type { Value } from '../core/value.js';
import type { FileProblem } from './format.js';

/**
 * What every format module returns: a document, or the problems that kept
 * the text from being one. `document` is absent whenever `problems` is not
 * empty, so a half-read file never replaces the last good snapshot.
 */
export interface FormatResult {
  document?: Value;
  problems: FileProblem[];
}

/** The result for a parse: the document only when nothing went wrong. */
export function formatResult(document: Value, problems: FileProblem[]): FormatResult {
  return problems.length === 0 ? { document, problems } : { problems };
}
