/**
 * createGateway wires everything stateful — store, key cache, transport, providers, router —
 * from a validated config. Nothing lives at module level; tests build as many as they like.
 */
import { dirname } from 'node:path';
import { setTimeout as sleepTimer } from 'node:timers/promises';
import { pino, type Logger } from 'pino';
import { resolveMasterKey } from './config/master-key.js';
import type { Config } from './config/schema.js';
import { createRedactor, type Redactor } from './core/redact.js';
import { createAuthenticator, type Authenticator } from './policy/authenticate.js';
import { createProviders } from './providers/registry.js';
import type { Provider } from './providers/provider.js';
import type { RetryPolicy } from './routing/execute.js';
import { compileRouter, type Router } from './routing/plan.js';
import { openStore, type Store } from './store/db.js';
import { createKeysRepository, type KeysRepository } from './store/keys-repository.js';
import { createImageFetcher } from './transport/fetch-image.js';
import { createTransport, type Transport } from './transport/http.js';

export interface GatewayDeps {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Random source for weighted routing and retry jitter. */
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface Gateway {
  config: Config;
  logger: Logger;
  store: Store;
  keys: KeysRepository;
  auth: Authenticator;
  providers: ReadonlyMap<string, Provider>;
  router: Router;
  retry: RetryPolicy;
  transport: Transport;
  redact: Redactor;
  random: () => number;
  /** Where the master key came from (never the key). */
  masterKeySource: string;
  close(): Promise<void>;
}

/** Secrets that must never appear in logs or error messages. */
function collectSecrets(config: Config, masterKey: string): string[] {
  const secrets = [masterKey];
  for (const provider of Object.values(config.providers)) {
    if (provider.api_key) secrets.push(provider.api_key);
    for (const value of Object.values(provider.headers ?? {})) secrets.push(value);
  }
  return secrets;
}

export async function createGateway(config: Config, deps: GatewayDeps = {}): Promise<Gateway> {
  const env = deps.env ?? process.env;
  const logger = deps.logger ?? pino({ level: config.server.log_level });
  const store = await openStore(config.storage.database);
  const dataDir = store.location === ':memory:' ? '.switchyard' : dirname(store.location);
  const master = resolveMasterKey({ configured: config.server.master_key, env, dataDir });
  const redact = createRedactor(collectSecrets(config, master.key));
  const keys = createKeysRepository(store.db);
  const auth = createAuthenticator({ masterKey: master.key });
  auth.reset(await keys.list());
  const transport = createTransport({ connectTimeoutMs: config.routing.connect_timeout_ms });
  const images = createImageFetcher();
  const providers = createProviders({ config, transport, images, sanitize: redact });
  const router = compileRouter({ groups: config.models, providers, created: Math.floor(Date.now() / 1000) });
  const random = deps.random ?? Math.random;
  const retry: RetryPolicy = {
    retries: config.routing.retries,
    maxRetryAfterMs: config.routing.max_retry_after_ms,
    baseDelayMs: 250,
    maxDelayMs: 8_000,
    random,
    sleep: deps.sleep ?? ((ms, signal) => sleepTimer(ms, undefined, { signal })),
  };
  return {
    config, logger, store, keys, auth, providers, router, retry, transport, redact, random,
    masterKeySource: master.source,
    async close() {
      await transport.close();
      await images.close();
      await store.close();
    },
  };
}
