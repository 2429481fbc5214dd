import { describe, expect, it } from 'vitest';
import { classifyChange } from '../../src/core/classify.js';
import { Secret } from '../../src/core/value.js';

describe('classifyChange defaults (SPEC section 2)', () => {
  it('ranks secrets critical', () => {
    expect(classifyChange({ kind: 'modified', file: '.env', path: ['TOKEN'], before: new Secret('a'), after: new Secret('b') }))
      .toEqual({ severity: 'critical', type: 'manual_change', secret: true });
  });
  it('ranks a TLS switch turned off as a high security degradation', () => {
    expect(classifyChange({ kind: 'modified', file: 'a.yaml', path: ['tls', 'enabled'], before: true, after: false }))
      .toEqual({ severity: 'high', type: 'security_degradation', secret: false });
  });
  it('knows that turning a permit switch on is the weaker direction', () => {
    const on = classifyChange({ kind: 'modified', file: 'sshd_config', path: [3], before: 'PermitRootLogin no', after: 'PermitRootLogin yes' });
    const off = classifyChange({ kind: 'modified', file: 'sshd_config', path: [3], before: 'PermitRootLogin yes', after: 'PermitRootLogin no' });
    expect(on).toMatchObject({ severity: 'high', type: 'security_degradation' });
    expect(off).toMatchObject({ severity: 'high', type: 'manual_change' });
  });
  it('ranks ports, hosts, timeouts and removals medium, the rest low', () => {
    expect(classifyChange({ kind: 'modified', file: 'a.yaml', path: ['db', 'port'], before: 1n, after: 2n }).severity).toBe('medium');
    expect(classifyChange({ kind: 'modified', file: 'hosts', path: [1], before: '10.0.0.5 db', after: '10.0.0.9 db' }).severity).toBe('medium');
    expect(classifyChange({ kind: 'removed', file: 'a.yaml', path: ['x'], before: 1n }).severity).toBe('medium');
    expect(classifyChange({ kind: 'modified', file: 'a.yaml', path: ['replicas'], before: 1n, after: 2n }).severity).toBe('low');
  });
  it('calls a change of shape a schema violation', () => {
    expect(classifyChange({ kind: 'modified', file: 'a.yaml', path: ['replicas'], before: 3n, after: 'three' }))
      .toMatchObject({ severity: 'medium', type: 'schema_violation' });
  });
  it('treats encoding as low and permissions by what they grant', () => {
    expect(classifyChange({ kind: 'metadata', file: 'a', path: [], attribute: 'bom', before: false, after: true }))
      .toEqual({ severity: 'low', type: 'encoding_change', secret: false });
    expect(classifyChange({ kind: 'metadata', file: 'a', path: [], attribute: 'mode', before: '0644', after: '0600' }))
      .toMatchObject({ severity: 'low', type: 'permission_change' });
    expect(classifyChange({ kind: 'metadata', file: 'a', path: [], attribute: 'mode', before: '0644', after: '0666' }))
      .toMatchObject({ severity: 'high', type: 'security_degradation' });
  });
});
