/** Table types for Kysely. Timestamps are ISO-8601 text so SQLite and PostgreSQL agree. */
import type { Generated } from 'kysely';

export interface ApiKeysTable {
  id: string;
  name: string;
  /** SHA-256 of the key, hex. The key itself is never stored. */
  key_hash: string;
  /** The first characters of the key, to recognise it in lists (`sk-sy-3f9a…`). */
  key_prefix: string;
  /** JSON array of allowed model patterns, or null for all models. */
  models: string | null;
  expires_at: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string | null;
}

export interface Database {
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
}
