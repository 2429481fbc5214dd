import { describe, expect, it } from 'vitest';
import { diffValues } from '../../src/core/diff-values.js';
import { createMap, type Value } from '../../src/core/value.js';
import { parseIni } from '../../src/formats/ini.js';

const doc = (text: string, options = {}): Value => {
  const result = parseIni(text, options);
  expect(result.problems).toEqual([]);
  return result.document!;
};
const changes = (before: string, after: string, options = {}) =>
  diffValues(doc(before, options), doc(after, options)).map((c) => [c.kind, '/' + c.path.join('/')]);

const PEER_A = '[Peer]\nPublicKey=KEY_A\nAllowedIPs=10.0.0.2/32\n';
const PEER_B = '[Peer]\nPublicKey=KEY_B\nAllowedIPs=10.0.0.3/32\n';

describe('parseIni', () => {
  it('B16: repeated sections are a list; `;` inside a value is part of it', () => {
    expect(doc(PEER_A + PEER_B + '[paths]\nsearch=/a;/b;/c\n')).toEqual(createMap([
      ['Peer', [
        createMap([['PublicKey', 'KEY_A'], ['AllowedIPs', '10.0.0.2/32']]),
        createMap([['PublicKey', 'KEY_B'], ['AllowedIPs', '10.0.0.3/32']]),
      ]],
      ['paths', createMap([['search', '/a;/b;/c']])],
    ]));
  });

  it('B16: deleting the second [Peer] is one removal at /Peer/1, and a changed value one modification', () => {
    expect(changes(PEER_A + PEER_B + '[paths]\nsearch=/a;/b;/c\n', PEER_A + '[paths]\nsearch=/a;/b;/d\n')).toEqual([
      ['removed', '/Peer/1'],
      ['modified', '/paths/search'],
    ]);
  });

  it('a second [Peer] coming is one addition at /Peer/1 (1 -> 2)', () => {
    expect(changes(PEER_A, PEER_A + PEER_B)).toEqual([['added', '/Peer/1']]);
  });

  it('a second [Peer] going is one removal at /Peer/1 (2 -> 1)', () => {
    expect(changes(PEER_A + PEER_B, PEER_A)).toEqual([['removed', '/Peer/1']]);
  });

  it('any section name that repeats in the file is a list; one that occurs once is a map', () => {
    expect(doc('[s]\na=1\n[s]\na=2\n[t]\nb=3\n')).toEqual(createMap([
      ['s', [createMap([['a', '1']]), createMap([['a', '2']])]],
      ['t', createMap([['b', '3']])],
    ]));
  });

  it('lets the caller name more sections that are always a list', () => {
    const options = { listSections: ['program'] };
    expect(doc('[program]\ncmd=x\n', options)).toEqual(createMap([['program', [createMap([['cmd', 'x']])]]]));
    expect(changes('[program]\ncmd=x\n', '[program]\ncmd=x\n[program]\ncmd=y\n', options)).toEqual([['added', '/program/1']]);
  });

  it('a key repeated in one section is a list of values; php.ini extensions always are', () => {
    expect(doc('[PHP]\nextension=curl\nextension=gd\nmemory_limit=128M\n')).toEqual(
      createMap([['PHP', createMap([['extension', ['curl', 'gd']], ['memory_limit', '128M']])]]),
    );
    expect(doc('[PHP]\nextension=curl\n')).toEqual(createMap([['PHP', createMap([['extension', ['curl']]])]]));
    expect(changes('[PHP]\nextension=curl\n', '[PHP]\nextension=curl\nextension=gd\n')).toEqual([['added', '/PHP/extension/1']]);
    expect(doc('[x]\nk=1\nk=2\n')).toEqual(createMap([['x', createMap([['k', ['1', '2']]])]]));
  });

  it('puts keys before any section at the top level', () => {
    expect(doc('a=1\n[s]\nb=2\n')).toEqual(createMap([['a', '1'], ['s', createMap([['b', '2']])]]));
  });

  it('skips comment lines only, and keeps # and ; inside values', () => {
    expect(doc('; c\n  # c\n[s]\nurl = http://h/#frag ; not a comment\n')).toEqual(
      createMap([['s', createMap([['url', 'http://h/#frag ; not a comment']])]]),
    );
  });

  it('trims keys and values, keeps quotes, and reads a bare key as null (my.cnf)', () => {
    expect(doc('[mysqld]\n  port = 3306  \nskip-networking\nname = "x"\nempty=\n')).toEqual(
      createMap([['mysqld', createMap([['port', '3306'], ['skip-networking', null], ['name', '"x"'], ['empty', '']])]]),
    );
  });

  it('accepts a comment after a section header and keeps an empty section', () => {
    expect(doc('[a] ; note\n[b]\n')).toEqual(createMap([['a', createMap()], ['b', createMap()]]));
  });

  it('B06: the first key of a file that had a BOM is `a` (the BOM is gone before parsing)', () => {
    expect(Object.keys(doc('a=1\n') as object)).toEqual(['a']);
  });

  it('reports a malformed section header with its line, and no document', () => {
    const result = parseIni('[ok]\na=1\n[unclosed\nb=2\n');
    expect(result.document).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'PARSE_ERROR', line: 3 })]);
    expect(parseIni('[]\n').problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 1 });
    expect(parseIni('[a] b\n').problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 1 });
    expect(parseIni('=value\n').problems[0]).toMatchObject({ code: 'PARSE_ERROR', line: 1 });
  });

  it('reports a section named like a top-level key', () => {
    expect(parseIni('a=1\n[a]\nb=2\n').problems[0]).toMatchObject({ code: 'PARSE_DUPLICATE_KEY', line: 2, key: '/a' });
  });

  it('B34: a secret on a broken line never appears in a problem message', () => {
    for (const text of ['[db]\npassword=fake-Pa55\n[fake-Pa55\n', '[fake-Pa55\n', '=fake-Pa55\n', '[db] fake-Pa55\n']) {
      const { problems } = parseIni(text);
      expect(problems.length, text).toBeGreaterThan(0);
      for (const problem of problems) expect(problem.message).not.toContain('fake-Pa55');
    }
  });
});
