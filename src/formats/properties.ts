import { parseLines } from 'dot-properties';
import { toPointer } from '../core/pointer.js';
import { createMap } from '../core/value.js';
import type { FileProblem } from './format.js';
import { formatResult, type FormatResult } from './format-result.js';

/**
 * Parses a Java properties file into a flat map of strings (keys are not
 * split on dots; escapes and continuation lines are resolved). A key that
 * appears twice is a problem with the line of the repeat, where Java would
 * silently keep the last one.
 *
 * @example
 * parseProperties('db.url = jdbc:x\ndb.pool: 5\n').document
 * // { 'db.url': 'jdbc:x', 'db.pool': '5' }
 */
export function parseProperties(text: string): FormatResult {
  const problems: FileProblem[] = [];
  const map = createMap();
  let nodes;
  try {
    nodes = parseLines(text, true);
  } catch {
    return { problems: [{ code: 'PARSE_ERROR', message: 'expected a valid properties file, the parser gave up' }] };
  }
  // Nodes come in file order, so line numbers are counted once, moving forward.
  let counted = 0;
  let line = 1;
  for (const node of nodes) {
    if (node.type !== 'PAIR' || !('key' in node)) continue;
    const pair = node as typeof node & { key: string; value: string };
    // Java reads the last of repeated keys; the same value twice (shipped by real packages) changes nothing.
    if (Object.hasOwn(map, pair.key) && map[pair.key] !== pair.value) {
      const start = pair.range[0];
      for (let i = text.indexOf('\n', counted); i !== -1 && i < start; i = text.indexOf('\n', i + 1)) line++;
      counted = start;
      const key = toPointer([pair.key]);
      problems.push({
        code: 'PARSE_DUPLICATE_KEY',
        message: `expected each key once, found ${key} again at line ${line}`,
        line,
        key,
      });
    }
    map[pair.key] = pair.value;
  }
  return formatResult(map, problems);
}
