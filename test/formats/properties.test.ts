import { describe, expect, it } from 'vitest';
import { createMap } from '../../src/core/value.js';
import { parseProperties } from '../../src/formats/properties.js';

describe('parseProperties', () => {
  it('reads a flat map of strings without splitting keys on dots', () => {
    expect(parseProperties('db.url = jdbc:x\ndb.pool: 5\nflag\n')).toEqual({
      document: createMap([['db.url', 'jdbc:x'], ['db.pool', '5'], ['flag', '']]),
      problems: [],
    });
  });

  it('skips comments, resolves escapes and continuation lines', () => {
    const text = '# c\n! c\nmessage = Welcome to \\\n          Wikipedia!\nkey\\ with\\ spaces = v\ntab : \\u0041\n';
    expect(parseProperties(text).document).toEqual(createMap([
      ['message', 'Welcome to Wikipedia!'],
      ['key with spaces', 'v'],
      ['tab', 'A'],
    ]));
  });

  it('reports a repeated key as PARSE_DUPLICATE_KEY at the line of the repeat, never with its value', () => {
    const result = parseProperties('a=1\nlong = x \\\n  y\npassword=fake-Pa55\npassword=fake-Pa56\n');
    expect(result.document).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'PARSE_DUPLICATE_KEY', line: 5, key: '/password' })]);
    expect(result.problems[0]!.message).not.toContain('fake-Pa5');
  });

  it('counts lines across several repeats', () => {
    const result = parseProperties('a=1\na=2\nb=1\n\nb=2\n');
    expect(result.problems.map((p) => p.line)).toEqual([2, 5]);
  });

  it('reads an empty file as an empty map', () => {
    expect(parseProperties('')).toEqual({ document: createMap(), problems: [] });
  });
});
