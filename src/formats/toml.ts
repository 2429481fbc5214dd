import { parse, TomlDate, TomlError } from 'smol-toml';
import { createMap, DateTime, type Value, type ValueMap } from '../core/value.js';
import { formatResult, type FormatResult } from './format-result.js';

// smol-toml's messages are fixed phrases followed by a quoted excerpt of the file;
// only a phrase from this list is ever shown, so no excerpt (and no value) can leak.
const KNOWN_PHRASES = new Set([
  'document contains excessively nested structures. aborting.',
  'invalid value',
  'illegal leading zero',
  'illegal underscore',
  'illegal character in numeric literal',
  'unfinished numeric value',
  'integer value cannot be represented losslessly',
  'invalid date-time: date part is malformed',
  'invalid date-time: time part is malformed',
  'invalid date',
  'expected end of table array declaration',
  'each key-value declaration must be followed by an end-of-line',
  'control characters are not allowed in strings',
  'invalid non-hex character in unicode escape',
  'invalid unicode escape',
  'unrecognised escape sequence',
  'invalid escape: only line-ending whitespace may be escaped',
  'unfinished string',
  'unexpected end of key',
  'illegal empty bare key',
  'illegal quoted key: multiline strings are not allowed',
  'illegal character in key',
  'incomplete key-value: cannot find end of key',
  'expected comma or end of structure',
  'unfinished table',
  'unfinished array',
  'control characters are not allowed in comments',
  'document contains an unsafe property',
]);

const REDEFINED = /^trying to redefine an already defined (value|table or value)$/;

/**
 * Parses TOML: every integer a `bigint`, floats (`inf`, `nan` too) numbers,
 * dates and times as `DateTime` of their own kind, so a local time stays local.
 *
 * @example
 * parseToml('port = 8080\nat = 07:30:00\n').document
 * // { port: 8080n, at: DateTime('local-time', '07:30:00') }
 */
export function parseToml(text: string): FormatResult {
  try {
    return formatResult(normalize(parse(text, { integersAsBigInt: true })), []);
  } catch (error) {
    if (!(error instanceof TomlError)) {
      return { problems: [{ code: 'PARSE_ERROR', message: 'expected valid TOML, the parser gave up' }] };
    }
    const { line, column } = error;
    const phrase = libraryPhrase(error);
    const duplicate = REDEFINED.test(phrase);
    const words = duplicate ? 'expected each key and table once, found one defined again'
      : KNOWN_PHRASES.has(phrase) ? `expected valid TOML, found: ${phrase}` : 'expected valid TOML';
    return {
      problems: [{
        code: duplicate ? 'PARSE_DUPLICATE_KEY' : 'PARSE_ERROR',
        message: `${words} at line ${line}, column ${column}`,
        line,
        column,
      }],
    };
  }
}

/** The library's own phrase: its message without the "Invalid TOML document: " prefix and the excerpt. */
function libraryPhrase(error: TomlError): string {
  const message = error.message.startsWith('Invalid TOML document: ') ? error.message.slice(23) : error.message;
  const cut = message.indexOf('\n');
  return cut === -1 ? message : message.slice(0, cut);
}

// smol-toml already builds null-prototype tables and plain arrays: only dates need replacing,
// so the tree is fixed up in place instead of copied (half the cost on a large file).
function normalize(value: unknown): Value {
  if (value instanceof TomlDate) return dateTime(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = normalize(value[i]);
    return value as Value[];
  }
  if (typeof value !== 'object' || value === null) return value as Value;
  const table = Object.getPrototypeOf(value) === null ? (value as ValueMap) : createMap(Object.entries(value));
  for (const key in table) table[key] = normalize(table[key]);
  return table;
}

function dateTime(date: TomlDate): DateTime {
  // Whole seconds read without a `.000` the file never had.
  const text = date.toISOString().replace(/\.000(?=$|Z|[+-])/, '');
  if (date.isDate()) return new DateTime('local-date', text);
  if (date.isTime()) return new DateTime('local-time', text);
  return new DateTime(date.isLocal() ? 'local-datetime' : 'offset-datetime', text);
}
