import { DateTime, Secret, Tagged, type Value } from './value.js';

/**
 * Marks a Value inside a plain output document: within it a JS number is a
 * float of the configuration (printed `1.0`), outside it a number is just a
 * count or a line (printed `1`).
 */
export class JsonValue {
  constructor(readonly value: Value | undefined) {}
}

/**
 * JSON text for output, without losing what JSON.stringify loses: integers
 * beyond 2^53 keep every digit, a float that happens to be whole keeps its
 * `.0` (so a diff never reads `1 -> 1`), and redacted secrets print as their
 * mask. Non-finite floats, which JSON cannot hold, print as strings.
 *
 * `data` is a Value, or a plain document with Values wrapped in JsonValue.
 */
export function toJsonText(data: unknown, indent = 0, asValue = !isPlainDocument(data)): string {
  return write(data, indent > 0 ? ' '.repeat(indent) : '', '', asValue);
}

function isPlainDocument(data: unknown): boolean {
  return typeof data === 'object' && data !== null && Object.getPrototypeOf(data) === Object.prototype;
}

function write(data: unknown, step: string, pad: string, asValue: boolean): string {
  if (data === null || data === undefined) return 'null';
  switch (typeof data) {
    case 'boolean': return data ? 'true' : 'false';
    case 'string': return JSON.stringify(data);
    case 'bigint': return data.toString();
    case 'number': return asValue ? formatFloat(data) : Number.isFinite(data) ? String(data) : 'null';
  }
  if (data instanceof JsonValue) return write(data.value, step, pad, true);
  if (data instanceof Secret) return JSON.stringify(data.display);
  if (data instanceof DateTime) return JSON.stringify(data.text);
  if (data instanceof Tagged) return write({ [data.tag]: data.value }, step, pad, asValue);
  const inner = pad + step;
  const open = step ? '\n' + inner : '';
  const close = step ? '\n' + pad : '';
  const sep = step ? ',\n' + inner : ',';
  if (Array.isArray(data)) {
    if (data.length === 0) return '[]';
    return '[' + open + data.map((item) => write(item, step, inner, asValue)).join(sep) + close + ']';
  }
  const entries = Object.entries(data as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const colon = step ? ': ' : ':';
  return '{' + open + entries.map(([k, v]) => JSON.stringify(k) + colon + write(v, step, inner, asValue)).join(sep) + close + '}';
}

/** `1` -> `1.0`, `2.5` -> `2.5`, `1e21` -> `1e+21`; NaN and infinities as strings. */
export function formatFloat(value: number): string {
  if (!Number.isFinite(value)) return JSON.stringify(String(value));
  const text = String(value);
  return /[.eE]/.test(text) ? text : text + '.0';
}
