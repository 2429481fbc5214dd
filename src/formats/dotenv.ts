import { toPointer } from '../core/pointer.js';
import { createMap } from '../core/value.js';
import type { FileProblem } from './format.js';
import { formatResult, type FormatResult } from './format-result.js';

const KEY = /^[\w.-]+$/;
const EXPORT = /^export[ \t]+/;
const AFTER_QUOTE = /^[ \t]*(#.*)?$/;
const INLINE_COMMENT = /[ \t]#/;
const ESCAPE = /\\([nrt"\\])/g;
const ESCAPED: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/**
 * Parses a dotenv file into a flat map of strings: `export ` is ignored;
 * unquoted values end at ` #` and are trimmed; single quotes and backticks
 * are literal; double quotes expand `\n \t \r \" \\`; quoted values may span
 * lines. Problems name the line, never its content.
 *
 * Hand-written: the dotenv package reports neither positions nor problems.
 *
 * @example
 * parseDotenv('export PORT=8000\nTOKEN=\'ab#cd\'\nNOTE=hi # old\n').document
 * // { PORT: '8000', TOKEN: 'ab#cd', NOTE: 'hi' }
 */
export function parseDotenv(text: string): FormatResult {
  const problems: FileProblem[] = [];
  const map = createMap();
  const fail = (code: FileProblem['code'], words: string, line: number, key?: string): void => {
    problems.push({ code, message: `${words} at line ${line}`, line, ...(key === undefined ? {} : { key }) });
  };
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    const startLine = line;
    const raw = text.slice(pos, end);
    const trimmed = raw.trimStart();
    // Unless a quoted value runs on, the next entry starts on the next line.
    let next = end + 1;
    let consumed = 0;
    const body = trimmed.replace(EXPORT, '');
    const eq = body.indexOf('=');
    if (trimmed === '' || trimmed.startsWith('#')) {
      // blank line or comment: nothing to read
    } else if (eq === -1) {
      fail('PARSE_ERROR', 'expected KEY=value, found a line without =', startLine);
    } else if (!KEY.test(body.slice(0, eq).trim())) {
      fail('PARSE_ERROR', 'expected a key made of letters, digits, _ . or - before =', startLine);
    } else {
      const key = body.slice(0, eq).trim();
      const valueStart = pos + (raw.length - body.length) + eq + 1;
      let i = valueStart;
      while (text[i] === ' ' || text[i] === '\t') i++;
      const quote = text[i];
      let value: string;
      if (quote === '"' || quote === "'" || quote === '`') {
        const close = closingQuote(text, i);
        if (close === -1) {
          fail('PARSE_ERROR', `expected a closing ${quote} for the value opened`, startLine, toPointer([key]));
          break;
        }
        const inner = text.slice(i + 1, close);
        value = quote === '"' ? inner.replace(ESCAPE, (_, c: string) => ESCAPED[c]!) : inner;
        for (let n = inner.indexOf('\n'); n !== -1; n = inner.indexOf('\n', n + 1)) consumed++;
        let after = text.indexOf('\n', close);
        if (after === -1) after = text.length;
        if (!AFTER_QUOTE.test(text.slice(close + 1, after))) {
          fail('PARSE_ERROR', 'expected only a comment after the closing quote, found more text', startLine + consumed, toPointer([key]));
        }
        next = after + 1;
      } else {
        // Searched from just after `=`, so `A= # note` is empty while `A=#x` is "#x".
        const rest = text.slice(valueStart, end);
        const comment = rest.search(INLINE_COMMENT);
        value = (comment === -1 ? rest : rest.slice(0, comment)).trim();
      }
      if (Object.hasOwn(map, key)) {
        const pointer = toPointer([key]);
        fail('PARSE_DUPLICATE_KEY', `expected each key once, found ${pointer} again`, startLine, pointer);
      }
      map[key] = value;
    }
    pos = next;
    line = startLine + consumed + 1;
  }
  return formatResult(map, problems);
}

/** Offset of the quote that closes the one at `open`; in double quotes `\"` does not close. */
function closingQuote(text: string, open: number): number {
  const quote = text[open]!;
  if (quote !== '"') return text.indexOf(quote, open + 1);
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i;
  }
  return -1;
}
