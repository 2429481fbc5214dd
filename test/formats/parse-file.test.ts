import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMap, valuesEqual } from '../../src/core/value.js';
import type { FormatName } from '../../src/formats/format.js';
import { formatForFile } from '../../src/formats/format-for-file.js';
import { parseFile } from '../../src/formats/parse-file.js';

const fixtures = fileURLToPath(new URL('../fixtures/formats/', import.meta.url));
const fixture = (path: string): Uint8Array => readFileSync(fixtures + path);
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const parse = (text: string, format: FormatName) => parseFile(bytes(text), format);

describe('parseFile', () => {
  it('B26: a file with a NUL byte is binary whatever its name: no document, no problem', () => {
    for (const name of ['bad.conf', 'logo.png']) {
      for (const side of ['before', 'after']) {
        const parsed = parseFile(fixture(`B26-binary-files/${side}/${name}`), formatForFile(name));
        expect(parsed).toMatchObject({ format: 'binary', problems: [] });
        expect(parsed.document).toBeUndefined();
      }
    }
    expect(parse('{"a": 1}\u0000', 'json')).toMatchObject({ format: 'binary', problems: [] });
  });

  it('B06: a BOM changes only encoding.bom, never the document, and the first ini/env key is `a`', () => {
    for (const name of readdirSync(fixtures + 'B06-byte-order-mark/before')) {
      const format = formatForFile(name);
      const before = parseFile(fixture(`B06-byte-order-mark/before/${name}`), format);
      const after = parseFile(fixture(`B06-byte-order-mark/after/${name}`), format);
      expect(after.problems, name).toEqual([]);
      expect(before.encoding.bom).toBe(false);
      expect(after.encoding.bom).toBe(true);
      expect(valuesEqual(before.document!, after.document!), name).toBe(true);
      expect(Object.keys(after.document as object), name).toEqual(['a']);
    }
  });

  it('B07: CRLF changes only encoding.eol; no value carries a \\r; a block scalar keeps its value', () => {
    for (const name of readdirSync(fixtures + 'B07-line-endings/before')) {
      const format = formatForFile(name);
      const before = parseFile(fixture(`B07-line-endings/before/${name}`), format);
      const after = parseFile(fixture(`B07-line-endings/after/${name}`), format);
      expect(after.problems, name).toEqual([]);
      expect(before.encoding.eol).toBe('lf');
      expect(after.encoding.eol).toBe('crlf');
      expect(valuesEqual(before.document!, after.document!), name).toBe(true);
      expect(JSON.stringify(after.document)).not.toContain('\\r');
    }
    expect(parseFile(fixture('B07-line-endings/after/note.yaml'), 'yaml').document).toEqual(createMap([['note', 'x\ny\n']]));
  });

  it('B07: CRLF in a text file and a multi-line dotenv value leaves no \\r behind', () => {
    expect(parse('a\r\nb\r\n', 'text').document).toEqual(['a', 'b']);
    expect(parse('K="x\r\ny"\r\n', 'dotenv').document).toEqual(createMap([['K', 'x\ny']]));
  });

  it('B20: an emptied JSON file is a problem (no document), an emptied YAML file is null', () => {
    expect(parse('', 'json')).toMatchObject({ format: 'json', problems: [{ code: 'PARSE_ERROR', line: 1 }] });
    expect(parse('', 'json').document).toBeUndefined();
    expect(parse('', 'yaml')).toEqual({ format: 'yaml', document: null, problems: [], encoding: { bom: false, eol: 'none' } });
  });

  it('has no document whenever there is a problem', () => {
    for (const [text, format] of [['a: 1\na: 2\n', 'yaml'], ['x', 'json'], ['[s\n', 'ini'], ['BAD\n', 'dotenv'], ['a = \n', 'toml'], ['<a>', 'xml']] as const) {
      const parsed = parse(text, format);
      expect(parsed.problems.length, format).toBeGreaterThan(0);
      expect(parsed.document, format).toBeUndefined();
    }
  });

  it('reports bytes that are not UTF-8 as PARSE_ENCODING', () => {
    const parsed = parseFile(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]), 'json');
    expect(parsed.problems).toEqual([expect.objectContaining({ code: 'PARSE_ENCODING', line: 1, column: 7 })]);
    expect(parsed.document).toBeUndefined();
  });

  it('reads properties that are not UTF-8 as ISO-8859-1', () => {
    const parsed = parseFile(new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x3d, 0x4a, 0x6f, 0x73, 0xe9]), 'properties');
    expect(parsed).toMatchObject({ problems: [], document: createMap([['name', 'Jos\u00e9']]) });
  });

  it('passes the alias budget and INI list names through', () => {
    expect(parseFile(bytes('a: &x 1\nb: *x\n'), 'yaml', { maxAliasCount: 0 }).problems[0]).toMatchObject({ code: 'PARSE_ALIAS_LIMIT' });
    expect(parseFile(bytes('[svc]\na=1\n'), 'ini', { iniListSections: ['svc'] }).document).toEqual(
      createMap([['svc', [createMap([['a', '1']])]]]),
    );
  });

  it('dispatches every format', () => {
    expect(parse('{"a": 1}', 'json').document).toEqual(createMap([['a', 1n]]));
    expect(parse('{"a": 1, // c\n}', 'jsonc').document).toEqual(createMap([['a', 1n]]));
    expect(parse('a = 1', 'toml').document).toEqual(createMap([['a', 1n]]));
    expect(parse('a=1', 'properties').document).toEqual(createMap([['a', '1']]));
    expect(parse('<a>1</a>', 'xml').document).toEqual(createMap([['a', '1']]));
    expect(parse('line', 'text').document).toEqual(['line']);
    expect(parse('x', 'binary')).toMatchObject({ format: 'binary', problems: [] });
  });

  it('B34: a secret on a broken line never appears in a problem message (yaml, dotenv, json, toml, ini)', () => {
    const broken: [string, FormatName][] = [
      ['db:\n  password: 918273645\n  port: [oops\n', 'yaml'],
      ['db:\n  password: "fake-Pa55\n', 'yaml'],
      ['DB_PASSWORD=fake-Pa55\nBROKEN LINE WITHOUT EQUALS\n', 'dotenv'],
      ['DB_PASSWORD="fake-Pa55\n', 'dotenv'],
      ['{"password": "fake-Pa55" "port": 1}', 'json'],
      ['{"password": fake-Pa55}', 'jsonc'],
      ['password = fake-Pa55\n', 'toml'],
      ['password = "fake-Pa55\n', 'toml'],
      ['[db]\npassword=fake-Pa55\n[fake-Pa55\n', 'ini'],
      ['<db password="fake-Pa55"><x></db>', 'xml'],
      ['password=fake-Pa55\npassword=918273645\n', 'properties'],
    ];
    for (const [text, format] of broken) {
      const parsed = parse(text, format);
      expect(parsed.problems.length, `${format}: ${text}`).toBeGreaterThan(0);
      const shown = JSON.stringify(parsed.problems);
      expect(shown).not.toContain('fake-Pa55');
      expect(shown).not.toContain('918273645');
    }
  });
});
