import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createMap, type Value, type ValueMap } from '../core/value.js';
import type { FileProblem } from './format.js';
import { formatResult, type FormatResult } from './format-result.js';

// Order kept so mixed text joins in order; values stay strings (no number guessing);
// comments and processing instructions are dropped; CDATA merges into the text.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
  cdataPropName: false,
  // Internal DOCTYPE entities only, within the library's expansion limits; external ones are refused.
  processEntities: { enabled: true, maxTotalExpansions: 1000, maxExpandedLength: 100_000 },
  // The only switch that decodes character references (`&#65;`); it also knows a few HTML names.
  htmlEntities: true,
});

// XMLValidator error codes in words; its messages quote tag and attribute names, so they are never shown.
const ERROR_WORDS: Readonly<Record<string, string>> = {
  InvalidXml: 'expected well-formed XML (every tag closed, one root element)',
  InvalidTag: 'expected a matching, well-formed tag',
  InvalidAttr: 'expected well-formed attributes, each once per element',
  InvalidChar: 'expected a character allowed at this place',
};

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/**
 * Parses XML into a stable shape: `{ root: Element }`, where an Element has
 * `@attr` keys, its non-blank text under `#text`, and child elements grouped
 * by name, always as a list; an element without attributes or children is
 * just its text.
 *
 * @example
 * parseXml('<cfg><server port="80"/><name>a</name></cfg>').document
 * // { cfg: { server: [{ '@port': '80' }], name: ['a'] } }
 */
export function parseXml(text: string): FormatResult {
  const verdict = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (verdict !== true) {
    const { code, line, col } = verdict.err;
    const duplicate = code === 'InvalidAttr' && / is repeated\.$/.test(verdict.err.msg);
    const column = typeof col === 'number' ? col : undefined;
    const where = column === undefined ? `at line ${line}` : `at line ${line}, column ${column}`;
    return {
      problems: [{
        code: duplicate ? 'PARSE_DUPLICATE_KEY' : 'PARSE_ERROR',
        message: `${ERROR_WORDS[code] ?? 'expected well-formed XML'} ${where}`,
        line,
        ...(column === undefined ? {} : { column }),
      }],
    };
  }
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(text) as OrderedNode[];
  } catch {
    // Reached for an external entity or an entity expansion beyond the limits.
    return { problems: [{ code: 'PARSE_ERROR', message: 'expected XML without external or excessive entities' }] };
  }
  const roots = nodes.filter((node) => elementName(node) !== undefined);
  if (roots.length !== 1) {
    return { problems: [{ code: 'PARSE_ERROR', message: `expected one root element, found ${roots.length}` }] };
  }
  const root = roots[0]!;
  const name = elementName(root)!;
  return formatResult(createMap([[name, element(root, name)]]), []);
}

function elementName(node: OrderedNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@' && key !== '#text') return key;
  return undefined;
}

function element(node: OrderedNode, name: string): Value {
  const map = createMap();
  const attributes = node[':@'];
  let fields = 0;
  if (attributes) {
    for (const [attribute, value] of Object.entries(attributes)) {
      map['@' + attribute] = String(value);
      fields++;
    }
  }
  const texts: string[] = [];
  for (const child of node[name] as OrderedNode[]) {
    const childName = elementName(child);
    if (childName === undefined) {
      if (child['#text'] !== undefined) texts.push(String(child['#text']));
      continue;
    }
    const list = (map[childName] ??= []) as Value[];
    if (list.length === 0) fields++;
    list.push(element(child, childName));
  }
  const text = texts.join('').trim();
  if (fields === 0) return text;
  if (text !== '') (map as ValueMap)['#text'] = text;
  return map;
}
