/**
 * Client authentication from an in-memory cache of key hashes: no database wait per request.
 * The cache is loaded at start-up, updated by every admin change on this instance and kept in
 * step with other instances by the key sync (policy/key-sync.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../core/errors.js';
import { hashApiKey, type ApiKeyRecord } from '../store/keys-repository.js';

/** Who is calling: the operator (master key) or a client key. */
export type Principal = { kind: 'master' } | { kind: 'key'; key: ApiKeyRecord };

export interface Authenticator {
  /** Resolves a presented key; throws 401 `invalid_api_key` when it is missing, unknown, revoked, disabled or expired. */
  authenticate(presented: string | undefined): Principal;
  /** True only for the master key (admin API). */
  isMaster(presented: string | undefined): boolean;
  /** Adds or replaces a key in the cache (after create or update). */
  remember(record: ApiKeyRecord): void;
  /** Replaces the whole cache (start-up, or a reload). */
  reset(records: readonly ApiKeyRecord[]): void;
}

export interface AuthenticatorOptions {
  masterKey: string;
  now?: () => number;
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const now = options.now ?? Date.now;
  const masterHash = Buffer.from(hashApiKey(options.masterKey), 'hex');
  const byHash = new Map<string, ApiKeyRecord>();
  const idToHash = new Map<string, string>();

  const isMasterHash = (hash: string): boolean => timingSafeEqual(Buffer.from(hash, 'hex'), masterHash);

  function unauthorized(message: string): GatewayError {
    return new GatewayError('invalid_api_key', message);
  }

  return {
    authenticate(presented) {
      if (presented === undefined || presented === '') {
        throw unauthorized('Missing API key. Send it as "Authorization: Bearer <key>", "x-api-key" or "api-key".');
      }
      const hash = hashApiKey(presented);
      if (isMasterHash(hash)) return { kind: 'master' };
      // A map lookup by hash is not a timing oracle for the key: the hash is not attacker-chosen.
      const key = byHash.get(hash);
      if (!key) throw unauthorized('Incorrect API key provided.');
      if (key.revokedAt !== null) throw unauthorized('This API key has been revoked.');
      if (!key.enabled) throw unauthorized('This API key is disabled.');
      if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now()) throw unauthorized('This API key has expired.');
      return { kind: 'key', key };
    },
    isMaster(presented) {
      return presented !== undefined && presented !== '' && isMasterHash(hashApiKey(presented));
    },
    remember(record) {
      const previous = idToHash.get(record.id);
      if (previous !== undefined) byHash.delete(previous);
      byHash.set(record.keyHash, record);
      idToHash.set(record.id, record.keyHash);
    },
    reset(records) {
      byHash.clear();
      idToHash.clear();
      for (const record of records) this.remember(record);
    },
  };
}
