import { encodeValue } from './value-codec.js';
import { createMap, Secret, Tagged, valueKind, type Value, type ValueMap } from './value.js';

export interface RedactOptions {
  /** Whether a key (map key, env name, key of a config line) holds a secret. */
  isSecretKey: (key: string) => boolean;
  /** Keyed fingerprint of a secret's canonical text; the key never enters the core. */
  fingerprint: (text: string) => string;
}

export interface Redacted {
  value: Value;
  /** Whether anything was masked: such content is stored only as this tree. */
  secret: boolean;
}

const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;
const PRIVATE_KEY_END = /-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;
// scheme://user:password@host — only the password is masked, the rest stays readable.
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]+)(@.*)$/is;
// `key = value`, `key: value`, `export KEY=value`, `key value` on one line of a text file,
// commented out or not (a commented secret is still a secret).
const TEXT_LINE = /^(\s*(?:[#;]\s*)?(?:export\s+)?)([A-Za-z0-9_.-]+)(\s*[=:]\s*|\s+)(\S.*?)\s*$/;

/**
 * Replaces every secret in a document by a `Secret` holding only a keyed
 * fingerprint: values under secret-looking keys, private key blocks, the
 * password of a URL, and secret `key = value` lines of text files.
 *
 * @example redactValue({db: {password: 'x'}}, opts).value // {db: {password: Secret(fp)}}
 */
export function redactValue(value: Value, options: RedactOptions, textLines = false): Redacted {
  const state = { secret: false };
  const out = textLines && Array.isArray(value) ? redactLines(value, options, state) : walk(value, options, state);
  return { value: out, secret: state.secret };
}

function walk(value: Value, options: RedactOptions, state: { secret: boolean }): Value {
  switch (valueKind(value)) {
    case 'string': return redactString(value as string, options, state);
    case 'list': return (value as Value[]).map((item) => walk(item, options, state));
    case 'tagged': return new Tagged((value as Tagged).tag, walk((value as Tagged).value, options, state));
    case 'map': {
      const map = value as ValueMap;
      const out = createMap();
      for (const key of Object.keys(map)) {
        const item = map[key]!;
        out[key] = options.isSecretKey(key) && item !== null ? mask(item, options, state) : walk(item, options, state);
      }
      return out;
    }
    default: return value;
  }
}

function redactString(text: string, options: RedactOptions, state: { secret: boolean }): Value {
  if (PRIVATE_KEY_BLOCK.test(text)) return mask(text, options, state);
  const url = URL_PASSWORD.exec(text);
  if (url) {
    state.secret = true;
    return new Secret(options.fingerprint(encodeValue(text)), `${url[1]}***${url[3]}`);
  }
  return text;
}

function mask(value: Value, options: RedactOptions, state: { secret: boolean }, display = '***'): Secret {
  state.secret = true;
  return new Secret(options.fingerprint(encodeValue(value)), display);
}

function redactLines(lines: Value[], options: RedactOptions, state: { secret: boolean }): Value[] {
  let inKey = false;
  return lines.map((line) => {
    if (typeof line !== 'string') return line;
    if (PRIVATE_KEY_BLOCK.test(line)) { inKey = !PRIVATE_KEY_END.test(line); return line; }
    if (inKey) {
      if (PRIVATE_KEY_END.test(line)) { inKey = false; return line; }
      return mask(line, options, state);
    }
    const m = TEXT_LINE.exec(line);
    if (m && options.isSecretKey(m[2]!)) {
      return mask(line, options, state, `${m[1]}${m[2]}${m[3]}***`);
    }
    return redactString(line, options, state);
  });
}
