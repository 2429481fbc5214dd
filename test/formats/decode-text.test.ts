import { describe, expect, it } from 'vitest';
import { decodeText, isBinary } from '../../src/formats/decode-text.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('decodeText', () => {
  it('strips a UTF-8 BOM and records it (B06)', () => {
    const decoded = decodeText(bytes('\uFEFFa=1\n'));
    expect(decoded.text).toBe('a=1\n');
    expect(decoded.encoding).toEqual({ bom: true, eol: 'lf' });
    expect(decoded.problem).toBeUndefined();
  });

  it('keeps a BOM-less file as it is', () => {
    expect(decodeText(bytes('a=1\n'))).toEqual({ text: 'a=1\n', encoding: { bom: false, eol: 'lf' } });
  });

  it('normalises CRLF to LF before any parser sees the text (B07)', () => {
    const decoded = decodeText(bytes('a=1\r\nb=2\r\n'));
    expect(decoded.text).toBe('a=1\nb=2\n');
    expect(decoded.encoding.eol).toBe('crlf');
  });

  it('detects mixed, LF-only and absent line endings', () => {
    expect(decodeText(bytes('a\r\nb\nc')).encoding.eol).toBe('mixed');
    expect(decodeText(bytes('a\r\nb\nc')).text).toBe('a\nb\nc');
    expect(decodeText(bytes('a\nb')).encoding.eol).toBe('lf');
    expect(decodeText(bytes('a')).encoding.eol).toBe('none');
    expect(decodeText(bytes('')).encoding).toEqual({ bom: false, eol: 'none' });
  });

  it('leaves a lone carriage return alone', () => {
    expect(decodeText(bytes('a\rb')).text).toBe('a\rb');
  });

  it('reports bytes that are not UTF-8 as PARSE_ENCODING with their position', () => {
    const decoded = decodeText(new Uint8Array([0x61, 0x0a, 0x62, 0x63, 0xff, 0x0a]));
    expect(decoded.problem).toMatchObject({ code: 'PARSE_ENCODING', line: 2, column: 3 });
  });

  it('finds a truncated multi-byte sequence and a surrogate encoded in UTF-8', () => {
    expect(decodeText(new Uint8Array([0x61, 0xe2, 0x82])).problem).toMatchObject({ line: 1, column: 2 });
    expect(decodeText(new Uint8Array([0xed, 0xa0, 0x80])).problem).toMatchObject({ line: 1, column: 1 });
  });

  it('falls back to ISO-8859-1 when asked (Java properties)', () => {
    const decoded = decodeText(new Uint8Array([0x6b, 0x3d, 0xe9, 0x0d, 0x0a]), { latin1Fallback: true });
    expect(decoded.problem).toBeUndefined();
    expect(decoded.text).toBe('k=\u00e9\n');
    expect(decoded.encoding.eol).toBe('crlf');
  });

  it('still reads valid UTF-8 as UTF-8 when the fallback is allowed', () => {
    expect(decodeText(bytes('k=\u00e9'), { latin1Fallback: true }).text).toBe('k=\u00e9');
  });
});

describe('isBinary', () => {
  it('is true for a NUL byte in the first 8 KiB (B26)', () => {
    expect(isBinary(bytes('a=1\u0000\u0001\n'))).toBe(true);
    expect(isBinary(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]))).toBe(true);
  });

  it('is false for text, and for a NUL byte only after the first 8 KiB', () => {
    expect(isBinary(bytes('plain text\n'))).toBe(false);
    expect(isBinary(new Uint8Array(0))).toBe(false);
    const late = new Uint8Array(9000).fill(0x61);
    late[8500] = 0;
    expect(isBinary(late)).toBe(false);
    late[8191] = 0;
    expect(isBinary(late)).toBe(true);
  });
});
