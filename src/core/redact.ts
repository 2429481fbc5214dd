import { encodeValue } from './value-codec.js';
import { createMap, isMap, Secret, Tagged, valueKind, type Value, type ValueMap } from './value.js';

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
// The scheme may only start where no scheme character precedes it: without that, a long run of
// letters is tried from every position, and one 100 KB line took seconds.
const URL_PASSWORD = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s"']*:)([^@/?#\s"']+)(@)/gi;
// Passwords and tokens inside connection strings and URL queries: `Password=x;`, `?password=x&`.
const INLINE_PASSWORD = /((?:^|[;?&\s,])(?:password|passwd|pwd|pass|token|secret|api[_-]?key|access[_-]?token|auth)=)([^;&#\s,"']+)/gi;
// `Authorization: Bearer x`, and crypt(3) hashes as in shadow and htpasswd files (`$6$...`, `$apr1$...`).
const BEARER_OR_HASH = /(\b(?:Bearer|Basic)\s+)([A-Za-z0-9._~+/=-]{8,})|(\$(?:1|2[aby]?|5|6|y|apr1)\$[^:\s]{8,})/g;
// Credentials recognisable by shape alone, wherever they appear.
const TOKEN_SHAPES = new RegExp([
  String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`, // AWS access key id
  String.raw`\bgh[pousr]_[A-Za-z0-9]{36,}\b`, // GitHub tokens
  String.raw`\bgithub_pat_[A-Za-z0-9_]{40,}\b`,
  String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}\b`, // Slack
  String.raw`\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}\b`, // Stripe
  String.raw`\bAIza[0-9A-Za-z_-]{35}\b`, // Google API key
  String.raw`\bglpat-[A-Za-z0-9_-]{20,}\b`, // GitLab
  String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b`, // JWT
  String.raw`\bnpm_[A-Za-z0-9]{36}\b`,
].join('|'), 'g');
// `key = value`, `key: value`, `export KEY=value`, `key value` on one line of a text file,
// commented out or not (a commented secret is still a secret).
const TEXT_LINE = /^(\s*(?:[#;]\s*)?(?:export\s+)?)([A-Za-z0-9_.-]+)(\s*[=:]\s*|\s+)(\S.*?)\s*$/;
// Shorter values are too common to hunt for elsewhere without masking innocent text.
const MIN_COPY_LENGTH = 4;

type State = { secret: boolean; known: string[] };

/**
 * Replaces every secret in a document by a `Secret` holding only a keyed
 * fingerprint: values under secret-looking keys, private key blocks, token
 * shapes, the password of a URL, secret `key = value` lines of text files,
 * and any copy of one of those values elsewhere in the document (only the
 * copied part is masked, so the rest of the string stays readable).
 *
 * @example redactValue({db: {password: 'x'}}, opts).value // {db: {password: Secret(fp)}}
 */
export function redactValue(value: Value, options: RedactOptions, textLines = false): Redacted {
  const lines = textLines && Array.isArray(value);
  // First pass: learn the clear values of the secrets, so copies of them can be found.
  const known = new Set<string>();
  collectSecrets(value, options, lines, known);
  const state: State = { secret: false, known: [...known].filter((k) => k.length >= MIN_COPY_LENGTH).sort((a, b) => b.length - a.length) };
  const out = lines ? redactLines(value as Value[], options, state) : walk(value, options, state);
  return { value: out, secret: state.secret };
}

function collectSecrets(value: Value, options: RedactOptions, lines: boolean, known: Set<string>): void {
  if (lines) {
    for (const line of value as Value[]) {
      const m = typeof line === 'string' ? TEXT_LINE.exec(line) : null;
      if (m && options.isSecretKey(m[2]!)) known.add(unquote(m[4]!));
    }
    return;
  }
  switch (valueKind(value)) {
    case 'list': for (const item of value as Value[]) collectSecrets(item, options, false, known); break;
    case 'tagged': collectSecrets((value as Tagged).value, options, false, known); break;
    case 'map':
      for (const [key, item] of Object.entries(value as ValueMap)) {
        if (options.isSecretKey(key)) scalars(item, known);
        else collectSecrets(item, options, false, known);
      }
      break;
    case 'string':
      for (const m of (value as string).matchAll(URL_PASSWORD)) known.add(m[2]!);
      break;
  }
}

function scalars(value: Value, into: Set<string>): void {
  const kind = valueKind(value);
  if (kind === 'string' || kind === 'integer' || kind === 'float') into.add(String(value));
  else if (kind === 'list') for (const item of value as Value[]) scalars(item, into);
  else if (kind === 'map') for (const item of Object.values(value as ValueMap)) scalars(item, into);
  else if (kind === 'tagged') scalars((value as Tagged).value, into);
}

function walk(value: Value, options: RedactOptions, state: State): Value {
  switch (valueKind(value)) {
    case 'string': return redactString(value as string, options, state);
    case 'list': return (value as Value[]).map((item) => walk(item, options, state));
    case 'tagged': return new Tagged((value as Tagged).tag, walk((value as Tagged).value, options, state));
    case 'map': {
      const map = value as ValueMap;
      const out = createMap();
      // A Kubernetes Secret holds nothing but secrets under data and stringData, whatever their keys.
      const k8sSecret = map.kind === 'Secret';
      for (const key of Object.keys(map)) {
        const item = map[key]!;
        if (k8sSecret && (key === 'data' || key === 'stringData') && isMap(item)) {
          out[key] = createMap(Object.entries(item).map(([k, v]) => [k, v === null ? v : mask(v, options, state)]));
        } else {
          // A switch (`auth: true`) is a setting about a secret, never one: it stays visible.
          out[key] = options.isSecretKey(key) && item !== null && typeof item !== 'boolean' ? mask(item, options, state) : walk(item, options, state);
        }
      }
      return out;
    }
    default: return value;
  }
}

/** A string that is, or contains, a secret becomes a Secret showing the string with those parts masked. */
function redactString(text: string, options: RedactOptions, state: State): Value {
  if (PRIVATE_KEY_BLOCK.test(text)) return mask(text, options, state);
  let shown = text.replace(URL_PASSWORD, '$1***$3').replace(TOKEN_SHAPES, '***').replace(INLINE_PASSWORD, '$1***')
    .replace(BEARER_OR_HASH, (_m, bearer: string | undefined, _token, hash: string | undefined) => (hash ? '***' : `${bearer}***`));
  for (const secret of state.known) if (shown.includes(secret)) shown = shown.split(secret).join('***');
  return shown === text ? text : mask(text, options, state, shown);
}

function mask(value: Value, options: RedactOptions, state: State, display = '***'): Secret {
  state.secret = true;
  return new Secret(options.fingerprint(encodeValue(value)), display);
}

function redactLines(lines: Value[], options: RedactOptions, state: State): Value[] {
  let inKey = false;
  return lines.map((line) => {
    if (typeof line !== 'string') return line;
    if (PRIVATE_KEY_BLOCK.test(line)) { inKey = !PRIVATE_KEY_END.test(line); return line; }
    if (inKey) {
      if (PRIVATE_KEY_END.test(line)) { inKey = false; return line; }
      return mask(line, options, state);
    }
    const m = TEXT_LINE.exec(line);
    if (m && options.isSecretKey(m[2]!)) return mask(line, options, state, `${m[1]}${m[2]}${m[3]}***`);
    return redactString(line, options, state);
  });
}

function unquote(text: string): string {
  return /^(['"]).*\1$/.test(text) ? text.slice(1, -1) : text;
}
