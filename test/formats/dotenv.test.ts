import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMap, type Value } from '../../src/core/value.js';
import { parseDotenv } from '../../src/formats/dotenv.js';

const doc = (text: string): Value => {
  const result = parseDotenv(text);
  expect(result.problems).toEqual([]);
  return result.document!;
};

describe('parseDotenv', () => {
  it('B14: export is ignored, inline comments are not part of a value, # inside quotes is', () => {
    const before = doc("export port_number=8000\nexport EXPORTER=on\nTOKEN='ab#cd'\nNOTE=hi # old\n");
    const after = doc("port_number=8000\nexport EXPORTER=on\nTOKEN='ab#ce'\nNOTE=hi # new\n");
    expect(before).toEqual(createMap([['port_number', '8000'], ['EXPORTER', 'on'], ['TOKEN', 'ab#cd'], ['NOTE', 'hi']]));
    expect(after).toEqual(createMap([['port_number', '8000'], ['EXPORTER', 'on'], ['TOKEN', 'ab#ce'], ['NOTE', 'hi']]));
  });

  it('B15: a quoted value spans lines, EMPTY is "", a commented line is no key', () => {
    const text = 'CERT="-----BEGIN TEST-----\nAAAA\nBBBB\n-----END TEST-----"\nEMPTY=\n# OLD=1\nNEXT=ok\n';
    expect(doc(text)).toEqual(createMap([
      ['CERT', '-----BEGIN TEST-----\nAAAA\nBBBB\n-----END TEST-----'],
      ['EMPTY', ''],
      ['NEXT', 'ok'],
    ]));
  });

  it('counts lines after a multi-line value correctly', () => {
    const result = parseDotenv('A="x\ny"\nB=1\nBROKEN\n');
    expect(result.problems).toEqual([expect.objectContaining({ code: 'PARSE_ERROR', line: 4 })]);
  });

  it('ends an unquoted value at whitespace + #, not at a bare #', () => {
    expect(doc('A=ab#cd\nB=x #c\nC=x\t# c\nD= # only a comment\nE=#x\n')).toEqual(
      createMap([['A', 'ab#cd'], ['B', 'x'], ['C', 'x'], ['D', ''], ['E', '#x']]),
    );
  });

  it('trims unquoted values and keeps inner spaces', () => {
    expect(doc('A =  hello world  \n')).toEqual(createMap([['A', 'hello world']]));
  });

  it('keeps single quotes and backticks literal; expands escapes in double quotes', () => {
    expect(doc("A='a\\nb'\nB=`x'y\"z`\nC=\"l1\\nl2\\t\\\"q\\\" \\\\ \\$x\"\n")).toEqual(createMap([
      ['A', 'a\\nb'],
      ['B', 'x\'y"z'],
      ['C', 'l1\nl2\t"q" \\ \\$x'],
    ]));
  });

  it('accepts a comment after a closing quote, and spaces around =', () => {
    expect(doc('A = "x y" # note\n  B= \'z\'\n')).toEqual(createMap([['A', 'x y'], ['B', 'z']]));
  });

  it('B06: the first key of a file that had a BOM is `a`', () => {
    expect(Object.keys(doc('a=1\n') as object)).toEqual(['a']);
  });

  it('reports a line without = by its line number only (B34)', () => {
    const result = parseDotenv('DB_PASSWORD=fake-Pa55\nBROKEN LINE WITHOUT EQUALS fake-Pa55\n');
    expect(result.document).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'PARSE_ERROR', line: 2 })]);
    expect(result.problems[0]!.message).not.toContain('BROKEN');
    expect(result.problems[0]!.message).not.toContain('fake-Pa55');
  });

  it('reports a repeated key as PARSE_DUPLICATE_KEY with its line', () => {
    const result = parseDotenv('A=1\nB=2\nA=3\n');
    expect(result.problems).toEqual([expect.objectContaining({ code: 'PARSE_DUPLICATE_KEY', line: 3, key: '/A' })]);
  });

  it('reports an unterminated quote at its opening line', () => {
    const result = parseDotenv('A=1\nTOKEN="fake-Pa55\nB=2\n');
    expect(result.problems).toEqual([expect.objectContaining({ code: 'PARSE_ERROR', line: 2, key: '/TOKEN' })]);
    expect(result.problems[0]!.message).not.toContain('fake-Pa55');
    expect(parseDotenv("A='x\n").problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 1 });
  });

  it('reports text after a closing quote, and an invalid key, without their content', () => {
    const trailing = parseDotenv('A="fake-Pa55"fake-Pa55\n');
    expect(trailing.problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 1 });
    const badKey = parseDotenv('MY KEY=fake-Pa55\n');
    expect(badKey.problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 1 });
    for (const problem of [...trailing.problems, ...badKey.problems]) expect(problem.message).not.toContain('fake-Pa55');
  });

  it('reads an empty file and a file without a final newline', () => {
    expect(doc('')).toEqual(createMap());
    expect(doc('A=1')).toEqual(createMap([['A', '1']]));
    expect(doc('A="x"')).toEqual(createMap([['A', 'x']]));
  });

  it('round-trips any value written in double quotes (property)', () => {
    const quote = (value: string): string => '"' + value.replace(/[\\"]/g, (c) => '\\' + c).replace(/\n/g, '\\n').replace(/\t/g, '\\t') + '"';
    fc.assert(fc.property(fc.dictionary(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/), fc.string()), (env) => {
      const text = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`).join('\n');
      expect(parseDotenv(text)).toEqual({ document: createMap(Object.entries(env)), problems: [] });
    }));
  });

  it('round-trips any value without a single quote written in single quotes, even across lines (property)', () => {
    fc.assert(fc.property(fc.string().filter((v) => !v.includes("'")), (value) => {
      expect(parseDotenv(`K='${value}'\nNEXT=1\n`)).toEqual({ document: createMap([['K', value], ['NEXT', '1']]), problems: [] });
    }));
  });
});
