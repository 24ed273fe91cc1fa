/**
 * What the admin commands (`keys`, `usage`) work on: the database of the same config the
 * gateway runs with, and its Redis when set, so a running gateway hears about key changes at
 * once (without Redis, its periodic refresh picks them up within `storage.key_refresh_ms`).
 */
import { existsSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { loadConfigFile, validateConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { keyChannel } from '../policy/key-sync.js';
import { openStore, type Store } from '../store/db.js';
import { createKeysRepository, type ApiKeyRecord, type KeysRepository } from '../store/keys-repository.js';
import { openRedis } from '../store/redis.js';
import { createUsageRepository, type UsageRepository } from '../store/usage-repository.js';

export interface AdminContext {
  config: Config;
  store: Store;
  keys: KeysRepository;
  usage: UsageRepository;
  /** Tells running gateways that a key changed (Redis pub/sub; a no-op without Redis). */
  announce(record: ApiKeyRecord): Promise<void>;
}

export interface AdminOptions {
  configPath?: string;
  env: NodeJS.ProcessEnv;
}

/** The config file as `serve` would pick it (`--config`, SWITCHYARD_CONFIG, ./switchyard.yaml), else defaults. */
function loadAdminConfig(options: AdminOptions): Config {
  const path = options.configPath ?? options.env.SWITCHYARD_CONFIG ?? (existsSync('switchyard.yaml') ? 'switchyard.yaml' : undefined);
  return path === undefined ? validateConfig({}, 'defaults', options.env) : loadConfigFile(path, options.env);
}

/** Opens the store (and Redis), runs `action`, and closes them. */
export async function withAdminContext<T>(options: AdminOptions, action: (context: AdminContext) => Promise<T>): Promise<T> {
  const config = loadAdminConfig(options);
  const store = await openStore(config.storage.database);
  let redis: Redis | undefined;
  try {
    const context: AdminContext = {
      config,
      store,
      keys: createKeysRepository(store.db),
      usage: createUsageRepository(store.db, { sqlite: store.sqlite }),
      async announce(record) {
        if (!config.storage.redis) return;
        redis ??= await openRedis(config.storage.redis);
        await redis.publish(keyChannel(config.storage.redis_prefix), record.id);
      },
    };
    return await action(context);
  } finally {
    redis?.disconnect();
    await store.close();
  }
}
