import type { FormatResult } from './format-result.js';

/**
 * Any other file: its lines, compared as a list (so an inserted line is one
 * `added`). The final newline ends the last line; it does not start a new one.
 *
 * @example
 * parseText('a\nb\n').document  // ['a', 'b']
 * parseText('').document        // []
 */
export function parseText(text: string): FormatResult {
  if (text === '') return { document: [], problems: [] };
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return { document: lines, problems: [] };
}
