import type { Change, DriftType, Severity } from './change.js';
import { keyWords } from './key-words.js';
import { Secret, valueKind, type Value } from './value.js';

/** A change's verdict before it gets to the user. */
export interface Verdict {
  severity: Severity;
  type: DriftType;
  secret: boolean;
}

// Words that make a key, a config line or a file name a security setting.
const SECURITY_WORDS = new Set([
  'tls', 'ssl', 'auth', 'authentication', 'authorization', 'security', 'secure', 'cert', 'certificate', 'certs',
  'cipher', 'ciphers', 'verify', 'verification', 'permit', 'sudo', 'sudoers', 'acl', 'firewall', 'selinux',
  'apparmor', 'cors', 'csrf', 'insecure', 'anonymous', 'trust', 'encryption', 'encrypt', 'crypto', 'pam', 'shadow', 'mfa', 'otp', 'sshd', 'jwt',
  'oauth', 'saml', 'ldap', 'kerberos', 'hsts', 'allow', 'deny', 'privileged', 'root', 'admin', 'login',
  'audit', 'rbac', 'role', 'roles', 'policy', 'policies', 'permissions', 'iptables', 'nftables',
]);
// Words that make a key an endpoint, host, port or timeout.
const ENDPOINT_WORDS = new Set([
  'host', 'hosts', 'hostname', 'port', 'ports', 'endpoint', 'endpoints', 'url', 'uri', 'address', 'addr', 'server',
  'servers', 'timeout', 'timeouts', 'proxy', 'dns', 'nameserver', 'resolv', 'upstream', 'listen', 'bind', 'domain',
  'gateway', 'route', 'routes', 'interval', 'retries', 'retry', 'ttl',
]);
// Switches whose ON position is the weaker one: turning these on degrades security.
const LOOSENING_WORDS = new Set(['permit', 'allow', 'insecure', 'skip', 'disable', 'disabled', 'anonymous', 'debug', 'permissive', 'unsafe', 'trust']);
const OFF_VALUES = new Set(['false', 'no', 'off', 'disabled', 'disable', '0', 'none', 'permissive']);
const ON_VALUES = new Set(['true', 'yes', 'on', 'enabled', 'enable', '1', 'enforcing', 'required']);

/**
 * The default verdict of SPEC section 2: secrets critical; security, TLS
 * and auth settings high (a security switch turned off is a
 * security_degradation); removals, endpoints, hosts, ports and timeouts
 * medium; encoding changes and the rest low.
 *
 * @example classifyChange({kind: 'modified', file: 'a.yaml', path: ['tls', 'enabled'], before: true, after: false})
 *   // {severity: 'high', type: 'security_degradation', secret: false}
 */
export function classifyChange(change: Change): Verdict {
  if (change.kind === 'metadata') return classifyMetadata(change);
  const before = 'before' in change ? change.before : undefined;
  const after = 'after' in change ? change.after : undefined;
  const secret = before instanceof Secret || after instanceof Secret;
  const words = changeWords(change.file, change.path, before, after);
  const security = words.some((w) => SECURITY_WORDS.has(w));
  const kindChanged = before !== undefined && after !== undefined && !compatibleKinds(before, after);
  const type: DriftType = security && weakened(words, before, after) ? 'security_degradation' : kindChanged ? 'schema_violation' : 'manual_change';
  if (secret) return { severity: 'critical', type, secret };
  if (security) return { severity: 'high', type, secret };
  if (change.kind === 'removed' || kindChanged || words.some((w) => ENDPOINT_WORDS.has(w))) return { severity: 'medium', type, secret };
  return { severity: 'low', type, secret };
}

// Modes travel as octal text (`"0644"`), the way people read them.
function modeBits(value: Value): number {
  return typeof value === 'string' ? parseInt(value, 8) || 0 : 0;
}

function classifyMetadata(change: Extract<Change, { kind: 'metadata' }>): Verdict {
  switch (change.attribute) {
    case 'bom':
    case 'eol':
      return { severity: 'low', type: 'encoding_change', secret: false };
    case 'mode': {
      // Bits granted to group or others that were not there before: someone can now read or write more.
      const gained = modeBits(change.after) & ~modeBits(change.before) & 0o7077;
      const worldWritable = (gained & 0o002) !== 0;
      if (worldWritable || (gained & 0o7000) !== 0) return { severity: 'high', type: 'security_degradation', secret: false };
      return { severity: gained ? 'medium' : 'low', type: 'permission_change', secret: false };
    }
    case 'uid':
    case 'gid':
      return { severity: 'medium', type: 'permission_change', secret: false };
    default:
      return { severity: 'medium', type: 'manual_change', secret: false };
  }
}

/** Words of the file name, the key path, and, for a line of a text file, the line's own key. */
function changeWords(file: string, path: readonly (string | number)[], before: Value | undefined, after: Value | undefined): string[] {
  const words = keyWords(file.split('/').pop() ?? '');
  for (const segment of path) if (typeof segment === 'string') words.push(...keyWords(segment));
  const line = typeof after === 'string' ? after : typeof before === 'string' ? before : undefined;
  if (line !== undefined && typeof path.at(-1) === 'number') {
    const key = /^\s*([A-Za-z][A-Za-z0-9_.-]*)/.exec(line)?.[1];
    if (key) words.push(...keyWords(key));
  }
  return words;
}

function weakened(words: readonly string[], before: Value | undefined, after: Value | undefined): boolean {
  if (words.some((w) => LOOSENING_WORDS.has(w))) return isOff(before) && isOn(after);
  return isOn(before) && isOff(after);
}

function isOn(value: Value | undefined): boolean {
  if (value === true) return true;
  return typeof value === 'string' && ON_VALUES.has(lastToken(value));
}

function isOff(value: Value | undefined): boolean {
  if (value === false) return true;
  return typeof value === 'string' && OFF_VALUES.has(lastToken(value));
}

// `PermitRootLogin no` is a line whose value is its last token.
function lastToken(text: string): string {
  return text.trim().split(/[\s=:]+/).pop()?.toLowerCase() ?? '';
}

function compatibleKinds(a: Value, b: Value): boolean {
  const ka = valueKind(a), kb = valueKind(b);
  if (ka === kb || ka === 'secret' || kb === 'secret' || ka === 'null' || kb === 'null') return true;
  // An integer that became a float (or back) is a change of value, not of shape.
  return (ka === 'integer' || ka === 'float') && (kb === 'integer' || kb === 'float');
}
