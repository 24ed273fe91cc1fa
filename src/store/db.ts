/** Opens the database named by `storage.database` and migrates it. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';

export interface Store {
  db: Kysely<Database>;
  /** Where the data lives, for start-up messages. */
  location: string;
  /** True when the database answers (for `/readyz`). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens `sqlite:PATH` (WAL mode; `sqlite::memory:` for tests) and applies migrations. */
export async function openStore(url: string): Promise<Store> {
  const path = url.replace(/^sqlite:/, '');
  const memory = path === ':memory:';
  const location = memory ? ':memory:' : resolve(path);
  if (!memory) mkdirSync(dirname(location), { recursive: true });
  const sqlite = new SQLite(location);
  // WAL: readers never block the writer, and a crash mid-write cannot corrupt committed data.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db as Kysely<unknown>);
  return {
    db,
    location,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}
