import { toPointer } from '../core/pointer.js';
import { createMap, type Value, type ValueMap } from '../core/value.js';
import type { FileProblem } from './format.js';
import { formatResult, type FormatResult } from './format-result.js';

export interface IniOptions {
  /** Section names that are a list even when they occur once (default: WireGuard's `Peer`). */
  listSections?: readonly string[];
  /** Keys that are a list even when they occur once in a section (default: php.ini's extensions). */
  listKeys?: readonly string[];
}

export const DEFAULT_LIST_SECTIONS: readonly string[] = ['Peer'];
export const DEFAULT_LIST_KEYS: readonly string[] = ['extension', 'zend_extension'];

/*
 * How repeats are represented, and the trade-off.
 *
 * A section that occurs more than once is a list of maps (`/Peer/0`, `/Peer/1`), and a key that
 * occurs more than once in one section is a list of values. A section or key that occurs once is
 * a plain map or string, so the paths a user reads for an ordinary file stay `/paths/search`,
 * never `/paths/0/search`.
 *
 * The cost: a list and a map do not compare element by element, so for a name that may repeat,
 * going from one occurrence to two (or back) would be a change of the whole value instead of one
 * `added` or `removed`. Names known to repeat (`listSections`, `listKeys`, with defaults for the
 * common cases) are therefore a list even when they occur once: one `[Peer]` is `/Peer/0`, a
 * second is one `added` at `/Peer/1`, and deleting it again is one `removed` at `/Peer/1`. For an
 * unlisted name that starts repeating, the change is still reported, as one `modified` of the
 * whole section; listing the name makes it element by element.
 */

/**
 * Parses an INI file: `[Section]` maps, keys before any section at the top
 * level, values as trimmed strings (`;` and `#` inside a value are kept; only
 * whole comment lines are skipped), a bare key without `=` is `null`.
 *
 * Hand-written: no INI library keeps line numbers, lists repeated sections and
 * leaves `search=/a;/b` whole.
 *
 * @example
 * parseIni('[Peer]\nPublicKey=A\n[paths]\nsearch=/a;/b\n').document
 * // { Peer: [{ PublicKey: 'A' }], paths: { search: '/a;/b' } }
 */
export function parseIni(text: string, options: IniOptions = {}): FormatResult {
  const listSections = new Set(options.listSections ?? DEFAULT_LIST_SECTIONS);
  const listKeys = new Set(options.listKeys ?? DEFAULT_LIST_KEYS);
  const problems: FileProblem[] = [];
  const top = createMap();
  const occurrences = new Map<string, ValueMap[]>();
  let current = top;
  const sectionLine = new Map<string, number>();

  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const line = lines[index]!.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      const close = line.indexOf(']');
      const rest = close === -1 ? '' : line.slice(close + 1).trim();
      const name = close === -1 ? '' : line.slice(1, close).trim();
      if (close === -1 || name === '' || (rest !== '' && !rest.startsWith(';') && !rest.startsWith('#'))) {
        problems.push({
          code: 'PARSE_ERROR',
          message: `expected a section header such as [name] (closed by ], followed by nothing or a comment) at line ${lineNumber}`,
          line: lineNumber,
        });
        continue;
      }
      current = createMap();
      const seen = occurrences.get(name);
      if (seen) seen.push(current);
      else occurrences.set(name, [current]);
      if (!sectionLine.has(name)) sectionLine.set(name, lineNumber);
      continue;
    }
    const eq = line.indexOf('=');
    const key = eq === -1 ? line : line.slice(0, eq).trimEnd();
    if (key === '') {
      problems.push({ code: 'PARSE_ERROR', message: `expected a key before = at line ${lineNumber}`, line: lineNumber });
      continue;
    }
    const value: Value = eq === -1 ? null : line.slice(eq + 1).trim();
    // Parsed values are strings or null, so an array here can only be the list of a repeated key.
    const earlier = current[key];
    if (earlier === undefined) current[key] = listKeys.has(key) ? [value] : value;
    else if (Array.isArray(earlier)) earlier.push(value);
    else current[key] = [earlier, value];
  }

  for (const [name, maps] of occurrences) {
    if (Object.hasOwn(top, name)) {
      const line = sectionLine.get(name)!;
      const key = toPointer([name]);
      problems.push({
        code: 'PARSE_DUPLICATE_KEY',
        message: `expected a section name that differs from every top-level key, found ${key} as both at line ${line}`,
        line,
        key,
      });
      continue;
    }
    top[name] = maps.length > 1 || listSections.has(name) ? maps : maps[0]!;
  }
  return formatResult(top, problems);
}
