/** Key changes reach other instances: by Redis pub/sub at once, and by the periodic refresh without Redis. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisNamespace, describeWithServices, REDIS_URL } from '../../test/support/services.js';
import { openStore, type Store } from '../store/db.js';
import { createKeysRepository, type KeysRepository } from '../store/keys-repository.js';
import { openRedis, openRedisSubscriber } from '../store/redis.js';
import { createAuthenticator, type Authenticator } from './authenticate.js';
import { createKeySync, keyChannel, type KeySync } from './key-sync.js';

const MASTER = 'sk-sy-master-0123456789abcdef';

async function eventually(check: () => void, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

describe('key sync without Redis', () => {
  let dir: string;
  let stores: Store[];
  let syncs: KeySync[];
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-keysync-'));
    const url = `sqlite:${join(dir, 'keys.db')}`;
    stores = [await openStore(url), await openStore(url)];
    syncs = [];
  });
  afterEach(async () => {
    for (const sync of syncs) await sync.close();
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('picks up a revocation made by another instance within the refresh interval', async () => {
    const [a, b] = stores as [Store, Store];
    const keysA = createKeysRepository(a.db);
    const { record, key } = await keysA.create({ name: 'shared' }, 'admin');
    const authB = createAuthenticator({ masterKey: MASTER });
    const syncB = createKeySync({ keys: createKeysRepository(b.db), auth: authB, refreshMs: 50 });
    syncs.push(syncB);
    await syncB.start();
    expect(authB.authenticate(key)).toMatchObject({ kind: 'key' });
    await keysA.revoke(record.id, 'admin');
    await eventually(() => expect(() => authB.authenticate(key)).toThrow(/revoked/));
  });
});

const describeRedis = await describeWithServices(['redis']);

describeRedis('key sync over Redis pub/sub', () => {
  let ns: Awaited<ReturnType<typeof createRedisNamespace>>;
  let store: Store;
  let keys: KeysRepository;
  const syncs: KeySync[] = [];
  const auths: Authenticator[] = [];
  beforeAll(async () => {
    ns = await createRedisNamespace();
    store = await openStore('sqlite::memory:');
    keys = createKeysRepository(store.db);
    for (let i = 0; i < 2; i++) {
      const publisher = await openRedis(REDIS_URL);
      const auth = createAuthenticator({ masterKey: MASTER });
      // A refresh far in the future: only pub/sub can explain a change arriving.
      const sync = createKeySync({
        keys, auth, refreshMs: 3_600_000,
        redis: { publisher, subscriber: openRedisSubscriber(publisher), channel: keyChannel(ns.prefix) },
      });
      await sync.start();
      syncs.push({ ...sync, close: async () => { await sync.close(); publisher.disconnect(); } });
      auths.push(auth);
    }
  });
  afterAll(async () => {
    for (const sync of syncs) await sync.close();
    await store.close();
    await ns.clean();
  });

  it('announces a new key, a disabled key and a revocation to the other instance at once', async () => {
    const [authA, authB] = auths as [Authenticator, Authenticator];
    const [syncA] = syncs as [KeySync];
    const { record, key } = await keys.create({ name: 'k' }, 'admin');
    expect(() => authB.authenticate(key)).toThrow(/Incorrect/);
    await syncA.apply(record);
    expect(authA.authenticate(key)).toMatchObject({ kind: 'key' });
    await eventually(() => expect(authB.authenticate(key)).toMatchObject({ kind: 'key' }), 1_000);
    const disabled = await keys.update(record.id, { enabled: false }, 'admin');
    if (disabled) await syncA.apply(disabled);
    await eventually(() => expect(() => authB.authenticate(key)).toThrow(/disabled/), 1_000);
    const revoked = await keys.revoke(record.id, 'admin');
    if (revoked) await syncA.apply(revoked);
    await eventually(() => expect(() => authB.authenticate(key)).toThrow(/revoked/), 1_000);
  });
});
