import type { Encoding, FileProblem } from './format.js';

/** The text a parser sees, and how the bytes held it. */
export interface DecodedText {
  /** BOM stripped, every CRLF turned into LF. */
  text: string;
  encoding: Encoding;
  /** A PARSE_ENCODING problem when the bytes are not valid UTF-8 (and no fallback applies). */
  problem?: FileProblem;
}

export interface DecodeOptions {
  /** Read bytes that are not valid UTF-8 as ISO-8859-1 instead of reporting them (Java properties). */
  latin1Fallback?: boolean;
}

const BINARY_SNIFF_BYTES = 8192;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const latin1 = new TextDecoder('latin1');

/**
 * True when the bytes hold a NUL in their first 8 KiB: such a file is compared by hash.
 *
 * @example isBinary(new Uint8Array([0x61, 0x00])) // true
 */
export function isBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  return bytes.subarray(0, end).indexOf(0) !== -1;
}

/**
 * Bytes to parser-ready text: strips a UTF-8 BOM, records and normalises line
 * endings, so no parsed value ever carries a trailing `\r`.
 *
 * @example
 * decodeText(new TextEncoder().encode('\uFEFFa=1\r\n'))
 * // { text: 'a=1\n', encoding: { bom: true, eol: 'crlf' } }
 */
export function decodeText(bytes: Uint8Array, options: DecodeOptions = {}): DecodedText {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  let raw: string;
  try {
    raw = utf8.decode(body);
  } catch {
    if (options.latin1Fallback) {
      raw = latin1.decode(body);
    } else {
      const offset = firstInvalidUtf8(body);
      const position = bytePosition(body, offset);
      return {
        text: '',
        encoding: { bom, eol: detectEol(latin1.decode(body)) },
        problem: {
          code: 'PARSE_ENCODING',
          message: `expected UTF-8 text, found a byte sequence that is not UTF-8 at line ${position.line}, column ${position.column}`,
          ...position,
        },
      };
    }
  }
  const eol = detectEol(raw);
  const text = eol === 'crlf' || eol === 'mixed' ? raw.replaceAll('\r\n', '\n') : raw;
  return { text, encoding: { bom, eol } };
}

function detectEol(text: string): Encoding['eol'] {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
    // Both kinds seen: the answer cannot change any more.
    if (crlf > 0 && lf > 0) return 'mixed';
  }
  if (crlf > 0) return 'crlf';
  return lf > 0 ? 'lf' : 'none';
}

/** Offset of the first byte that breaks UTF-8 (only called once decoding has failed). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) { i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(10); i !== -1 && i < offset; i = bytes.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
