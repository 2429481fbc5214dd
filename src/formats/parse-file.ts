import { decodeText, isBinary } from './decode-text.js';
import { parseDotenv } from './dotenv.js';
import type { Encoding, FileProblem, FormatName, ParsedFile } from './format.js';
import type { FormatResult } from './format-result.js';
import { parseIni } from './ini.js';
import { parseJson } from './json.js';
import { parseProperties } from './properties.js';
import { parseText } from './text.js';
import { parseToml } from './toml.js';
import { parseXml } from './xml.js';
import { parseYaml } from './yaml.js';

export interface ParseFileOptions {
  /** YAML alias expansion budget, as a multiple of the document's written size (default 100). */
  maxAliasCount?: number;
  /** INI section names that are a list even when they occur once (default `['Peer']`). */
  iniListSections?: readonly string[];
  /** INI keys that are a list even when they occur once (default `['extension', 'zend_extension']`). */
  iniListKeys?: readonly string[];
}

const NO_ENCODING: Encoding = { bom: false, eol: 'none' };

/**
 * Bytes of one file to its normalised document. A NUL byte in the first
 * 8 KiB makes the file `binary` whatever its name (no document, no problem:
 * it is compared by hash). Whenever there is a problem there is no document,
 * so the caller keeps the file's last good snapshot.
 *
 * @example
 * parseFile(bytes, formatForFile('config/app.yaml'))
 * // { format: 'yaml', document: { port: 8080n }, problems: [], encoding: { bom: false, eol: 'lf' } }
 */
export function parseFile(bytes: Uint8Array, format: FormatName, options: ParseFileOptions = {}): ParsedFile {
  if (format === 'binary' || isBinary(bytes)) return { format: 'binary', problems: [], encoding: NO_ENCODING };
  const decoded = decodeText(bytes, { latin1Fallback: format === 'properties' });
  const { encoding } = decoded;
  if (decoded.problem) return { format, problems: [decoded.problem], encoding };
  let result: FormatResult;
  try {
    result = parseAs(decoded.text, format, options);
  } catch {
    // A parser bug must stay one file's problem; its message could quote the file, so it is not shown.
    result = { problems: [{ code: 'PARSE_ERROR', message: `expected a readable ${format} file, the parser failed unexpectedly` }] };
  }
  if (result.problems.length > 0) return { format, problems: distinct(result.problems), encoding };
  return { format, document: result.document ?? null, problems: [], encoding };
}

function parseAs(text: string, format: Exclude<FormatName, 'binary'>, options: ParseFileOptions): FormatResult {
  switch (format) {
    case 'json': return parseJson(text);
    case 'jsonc': return parseJson(text, { jsonc: true });
    case 'yaml': return parseYaml(text, options.maxAliasCount === undefined ? {} : { maxAliasCount: options.maxAliasCount });
    case 'toml': return parseToml(text);
    case 'ini': return parseIni(text, {
      ...(options.iniListSections ? { listSections: options.iniListSections } : {}),
      ...(options.iniListKeys ? { listKeys: options.iniListKeys } : {}),
    });
    case 'dotenv': return parseDotenv(text);
    case 'properties': return parseProperties(text);
    case 'xml': return parseXml(text);
    case 'text': return parseText(text);
  }
}

// One mistake can trip a parser twice at the same place (a trailing comma in JSON): report it once.
function distinct(problems: FileProblem[]): FileProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const at = `${p.code}:${p.line ?? ''}:${p.column ?? ''}`;
    return !seen.has(at) && seen.add(at) !== undefined;
  });
}
