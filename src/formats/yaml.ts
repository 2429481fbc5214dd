import { LineCounter, parseAllDocuments, type YAMLError } from 'yaml';
import type { Value } from '../core/value.js';
import type { FileProblem } from './format.js';
import { formatResult, type FormatResult } from './format-result.js';
import { yamlToValue } from './yaml-to-value.js';

export interface YamlOptions {
  /** Alias expansion budget, as a multiple of the document's written size (default 100). */
  maxAliasCount?: number;
}

export const DEFAULT_MAX_ALIAS_COUNT = 100;

// YAML 1.2 core schema: `no`, `on`, `yes` stay strings. Duplicate keys are found
// while converting (after keys take their string form), so the library does not
// report them a second time. prettyErrors is off: its messages quote the source.
const PARSE_OPTIONS = {
  version: '1.2',
  schema: 'core',
  intAsBigInt: true,
  merge: true,
  uniqueKeys: false,
  prettyErrors: false,
  resolveKnownTags: false,
} as const;

// The yaml library's error codes in words; its own messages may quote the file, so they are never shown.
const ERROR_WORDS: Readonly<Record<string, string>> = {
  ALIAS_PROPS: 'expected an alias without an anchor or a tag',
  BAD_ALIAS: 'expected a valid alias name',
  BAD_DIRECTIVE: 'expected a valid %YAML or %TAG directive',
  BAD_DQ_ESCAPE: 'expected a valid escape sequence in a double-quoted string',
  BAD_INDENT: 'expected consistent indentation (or a missing closing bracket)',
  BAD_PROP_ORDER: 'expected the anchor and tag before the value',
  BAD_SCALAR_START: 'expected a value, found a character that cannot start a plain value',
  BLOCK_AS_IMPLICIT_KEY: 'expected a simple key, found a block value',
  BLOCK_IN_FLOW: 'expected flow content inside [ ] or { }, found block content',
  DUPLICATE_KEY: 'expected each key once per map, found it again',
  KEY_OVER_1024_CHARS: 'expected an implicit key of at most 1024 characters',
  MISSING_CHAR: 'expected a closing quote, bracket or brace, found none',
  MULTILINE_IMPLICIT_KEY: 'expected an implicit key on one line',
  MULTIPLE_ANCHORS: 'expected at most one anchor per value',
  MULTIPLE_DOCS: 'expected one document',
  MULTIPLE_TAGS: 'expected at most one tag per value',
  TAB_AS_INDENT: 'expected spaces for indentation, found a tab',
  TAG_RESOLVE_FAILED: 'expected a value that matches its tag',
  UNEXPECTED_TOKEN: 'expected valid YAML, found an unexpected token',
  BAD_COLLECTION_TYPE: 'expected a collection that matches its tag',
  RESOURCE_EXHAUSTION: 'expected a document within the parser limits, found one beyond them',
};

/**
 * Parses a YAML stream. One document is that document; several are a list of
 * documents (an empty one is `null`); no document at all is `null`.
 *
 * @example
 * parseYaml('kind: A\n---\n---\nkind: B\n').document  // [{ kind: 'A' }, null, { kind: 'B' }]
 * parseYaml('on: [no]\n').document                     // { on: ['no'] }
 */
export function parseYaml(text: string, options: YamlOptions = {}): FormatResult {
  const maxAliasCount = options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT;
  const lineCounter = new LineCounter();
  const problems: FileProblem[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter });
  } catch {
    return { problems: [{ code: 'PARSE_ERROR', message: 'expected valid YAML, the parser gave up' }] };
  }
  const values: Value[] = [];
  const many = docs.length > 1;
  docs.forEach((doc, index) => {
    for (const error of doc.errors) problems.push(toProblem(error, lineCounter));
    if (doc.errors.length > 0) return;
    values.push(yamlToValue(doc.contents, problems, { lineCounter, basePath: many ? [index] : [], maxAliasCount }));
  });
  return formatResult(many ? values : (values[0] ?? null), problems);
}

function toProblem(error: YAMLError, lineCounter: LineCounter): FileProblem {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  const code = error.code === 'DUPLICATE_KEY' ? 'PARSE_DUPLICATE_KEY'
    : error.code === 'RESOURCE_EXHAUSTION' ? 'PARSE_ALIAS_LIMIT' : 'PARSE_ERROR';
  const words = ERROR_WORDS[error.code] ?? 'expected valid YAML';
  return { code, message: `${words} (YAML ${error.code}) at line ${line}, column ${col}`, line, column: col };
}
