import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../test/unit/support/errors.js';
import { hashApiKey, type ApiKeyRecord } from '../store/keys-repository.js';
import { createAuthenticator } from './authenticate.js';

const MASTER = 'sk-sy-master-0123456789abcdef';
const NOW = Date.parse('2026-08-01T12:00:00Z');

function record(key: string, fields: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: `key_${key.slice(-4)}`,
    name: 'test',
    keyHash: hashApiKey(key),
    keyPrefix: key.slice(0, 10),
    models: null,
    expiresAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    revokedAt: null,
    limits: null,
    enabled: true,
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  };
}

describe('createAuthenticator', () => {
  const active = record('sk-sy-active-aaaa');
  const revoked = record('sk-sy-revoked-bbbb', { revokedAt: '2026-07-01T00:00:00.000Z' });
  const expired = record('sk-sy-expired-cccc', { expiresAt: '2026-08-01T11:59:59.000Z' });
  const future = record('sk-sy-future-dddd', { expiresAt: '2026-08-01T12:00:01.000Z' });
  const disabled = record('sk-sy-disabled-eeee', { enabled: false });
  const auth = createAuthenticator({ masterKey: MASTER, now: () => NOW });
  auth.reset([active, revoked, expired, future, disabled]);

  it('recognises the master key', () => {
    expect(auth.authenticate(MASTER)).toEqual({ kind: 'master' });
    expect(auth.isMaster(MASTER)).toBe(true);
  });

  it.each([active, future])('accepts a live client key (%#)', (rec) => {
    const key = `sk-sy-${rec === active ? 'active-aaaa' : 'future-dddd'}`;
    expect(auth.authenticate(key)).toEqual({ kind: 'key', key: rec });
    expect(auth.isMaster(key)).toBe(false);
  });

  it.each<[string, string | undefined, RegExp]>([
    ['missing', undefined, /Missing API key/],
    ['empty', '', /Missing API key/],
    ['unknown', 'sk-sy-unknown-zzzz', /Incorrect API key/],
    ['master with a typo', `${MASTER}x`, /Incorrect API key/],
    ['revoked', 'sk-sy-revoked-bbbb', /revoked/],
    ['expired', 'sk-sy-expired-cccc', /expired/],
    ['disabled', 'sk-sy-disabled-eeee', /disabled/],
  ])('refuses a %s key with 401', (_name, presented, message) => {
    const error = captureGatewayError(() => auth.authenticate(presented));
    expect([error.code, error.status]).toEqual(['invalid_api_key', 401]);
    expect(error.message).toMatch(message);
    if (presented) expect(error.message).not.toContain(presented);
  });

  it.each([undefined, '', 'sk-sy-active-aaaa'])('isMaster(%j) is false', (presented) => {
    expect(auth.isMaster(presented)).toBe(false);
  });

  it('remember replaces a key by id, so the old secret stops working', () => {
    const local = createAuthenticator({ masterKey: MASTER, now: () => NOW });
    local.remember(record('sk-sy-first-1111', { id: 'key_same' }));
    local.remember(record('sk-sy-second-2222', { id: 'key_same' }));
    expect(() => local.authenticate('sk-sy-first-1111')).toThrow(/Incorrect/);
    expect(local.authenticate('sk-sy-second-2222')).toMatchObject({ kind: 'key' });
  });

  it('remember applies a revocation to the cache at once', () => {
    const local = createAuthenticator({ masterKey: MASTER, now: () => NOW });
    const rec = record('sk-sy-live-3333');
    local.remember(rec);
    local.remember({ ...rec, revokedAt: '2026-08-01T00:00:00.000Z' });
    expect(() => local.authenticate('sk-sy-live-3333')).toThrow(/revoked/);
  });

  it('reset replaces the whole cache', () => {
    const local = createAuthenticator({ masterKey: MASTER, now: () => NOW });
    local.reset([record('sk-sy-old-4444')]);
    local.reset([record('sk-sy-new-5555')]);
    expect(() => local.authenticate('sk-sy-old-4444')).toThrow(/Incorrect/);
    expect(local.authenticate('sk-sy-new-5555')).toMatchObject({ kind: 'key' });
    expect(local.authenticate(MASTER)).toEqual({ kind: 'master' });
  });
});
