import { isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';
import { formatFloat, toJsonText } from '../core/json-text.js';
import { toPointer, type Segment } from '../core/pointer.js';
import { createMap, isMap as isValueMap, Tagged, type Value, type ValueMap } from '../core/value.js';
import type { FileProblem } from './format.js';

export interface YamlToValueOptions {
  lineCounter: LineCounter;
  /** Where this document sits in the file's tree (`[2]` for the third document of a stream). */
  basePath: Segment[];
  /**
   * Alias expansion may add at most `maxAliasCount` x max(100, nodes written in
   * the document) nodes; `0` forbids aliases, a negative number lifts the limit.
   */
  maxAliasCount: number;
}

/** Every node written in the document, aliases counted once and not followed. */
function countNodes(node: unknown): number {
  if (isMap(node) || isSeq(node)) {
    let count = 1;
    for (const item of node.items as unknown[]) {
      count += isPair(item) ? countNodes(item.key) + countNodes(item.value) : countNodes(item);
    }
    return count;
  }
  return node ? 1 : 0;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

// `!` (non-specific) and the YAML core tags (`!!str`, `!!int`, ...) only resolve; any other tag is data.
function isCustomTag(tag: string | undefined): tag is string {
  return tag !== undefined && tag !== '!' && !tag.startsWith('tag:yaml.org,2002:');
}

/**
 * Turns one composed YAML document into a Value: aliases expanded within a
 * budget (an alias bomb is one PARSE_ALIAS_LIMIT problem, found quickly),
 * merge keys resolved (explicit keys win, then earlier merged maps), custom
 * tags kept as `Tagged`, and repeated keys reported with their line.
 *
 * @example
 * yamlToValue(doc.contents, problems, { lineCounter, basePath: [], maxAliasCount: 100 })
 */
export function yamlToValue(root: unknown, problems: FileProblem[], options: YamlToValueOptions): Value {
  const { lineCounter } = options;
  const limit = options.maxAliasCount < 0 ? Infinity : options.maxAliasCount * Math.max(100, countNodes(root));
  const anchors = new Map<string, Node>();
  const active = new Set<Node>();
  const path: Segment[] = [...options.basePath];
  let expanding = 0;
  let expanded = 0;
  let exhausted = false;
  // Where the outermost alias being expanded was written: the line a limit problem points at.
  let aliasOffset: number | undefined;

  const report = (code: FileProblem['code'], words: string, offset: number | undefined, key?: string): void => {
    const at = offset === undefined ? undefined : lineCounter.linePos(offset);
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    problems.push({
      code,
      message: `${words}${key === undefined ? '' : ` (key ${key})`}${where}`,
      ...(at ? { line: at.line, column: at.col } : {}),
      ...(key === undefined ? {} : { key }),
    });
  };

  const convert = (node: unknown): Value => {
    if (exhausted || node === null || node === undefined) return null;
    if (expanding > 0 && ++expanded > limit) {
      exhausted = true;
      report('PARSE_ALIAS_LIMIT', `expected alias expansion within ${options.maxAliasCount} times the document's size, found more (an alias bomb?)`, aliasOffset);
      return null;
    }
    if (isAlias(node)) return expandAlias(node.source, node.range?.[0]);
    const yamlNode = node as Node;
    if (expanding === 0 && yamlNode.anchor) anchors.set(yamlNode.anchor, yamlNode);
    let value: Value = null;
    if (isScalar(node)) {
      value = scalarValue(node.value);
    } else if (isMap(node) || isSeq(node)) {
      // Only a collection can hold an alias back to itself.
      active.add(yamlNode);
      value = isMap(node) ? convertMap(node.items as Pair[]) : convertSeq(node.items);
      active.delete(yamlNode);
    }
    return isCustomTag(yamlNode.tag) ? new Tagged(yamlNode.tag, value) : value;
  };

  const expandAlias = (name: string, offset: number | undefined): Value => {
    const target = anchors.get(name);
    if (!target) {
      report('PARSE_ERROR', 'expected an alias to name an anchor defined before it, found none', offset, toPointer(path));
      return null;
    }
    if (active.has(target)) {
      report('PARSE_ERROR', 'expected an alias outside its own anchored value, found one inside it', offset, toPointer(path));
      return null;
    }
    if (expanding === 0) aliasOffset = offset;
    expanding++;
    try {
      return convert(target);
    } finally {
      expanding--;
    }
  };

  const convertSeq = (items: unknown[]): Value[] => {
    const list: Value[] = [];
    for (let i = 0; i < items.length && !exhausted; i++) {
      path.push(i);
      list.push(convert(items[i]));
      path.pop();
    }
    return list;
  };

  const convertMap = (pairs: Pair[]): ValueMap => {
    const map = createMap();
    const merges: unknown[] = [];
    for (const pair of pairs) {
      // Past the alias limit every value reads as null: checking keys would only add noise.
      if (exhausted) return map;
      if (isMergeKey(pair.key)) {
        merges.push(pair.value);
        continue;
      }
      const key = keyText(convert(pair.key));
      path.push(key);
      if (Object.hasOwn(map, key)) {
        const offset = (pair.key as Node | null)?.range?.[0];
        report('PARSE_DUPLICATE_KEY', 'expected each key once per map, found it again', offset, toPointer(path));
      }
      map[key] = convert(pair.value);
      path.pop();
    }
    for (const merge of merges) mergeInto(map, merge);
    return map;
  };

  const mergeInto = (map: ValueMap, merge: unknown): void => {
    const sources = isSeq(merge) ? merge.items : [merge];
    for (const source of sources) {
      const value = convert(source);
      if (exhausted) return;
      if (!isValueMap(value)) {
        const offset = (source as Node | null)?.range?.[0];
        report('PARSE_ERROR', 'expected a merge key `<<` to take a map or a list of maps, found another value', offset, toPointer(path));
        continue;
      }
      // Explicit keys, then earlier merged maps, win over what a later map brings.
      for (const key of Object.keys(value)) if (!Object.hasOwn(map, key)) map[key] = value[key]!;
    }
  };

  return convert(root);
}

function scalarValue(value: unknown): Value {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
    case 'number':
      return value;
    default:
      return value === null || value === undefined ? null : String(value);
  }
}

/** A map key in its string form: `1: a` is key "1", `true: b` is "true", `null: c` is "null". */
function keyText(key: Value): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number') return formatFloat(key);
  if (key === null || typeof key === 'boolean' || typeof key === 'bigint') return String(key);
  if (key instanceof Tagged) return keyText(key.value);
  return toJsonText(key);
}
