import { createMap, DATE_TIME_KINDS, DateTime, Secret, Tagged, type DateTimeKind, type Value } from './value.js';

/**
 * A lossless text encoding of a Value, for the store and for hashing.
 *
 * It is JSON, so the native parser reads it back fast, with every scalar but
 * null and booleans written as a string with a one-letter prefix: `s:` string,
 * `i:` integer, `f:` float, `d:` date/time, `x:` secret. A tagged value is a
 * two-element array whose head is `t:TAG`; no list can look like that,
 * because a list's strings all carry `s:`. Map keys are sorted, so equal
 * values always encode to equal text.
 */
export function encodeValue(value: Value): string {
  return JSON.stringify(toEncoded(value));
}

export function decodeValue(text: string): Value {
  return fromEncoded(JSON.parse(text) as Encoded);
}

type Encoded = null | boolean | string | Encoded[] | { [key: string]: Encoded };

function toEncoded(value: Value): Encoded {
  if (value === null || typeof value === 'boolean') return value;
  switch (typeof value) {
    case 'string': return 's:' + value;
    case 'bigint': return 'i:' + value.toString();
    case 'number': return 'f:' + String(value);
  }
  if (Array.isArray(value)) return value.map(toEncoded);
  if (value instanceof Tagged) return ['t:' + value.tag, toEncoded(value.value)];
  if (value instanceof DateTime) return `d:${value.kind}:${value.text}`;
  if (value instanceof Secret) return `x:${value.fingerprint}:${value.display}`;
  const out: { [key: string]: Encoded } = {};
  for (const key of Object.keys(value).sort()) {
    // defineProperty, not assignment: a `__proto__` key must stay a key.
    Object.defineProperty(out, key, { value: toEncoded(value[key]!), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function fromEncoded(encoded: Encoded): Value {
  if (encoded === null || typeof encoded === 'boolean') return encoded;
  if (typeof encoded === 'string') return decodeScalar(encoded);
  if (Array.isArray(encoded)) {
    const head = encoded[0];
    if (encoded.length === 2 && typeof head === 'string' && head.startsWith('t:')) {
      return new Tagged(head.slice(2), fromEncoded(encoded[1]!));
    }
    return encoded.map(fromEncoded);
  }
  const map = createMap();
  for (const key of Object.keys(encoded)) map[key] = fromEncoded(encoded[key]!);
  return map;
}

function decodeScalar(text: string): Value {
  const body = text.slice(2);
  switch (text.slice(0, 2)) {
    case 's:': return body;
    case 'i:': return BigInt(body);
    case 'f:': return Number(body);
    case 'd:': {
      const colon = body.indexOf(':');
      const kind = body.slice(0, colon) as DateTimeKind;
      if (!DATE_TIME_KINDS.includes(kind)) break;
      return new DateTime(kind, body.slice(colon + 1));
    }
    case 'x:': {
      const colon = body.indexOf(':');
      return new Secret(body.slice(0, colon), body.slice(colon + 1));
    }
  }
  throw new Error(`not an encoded value: ${JSON.stringify(text.slice(0, 20))}`);
}
