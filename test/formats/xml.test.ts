import { describe, expect, it } from 'vitest';
import { diffValues } from '../../src/core/diff-values.js';
import { createMap, type Value } from '../../src/core/value.js';
import { parseXml } from '../../src/formats/xml.js';

const doc = (text: string): Value => {
  const result = parseXml(text);
  expect(result.problems).toEqual([]);
  return result.document!;
};

describe('parseXml', () => {
  it('B18: child elements are always a list, so a second <server> is one addition', () => {
    const before = doc('<cfg><server><port>80</port></server></cfg>\n');
    const after = doc('<cfg><server><port>80</port></server><server><port>81</port></server></cfg>\n');
    expect(before).toEqual(createMap([['cfg', createMap([['server', [createMap([['port', ['80']]])]]])]]));
    expect(diffValues(before, after).map((c) => [c.kind, c.path.join('/')])).toEqual([['added', 'cfg/server/1']]);
  });

  it('keeps attributes (@name) and text (#text) apart, all as strings', () => {
    expect(doc('<cfg version="2"><server port="80" tls="true">main</server></cfg>')).toEqual(createMap([
      ['cfg', createMap([
        ['@version', '2'],
        ['server', [createMap([['@port', '80'], ['@tls', 'true'], ['#text', 'main']])]],
      ])],
    ]));
  });

  it('makes an element without attributes or children its text, an empty one ""', () => {
    expect(doc('<a><port> 80 </port><empty/><blank>  </blank></a>')).toEqual(
      createMap([['a', createMap([['port', ['80']], ['empty', ['']], ['blank', ['']]])]]),
    );
    expect(doc('<root/>')).toEqual(createMap([['root', '']]));
  });

  it('drops comments, declarations and processing instructions; CDATA is text', () => {
    const text = '<?xml version="1.0" encoding="UTF-8"?>\n<!-- note -->\n<a><?pi x?><!-- c --><b><![CDATA[<raw> & ]]></b></a>\n';
    expect(doc(text)).toEqual(createMap([['a', createMap([['b', ['<raw> &']]])]]));
  });

  it('keeps namespace prefixes in names and decodes standard entities', () => {
    expect(doc('<ns:a xmlns:ns="urn:x"><ns:b ns:k="1&amp;2">&lt;x&gt;</ns:b></ns:a>')).toEqual(createMap([
      ['ns:a', createMap([['@xmlns:ns', 'urn:x'], ['ns:b', [createMap([['@ns:k', '1&2'], ['#text', '<x>']])]]])],
    ]));
  });

  it('decodes character references once, and internal entities', () => {
    expect(doc('<!DOCTYPE a [<!ENTITY e "hello">]><a k="&#65;&amp;#66;">&e; &#x42;&#128512;</a>')).toEqual(
      createMap([['a', createMap([['@k', 'A&#66;'], ['#text', 'hello B\u{1F600}']])]]),
    );
  });

  it('does not guess numbers or booleans', () => {
    expect(doc('<a><n>007</n><b>true</b></a>')).toEqual(createMap([['a', createMap([['n', ['007']], ['b', ['true']]])]]));
  });

  it('reports malformed XML with its line, and no document', () => {
    const result = parseXml('<a>\n<b pass="x"></c>\n</a>');
    expect(result.document).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'PARSE_ERROR', line: 2 })]);
    expect(parseXml('').problems[0]).toMatchObject({ code: 'PARSE_ERROR' });
  });

  it('reports a repeated attribute as PARSE_DUPLICATE_KEY', () => {
    expect(parseXml('<a x="1" x="2"/>').problems[0]).toMatchObject({ code: 'PARSE_DUPLICATE_KEY', line: 1 });
  });

  it('reports more than one root element', () => {
    expect(parseXml('<a/><b/>').problems[0]).toMatchObject({ code: 'PARSE_ERROR' });
  });

  it('refuses external entities', () => {
    const text = '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>';
    expect(parseXml(text).problems[0]).toMatchObject({ code: 'PARSE_ERROR' });
  });

  it('bounds entity expansion (billion laughs) without running out of memory', () => {
    const levels = ['<!ENTITY l0 "lol">'];
    for (let i = 1; i < 10; i++) levels.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`);
    const text = `<?xml version="1.0"?><!DOCTYPE lolz [${levels.join('')}]><lolz>&l9;</lolz>`;
    const result = parseXml(text);
    const size = result.document === undefined ? 0 : JSON.stringify(result.document).length;
    expect(size).toBeLessThan(1_000_000);
  });

  it('B34: a secret on a broken line never appears in a problem message', () => {
    for (const text of ['<db password="fake-Pa55"><x></db>', '<db>\n<fake-Pa55>\n', '<db p="fake-Pa55" p="fake-Pa55"/>', '<fake-Pa55></fake-Pa56>']) {
      const { problems } = parseXml(text);
      expect(problems.length, text).toBeGreaterThan(0);
      for (const problem of problems) expect(problem.message).not.toContain('fake-Pa5');
    }
  });
});
