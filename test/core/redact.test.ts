import { describe, expect, it } from 'vitest';
import { redactValue } from '../../src/core/redact.js';
import { isSecretKeyName } from '../../src/core/secret-keys.js';
import { createMap, Secret, type Value } from '../../src/core/value.js';

const options = { isSecretKey: isSecretKeyName, fingerprint: (text: string) => `fp(${text.length})` };
const map = (o: Record<string, Value>) => createMap(Object.entries(o));

describe('isSecretKeyName', () => {
  it.each(['DB_PASSWORD', 'password', 'apiKey', 'api_key', 'TOKEN', 'client-secret', 'db.password', 'aws_secret_access_key', 'private_key', 'requirepass'])(
    '%s is a secret', (key) => expect(isSecretKeyName(key)).toBe(true));
  it.each(['PasswordAuthentication', 'password_file', 'token_ttl', 'port', 'secretName', 'keyboard', 'monkey', 'tokenizer'])(
    '%s is not a secret', (key) => expect(isSecretKeyName(key)).toBe(false));
});

describe('redactValue', () => {
  it('masks values under secret keys at any depth, whatever their kind', () => {
    const { value, secret } = redactValue(map({ db: map({ password: 918273645n, port: 5432n, nested: map({ token: [1n, 2n] }) }) }), options);
    expect(secret).toBe(true);
    const db = (value as Record<string, Record<string, Value>>).db!;
    expect(db.password).toBeInstanceOf(Secret);
    expect(db.port).toBe(5432n);
    expect((db.nested as Record<string, Value>).token).toBeInstanceOf(Secret);
    expect(JSON.stringify(String(db.password))).not.toContain('918273645');
  });

  it('leaves a null secret key alone and reports no secret', () => {
    expect(redactValue(map({ password: null }), options)).toEqual({ value: map({ password: null }), secret: false });
  });

  it('masks only the password of a URL', () => {
    const { value } = redactValue(map({ url: 'postgres://svc:hunter2@db:5432/app' }), options);
    const url = (value as Record<string, Value>).url as Secret;
    expect(url).toBeInstanceOf(Secret);
    expect(url.display).toBe('postgres://svc:***@db:5432/app');
  });

  it('masks private key blocks in any string', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n';
    expect((redactValue(map({ cert: pem }), options).value as Record<string, Value>).cert).toBeInstanceOf(Secret);
  });

  it('masks secret lines of text files, commented or not, and private key bodies', () => {
    const lines = ['port 6379', 'requirepass foobared', '# password = old', 'x', '-----BEGIN PRIVATE KEY-----', 'AAAA', '-----END PRIVATE KEY-----'];
    const { value, secret } = redactValue(lines, options, true);
    const out = value as Value[];
    expect(secret).toBe(true);
    expect(out[0]).toBe('port 6379');
    expect((out[1] as Secret).display).toBe('requirepass ***');
    expect((out[2] as Secret).display).toBe('# password = ***');
    expect(out[4]).toBe('-----BEGIN PRIVATE KEY-----');
    expect(out[5]).toBeInstanceOf(Secret);
    expect(out[6]).toBe('-----END PRIVATE KEY-----');
  });
});

describe('redactValue: values that are secrets by shape, and copies of secrets', () => {
  it('masks token shapes inside any string, keeping the rest readable', () => {
    const { value, secret } = redactValue(map({ note: 'use AKIAABCDEFGHIJKLMNOP for uploads', gh: 'ghp_' + 'a'.repeat(36) }), options);
    expect(secret).toBe(true);
    const out = value as Record<string, Secret>;
    expect(out.note!.display).toBe('use *** for uploads');
    expect(out.gh!.display).toBe('***');
  });

  it('masks a copy of a known secret wherever it appears in the document', () => {
    const doc = map({
      db: map({ password: 'Zq8-long-pass' }),
      dsn_copy: 'host=db user=app password=Zq8-long-pass sslmode=require',
      nested: [map({ blob: '{"pw":"Zq8-long-pass"}' })],
      port: 5432n,
    });
    const { value } = redactValue(doc, options);
    const out = value as Record<string, Value>;
    expect((out.dsn_copy as Secret).display).toBe('host=db user=app password=*** sslmode=require');
    expect(((out.nested as Value[])[0] as Record<string, Secret>).blob!.display).toBe('{"pw":"***"}');
    expect(out.port).toBe(5432n);
  });

  it('masks copies of secrets from text lines and URLs in other lines', () => {
    const lines = ['masterauth S3cretVal', 'replica-url redis://:S3cretVal@primary:6379', 'echo S3cretVal'];
    const out = redactValue(lines, options, true).value as Value[];
    expect(out.map((l) => (l instanceof Secret ? l.display : l))).toEqual(['masterauth ***', 'replica-url redis://:***@primary:6379', 'echo ***']);
  });

  it('does not hunt for secrets shorter than four characters', () => {
    const out = redactValue(map({ pin: '12', note: 'room 12' }), options).value as Record<string, Value>;
    expect(out.note).toBe('room 12');
  });
});

describe('redactValue: credentials found by users in the field', () => {
  const shown = (v: Value) => (v instanceof Secret ? v.display : v);
  it('masks inline passwords, bearer tokens and crypt hashes, keeping the rest readable', () => {
    const out = redactValue(map({
      jdbc: 'jdbc:mysql://db/app?user=app&password=Qq0ub4dor',
      conn: 'Server=db;User Id=sa;Password=Zz9-long;Encrypt=true',
      header: 'Bearer abcdefghij123456',
      shadow: 'root:$6$saltsalt$abcdefghijklmnop:19000:0:99999:7:::',
    }), options).value as Record<string, Value>;
    expect(shown(out.jdbc!)).toBe('jdbc:mysql://db/app?user=app&password=***');
    expect(shown(out.conn!)).toBe('Server=db;User Id=sa;Password=***;Encrypt=true');
    expect(shown(out.header!)).toBe('Bearer ***');
    expect(shown(out.shadow!)).toBe('root:***:19000:0:99999:7:::');
  });

  it('masks a Kubernetes Secret\'s data, plural and docker-style keys, but never a switch', () => {
    const out = redactValue(map({
      kind: 'Secret', data: map({ 'tls.key': 'LS0tLS1CRUdJTg==' }),
      passwords: ['a1b2c3', 'd4e5f6'], auths: map({ reg: map({ auth: 'dXNlcjpwYXNz' }) }), security: map({ auth: true }),
      SECRET_KEY_BASE: 'deadbeefcafe', PresharedKey: 'psk-value-123',
    }), options).value as Record<string, Value>;
    expect((out.data as Record<string, Value>)['tls.key']).toBeInstanceOf(Secret);
    expect(out.passwords).toBeInstanceOf(Secret);
    expect(((out.auths as Record<string, Value>).reg as Record<string, Value>).auth).toBeInstanceOf(Secret);
    expect((out.security as Record<string, Value>).auth).toBe(true);
    expect(out.SECRET_KEY_BASE).toBeInstanceOf(Secret);
    expect(out.PresharedKey).toBeInstanceOf(Secret);
  });

  it('gets through a 2 MB line (the old URL pattern backtracked for minutes; the test timeout guards it)', () => {
    const line = 'a'.repeat(2_000_000);
    expect(redactValue([line], options, true).secret).toBe(false);
    expect(redactValue(map({ s: line }), options).secret).toBe(false);
  });
});
