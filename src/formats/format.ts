import type { Value } from '../core/value.js';
import type { Problem } from '../core/problem.js';

/** Every format a file can be read as. `binary` is chosen by content, never by name. */
export const FORMAT_NAMES = ['json', 'jsonc', 'yaml', 'toml', 'ini', 'dotenv', 'properties', 'xml', 'text', 'binary'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** A problem inside one file: the caller knows which file. */
export type FileProblem = Omit<Problem, 'file'>;

/** How the bytes were encoded; differences here are one `metadata` change each. */
export interface Encoding {
  /** The file starts with a UTF-8 byte order mark. */
  bom: boolean;
  /** Line endings: `none` for a file without any line break. */
  eol: 'lf' | 'crlf' | 'mixed' | 'none';
}

export interface ParsedFile {
  format: FormatName;
  /** The normalised document; absent when the file could not be read as its format. */
  document?: Value;
  problems: FileProblem[];
  encoding: Encoding;
}
