import { keyWords } from './key-words.js';

// A key names a secret when its LAST word (or last two) is a credential noun:
// `db_password` and `apiKey` are secrets, `PasswordAuthentication`,
// `password_file` and `token_ttl` are settings about secrets, not secrets.
const LAST_WORD = new Set([
  'password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'token', 'credential', 'credentials',
  'apikey', 'privatekey', 'dsn', 'requirepass', 'masterauth', 'psk', 'cookie', 'passwords', 'secrets', 'tokens', 'pw',
  'htpasswd', 'presharedkey', 'authorization', 'auth', 'connectionstring', 'credentialsjson',
]);
const LAST_TWO_WORDS = new Set([
  'api key', 'private key', 'access key', 'secret key', 'auth key', 'signing key', 'encryption key',
  'master key', 'client secret', 'shared secret', 'session key', 'app key', 'license key', 'preshared key',
  'key base', 'connection string', 'bind pw', 'bind password',
]);

/**
 * Whether a map key, env variable or config line key holds a secret value.
 *
 * @example isSecretKeyName('DB_PASSWORD') // true
 * @example isSecretKeyName('PasswordAuthentication') // false
 */
export function isSecretKeyName(key: string): boolean {
  const words = keyWords(key);
  const last = words.at(-1);
  if (last === undefined) return false;
  if (LAST_WORD.has(last)) return true;
  return words.length >= 2 && LAST_TWO_WORDS.has(`${words.at(-2)} ${last}`);
}
