import { printParseErrorCode, visit, type ParseErrorCode } from 'jsonc-parser';
import { toPointer, type Segment } from '../core/pointer.js';
import { createMap, type Value, type ValueMap } from '../core/value.js';
import type { FileProblem } from './format.js';
import { formatResult, type FormatResult } from './format-result.js';

export interface JsonOptions {
  /** JSON with comments (tsconfig, VS Code settings): comments and trailing commas allowed, empty text is `null`. */
  jsonc?: boolean;
}

// Each jsonc-parser error code, as "expected ..." / "found ..." words; never the text itself.
const ERROR_WORDS: Readonly<Record<string, string>> = {
  InvalidSymbol: 'expected a JSON value, found an invalid symbol',
  InvalidNumberFormat: 'expected a number, found a malformed number',
  PropertyNameExpected: 'expected a property name in double quotes (a trailing comma?)',
  ValueExpected: 'expected a value (a trailing comma, or an empty file?)',
  ColonExpected: 'expected a colon after the property name',
  CommaExpected: 'expected a comma between entries',
  CloseBraceExpected: 'expected a closing brace',
  CloseBracketExpected: 'expected a closing bracket',
  EndOfFileExpected: 'expected the end of the file after the value',
  InvalidCommentToken: 'expected no comments (comments are not allowed in JSON)',
  UnexpectedEndOfComment: 'expected the end of a block comment',
  UnexpectedEndOfString: 'expected the end of a string',
  UnexpectedEndOfNumber: 'expected more digits in a number',
  InvalidUnicode: 'expected four hex digits in a unicode escape',
  InvalidEscapeCharacter: 'expected a valid escape sequence in a string',
  InvalidCharacter: 'expected no control characters in a string',
};

interface Frame {
  container: ValueMap | Value[];
  /** Property names already seen in this object, for duplicate detection. */
  seen?: Set<string>;
  path: Segment[];
}

/**
 * Parses JSON (strict) or JSONC without losing integer digits: integers become
 * `bigint`, numbers written with `.`, `e` or `E` become floats.
 *
 * @example
 * parseJson('{"id": 9007199254740993, "ratio": 1.0}').document
 * // { id: 9007199254740993n, ratio: 1 }
 */
export function parseJson(text: string, options: JsonOptions = {}): FormatResult {
  const jsonc = options.jsonc === true;
  const problems: FileProblem[] = [];
  const stack: Frame[] = [];
  let root: Value | undefined;
  let pendingKey = '';

  const place = (value: Value): void => {
    const top = stack[stack.length - 1];
    if (!top) root = value;
    else if (Array.isArray(top.container)) top.container.push(value);
    else top.container[pendingKey] = value;
  };
  const childPath = (): Segment[] => {
    const top = stack[stack.length - 1];
    if (!top) return [];
    return [...top.path, Array.isArray(top.container) ? top.container.length : pendingKey];
  };
  const open = (container: ValueMap | Value[], seen?: Set<string>): void => {
    const path = childPath();
    place(container);
    stack.push(seen ? { container, seen, path } : { container, path });
  };

  visit(text, {
    onObjectBegin: () => open(createMap(), new Set()),
    onArrayBegin: () => open([]),
    onObjectEnd: () => void stack.pop(),
    onArrayEnd: () => void stack.pop(),
    onObjectProperty: (name, _offset, _length, line, character) => {
      const top = stack[stack.length - 1];
      if (top?.seen?.has(name)) {
        const key = toPointer([...top.path, name]);
        problems.push({
          code: 'PARSE_DUPLICATE_KEY',
          message: `expected each key once per object, found ${key} again at line ${line + 1}`,
          line: line + 1,
          column: character + 1,
          key,
        });
      }
      top?.seen?.add(name);
      pendingKey = name;
    },
    onLiteralValue: (value: unknown, offset, length) => {
      if (typeof value === 'number') place(numberValue(text.slice(offset, offset + length)));
      else place(value as Value);
    },
    onError: (error: ParseErrorCode, _offset, _length, line, character) => {
      const name = printParseErrorCode(error);
      problems.push({
        code: 'PARSE_ERROR',
        message: `${ERROR_WORDS[name] ?? 'expected valid JSON'} at line ${line + 1}, column ${character + 1}`,
        line: line + 1,
        column: character + 1,
      });
    },
  }, { disallowComments: !jsonc, allowTrailingComma: jsonc, allowEmptyContent: jsonc });

  return formatResult(root ?? null, problems);
}

/** The literal's own digits decide the kind: `1` is an integer, `1.0` and `1e0` are floats. */
function numberValue(literal: string): Value {
  if (/[.eE]/.test(literal)) return Number(literal);
  try {
    return BigInt(literal);
  } catch {
    // Only reachable for a malformed literal, which is also reported as an error.
    return Number(literal);
  }
}
