import { describe, expect, test } from 'vitest';
import type { Change } from '../../../src/core/change.js';
import { compileValuePredicate } from '../../../src/core/rules/value-predicate.js';
import type { ValuePredicate } from '../../../src/core/rules/rule-types.js';
import { createMap, DateTime, Secret, Tagged, type Value } from '../../../src/core/value.js';

const modified = (before: Value, after: Value): Change => ({ kind: 'modified', file: 'a.yaml', path: ['x'], before, after });
const added = (after: Value): Change => ({ kind: 'added', file: 'a.yaml', path: ['x'], after });
const removed = (before: Value): Change => ({ kind: 'removed', file: 'a.yaml', path: ['x'], before });

describe('turnedOff / turnedOn', () => {
  const off = compileValuePredicate({ turnedOff: true });
  const on = compileValuePredicate({ turnedOn: true });

  test('booleans', () => {
    expect(off(modified(true, false))).toBe(true);
    expect(off(modified(false, true))).toBe(false);
    expect(on(modified(false, true))).toBe(true);
    expect(on(modified(true, true))).toBe(false);
  });

  test('switch-like strings, any case, and across boolean and string', () => {
    for (const [b, a] of [['on', 'off'], ['yes', 'no'], ['enabled', 'disabled'], ['True', 'FALSE'], ['1', '0'], ['enforcing', 'permissive']]) {
      expect(off(modified(b!, a!)), `${b} -> ${a}`).toBe(true);
      expect(on(modified(a!, b!)), `${a} -> ${b}`).toBe(true);
    }
    expect(off(modified(true, 'off'))).toBe(true);
    expect(off(modified('yes', false))).toBe(true);
  });

  test('a text line is read by its last token, and its head must stay the same', () => {
    expect(off(modified('UsePAM yes', 'UsePAM no'))).toBe(true);
    expect(off(modified('ssl = on', 'ssl = off'))).toBe(true);
    expect(off(modified('ssl = on', 'ssl=off'))).toBe(true);
    expect(off(modified('UsePAM yes', 'X11Forwarding no'))).toBe(false);
    expect(on(modified('PermitRootLogin  no', 'PermitRootLogin yes'))).toBe(true);
  });

  test('values that are not switches, additions, removals and secrets never match', () => {
    expect(off(modified('fast', 'slow'))).toBe(false);
    expect(off(modified(1n, 0n))).toBe(false);
    expect(off(added(false))).toBe(false);
    expect(off(removed(true))).toBe(false);
    expect(off(modified(new Secret('a'), new Secret('b')))).toBe(false);
  });

  test('metadata changes carry values too', () => {
    expect(on({ kind: 'metadata', file: 'a', path: [], attribute: 'bom', before: false, after: true })).toBe(true);
  });
});

describe('decreased / increased', () => {
  const down = compileValuePredicate({ decreased: true });
  const up = compileValuePredicate({ increased: true });

  test('integers and floats compare by value, across kinds', () => {
    expect(down(modified(5n, 3n))).toBe(true);
    expect(up(modified(5n, 3n))).toBe(false);
    expect(up(modified(1n, 1.5))).toBe(true);
    expect(down(modified(2.5, 2n))).toBe(true);
    expect(down(modified(1n, 1.0))).toBe(false);
    expect(up(modified(1n, 1.0))).toBe(false);
  });

  test('integers beyond 2^53 keep every digit', () => {
    expect(up(modified(9007199254740992n, 9007199254740993n))).toBe(true);
    expect(down(modified(9007199254740993n, 9007199254740992))).toBe(true);
  });

  test('numeric text, and text lines of the same setting', () => {
    expect(down(modified('30', '10'))).toBe(true);
    expect(down(modified('30', 10n))).toBe(true);
    expect(up(modified('MaxAuthTries 3', 'MaxAuthTries 6'))).toBe(true);
    expect(up(modified('timeout=1.5', 'timeout=2e1'))).toBe(true);
    expect(up(modified('MaxAuthTries 3', 'MaxSessions 6'))).toBe(false);
    expect(up(modified('10.0.0.1', '10.0.0.2'))).toBe(false);
    expect(up(modified('30s', '60s'))).toBe(false);
  });

  test('NaN, non-numbers, secrets, additions never match', () => {
    expect(up(modified(Number.NaN, 1))).toBe(false);
    expect(up(modified(1n, 'two'))).toBe(false);
    expect(up(modified(true, 2n))).toBe(false);
    expect(up(modified(new Secret('a'), new Secret('b')))).toBe(false);
    expect(up(added(5n))).toBe(false);
  });
});

describe('matches', () => {
  test('tests the new value as text', () => {
    const open = compileValuePredicate({ matches: '^0\\.0\\.0\\.0(:\\d+)?$' });
    expect(open(modified('127.0.0.1:80', '0.0.0.0:80'))).toBe(true);
    expect(open(added('0.0.0.0'))).toBe(true);
    expect(open(modified('0.0.0.0', '127.0.0.1'))).toBe(false);
    expect(open(removed('0.0.0.0'))).toBe(false);
  });

  test('renders every kind of value as a user reads it', () => {
    const test = (pattern: string, value: Value) => compileValuePredicate({ matches: pattern })(added(value));
    expect(test('^8080$', 8080n)).toBe(true);
    expect(test('^1\\.0$', 1)).toBe(true);
    expect(test('^true$', true)).toBe(true);
    expect(test('^null$', null)).toBe(true);
    expect(test('^2024-01-01$', new DateTime('local-date', '2024-01-01'))).toBe(true);
    expect(test('^!Ref Bucket$', new Tagged('!Ref', 'Bucket'))).toBe(true);
    expect(test('"privileged":true', createMap([['privileged', true]]))).toBe(true);
    expect(test('"b"', ['a', 'b'])).toBe(true);
  });

  test('a secret never matches, whatever the pattern: its clear value is unknown', () => {
    const anything = compileValuePredicate({ matches: '' });
    expect(anything(added(new Secret('f', 'postgres://svc:***@db/app')))).toBe(false);
    expect(anything(modified('x', new Secret('f')))).toBe(false);
    expect(anything(added(new Tagged('!Secret', new Secret('f'))))).toBe(false);
    // inside a map it shows as its mask, as the user sees it; the clear value is never there
    expect(compileValuePredicate({ matches: 'hunter2' })(added(createMap([['password', new Secret('f')]])))).toBe(false);
  });

  test('a bad regular expression is a config error', () => {
    expect(() => compileValuePredicate({ matches: '(' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('changedTo', () => {
  test('compares the new value with a JSON scalar; a number matches an integer or a float of that value', () => {
    expect(compileValuePredicate({ changedTo: 0 })(modified(3n, 0n))).toBe(true);
    expect(compileValuePredicate({ changedTo: 0 })(modified(3n, 0.0))).toBe(true);
    expect(compileValuePredicate({ changedTo: 0.5 })(modified(3n, 0n))).toBe(false);
    expect(compileValuePredicate({ changedTo: 1e21 })(modified(3n, 1000000000000000000000n))).toBe(true);
    expect(compileValuePredicate({ changedTo: 'off' })(modified('on', 'off'))).toBe(true);
    expect(compileValuePredicate({ changedTo: 'off' })(modified('on', false))).toBe(false);
    expect(compileValuePredicate({ changedTo: false })(modified(true, false))).toBe(true);
    expect(compileValuePredicate({ changedTo: null })(added(null))).toBe(true);
    expect(compileValuePredicate({ changedTo: null })(removed(null))).toBe(false);
    expect(compileValuePredicate({ changedTo: '0' })(modified('1', 0n))).toBe(false);
  });

  test('the mask of a secret is not its value', () => {
    expect(compileValuePredicate({ changedTo: '***' })(modified('x', new Secret('f')))).toBe(false);
  });
});

describe('refused predicates', () => {
  test.each([
    [{}],
    [{ turnedOff: true, turnedOn: true }],
    [{ turnedOff: false }],
    [{ decreasing: true }],
    [{ changedTo: [1] }],
    [{ matches: 3 }],
  ])('%j', (predicate) => {
    expect(() => compileValuePredicate(predicate as unknown as ValuePredicate)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
