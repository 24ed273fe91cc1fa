/** Client API keys: created with a random secret, stored as a SHA-256 hash only. */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeysTable, Database } from './schema.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  keyHash: string;
  keyPrefix: string;
  /** Allowed model patterns (`*` wildcards), or null for every model. */
  models: string[] | null;
  expiresAt: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface NewApiKey {
  name: string;
  models?: string[] | null;
  expiresAt?: string | null;
}

/** SHA-256 hex of a key: what is stored and what requests are matched against. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function toRecord(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    keyHash: row.key_hash,
    keyPrefix: row.key_prefix,
    models: row.models === null ? null : (JSON.parse(row.models) as string[]),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

export interface KeysRepository {
  /** Creates a key; the returned `key` is the only time the secret exists outside the caller. */
  create(input: NewApiKey, actor: string): Promise<{ record: ApiKeyRecord; key: string }>;
  list(): Promise<ApiKeyRecord[]>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Marks a key revoked; returns the updated record, or undefined when there is no such key. */
  revoke(id: string, actor: string): Promise<ApiKeyRecord | undefined>;
}

export function createKeysRepository(db: Kysely<Database>, now: () => Date = () => new Date()): KeysRepository {
  // The audit row is written in the same transaction as the change it records.
  async function audit(trx: Kysely<Database>, actor: string, action: string, target: string, detail?: unknown): Promise<void> {
    await trx.insertInto('audit_log').values({
      at: now().toISOString(), actor, action, target, detail: detail === undefined ? null : JSON.stringify(detail),
    }).execute();
  }

  return {
    async create(input, actor) {
      const key = `sk-sy-${randomBytes(24).toString('base64url')}`;
      const row = {
        id: `key_${randomBytes(8).toString('hex')}`,
        name: input.name,
        key_hash: hashApiKey(key),
        key_prefix: key.slice(0, 10),
        models: input.models ? JSON.stringify(input.models) : null,
        expires_at: input.expiresAt ?? null,
        created_at: now().toISOString(),
        revoked_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('api_keys').values(row).execute();
        await audit(trx, actor, 'key.create', row.id, { name: row.name, models: input.models ?? null, expires_at: row.expires_at });
      });
      return { record: toRecord(row), key };
    },
    async list() {
      return (await db.selectFrom('api_keys').selectAll().orderBy('created_at').execute()).map(toRecord);
    },
    async get(id) {
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },
    async revoke(id, actor) {
      const revokedAt = now().toISOString();
      await db.transaction().execute(async (trx) => {
        const result = await trx.updateTable('api_keys').set({ revoked_at: revokedAt }).where('id', '=', id)
          .where('revoked_at', 'is', null).executeTakeFirst();
        if (Number(result.numUpdatedRows) > 0) await audit(trx, actor, 'key.revoke', id);
      });
      return this.get(id);
    },
  };
}
