/** The public view of a key (admin API, CLI): never the hash, never the secret. */
import type { ApiKeyRecord } from '../store/keys-repository.js';

export type KeyStatus = 'active' | 'revoked' | 'expired' | 'disabled';

export function keyStatusOf(record: ApiKeyRecord, now: number): KeyStatus {
  if (record.revokedAt !== null) return 'revoked';
  if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now) return 'expired';
  return record.enabled ? 'active' : 'disabled';
}

export function encodeApiKey(record: ApiKeyRecord, now = Date.now()): Record<string, unknown> {
  return {
    id: record.id,
    object: 'api_key',
    name: record.name,
    key_prefix: record.keyPrefix,
    models: record.models,
    limits: record.limits,
    enabled: record.enabled,
    expires_at: record.expiresAt,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    revoked_at: record.revokedAt,
    status: keyStatusOf(record, now),
  };
}
