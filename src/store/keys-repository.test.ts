import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../policy/authenticate.js';
import { openStore, type Store } from './db.js';
import { createKeysRepository, hashApiKey, type KeysRepository } from './keys-repository.js';

const T0 = new Date('2026-08-01T10:00:00.000Z');
const T1 = new Date('2026-08-02T11:30:00.000Z');

describe('keys repository on sqlite::memory:', () => {
  let store: Store;
  let keys: KeysRepository;
  let clock: Date;

  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    clock = T0;
    keys = createKeysRepository(store.db, () => clock);
  });
  afterEach(async () => {
    await store.close();
  });

  const rawRows = async (table: 'api_keys' | 'audit_log'): Promise<Array<Record<string, unknown>>> =>
    (await store.db.selectFrom(table).selectAll().execute()) as Array<Record<string, unknown>>;

  it('opens, migrates and answers ping', async () => {
    expect(store.location).toBe(':memory:');
    expect(await store.ping()).toBe(true);
    expect(await keys.list()).toEqual([]);
  });

  it('create returns the key once; only its hash and a short prefix are stored', async () => {
    const { record, key } = await keys.create({ name: 'ci', models: ['demo/*'] }, 'admin');
    expect(key).toMatch(/^sk-sy-[A-Za-z0-9_-]{32}$/);
    expect(record).toEqual({
      id: expect.stringMatching(/^key_[0-9a-f]{16}$/) as unknown as string,
      name: 'ci',
      keyHash: hashApiKey(key),
      keyPrefix: key.slice(0, 10),
      models: ['demo/*'],
      expiresAt: null,
      createdAt: T0.toISOString(),
      revokedAt: null,
      limits: null,
      enabled: true,
      updatedAt: T0.toISOString(),
    });
    expect(record).not.toHaveProperty('key');

    const rows = await rawRows('api_keys');
    expect(rows).toHaveLength(1);
    const row = rows[0] ?? {};
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.key_hash).toBe(hashApiKey(key));
    const rowText = JSON.stringify(row);
    expect(rowText).not.toContain(key);
    expect(rowText).not.toContain(key.slice(10));
    expect(rowText).not.toContain(key.slice(-12));
    expect(JSON.stringify(await rawRows('audit_log'))).not.toContain(key.slice(10));
  });

  it('every key is different and the secret cannot be read back', async () => {
    const a = await keys.create({ name: 'a' }, 'admin');
    const b = await keys.create({ name: 'b' }, 'admin');
    expect(a.key).not.toBe(b.key);
    const listed = JSON.stringify(await keys.list());
    expect(listed).not.toContain(a.key.slice(10));
    expect(listed).not.toContain(b.key.slice(10));
    expect(await keys.get(a.record.id)).toEqual(a.record);
    expect(await keys.get('key_missing')).toBeUndefined();
  });

  it('stores model lists and expiry', async () => {
    const { record } = await keys.create({ name: 'x', models: ['a', 'b*'], expiresAt: '2027-01-01T00:00:00.000Z' }, 'admin');
    const row = (await rawRows('api_keys'))[0];
    expect(row?.models).toBe('["a","b*"]');
    expect(await keys.get(record.id)).toMatchObject({ models: ['a', 'b*'], expiresAt: '2027-01-01T00:00:00.000Z' });
    const { record: open } = await keys.create({ name: 'all' }, 'admin');
    expect(open.models).toBeNull();
  });

  it('revoke marks the key once and keeps the first revocation time', async () => {
    const { record } = await keys.create({ name: 'ci' }, 'admin');
    clock = T1;
    expect(await keys.revoke(record.id, 'alice')).toEqual({ ...record, revokedAt: T1.toISOString(), updatedAt: T1.toISOString() });
    clock = new Date('2030-01-01T00:00:00.000Z');
    expect((await keys.revoke(record.id, 'bob'))?.revokedAt).toBe(T1.toISOString());
    expect(await keys.revoke('key_missing', 'bob')).toBeUndefined();
  });

  it('writes one audit row per change, in the same transaction', async () => {
    const { record } = await keys.create({ name: 'ci', models: ['demo/*'] }, 'admin');
    clock = T1;
    await keys.revoke(record.id, 'alice');
    await keys.revoke(record.id, 'alice');
    await keys.revoke('key_missing', 'alice');
    const audit = await rawRows('audit_log');
    expect(audit.map(({ id: _id, ...rest }) => rest)).toEqual([
      { at: T0.toISOString(), actor: 'admin', action: 'key.create', target: record.id, detail: JSON.stringify({ name: 'ci', models: ['demo/*'], expires_at: null }) },
      { at: T1.toISOString(), actor: 'alice', action: 'key.revoke', target: record.id, detail: null },
    ]);
  });

  it('stores limits and the enabled flag, and updates only the fields given', async () => {
    const { record } = await keys.create({ name: 'limited', limits: { rpm: 10, budget_usd: 2.5, budget_period: 'weekly' } }, 'admin');
    expect(record).toMatchObject({ limits: { rpm: 10, budget_usd: 2.5, budget_period: 'weekly' }, enabled: true });
    expect((await rawRows('api_keys'))[0]).toMatchObject({ limits: '{"rpm":10,"budget_usd":2.5,"budget_period":"weekly"}', enabled: 1 });
    clock = T1;
    const updated = await keys.update(record.id, { name: 'renamed', enabled: false, limits: null }, 'alice');
    expect(updated).toEqual({ ...record, name: 'renamed', enabled: false, limits: null, updatedAt: T1.toISOString() });
    expect(await keys.update(record.id, {}, 'alice')).toEqual(updated);
    expect(await keys.update('key_missing', { name: 'x' }, 'alice')).toBeUndefined();
    const audit = (await rawRows('audit_log')).map((row) => [row.action, row.actor, row.detail]);
    expect(audit).toEqual([
      ['key.create', 'admin', JSON.stringify({ name: 'limited', models: null, expires_at: null, limits: { rpm: 10, budget_usd: 2.5, budget_period: 'weekly' } })],
      ['key.update', 'alice', JSON.stringify({ name: 'renamed', limits: null, enabled: false })],
    ]);
  });

  it('lists the keys changed since a time (for cache refreshes)', async () => {
    const { record: old } = await keys.create({ name: 'old' }, 'admin');
    clock = T1;
    const { record: fresh } = await keys.create({ name: 'fresh' }, 'admin');
    expect((await keys.listChangedSince(T1.toISOString())).map((r) => r.id)).toEqual([fresh.id]);
    clock = new Date('2026-08-03T00:00:00.000Z');
    await keys.revoke(old.id, 'admin');
    expect((await keys.listChangedSince('2026-08-02T12:00:00.000Z')).map((r) => r.id)).toEqual([old.id]);
  });

  it('created keys authenticate through the hash cache; revoked ones do not', async () => {
    const { record, key } = await keys.create({ name: 'ci' }, 'admin');
    const auth = createAuthenticator({ masterKey: 'sk-sy-master-key-for-tests' });
    auth.reset(await keys.list());
    expect(auth.authenticate(key)).toEqual({ kind: 'key', key: record });
    const revoked = await keys.revoke(record.id, 'admin');
    if (revoked) auth.remember(revoked);
    expect(() => auth.authenticate(key)).toThrow(/revoked/);
  });
});

describe('openStore on a file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-store-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates missing directories, and data survives a reopen', async () => {
    const path = join(dir, 'nested', 'data', 'switchyard.db');
    const first = await openStore(`sqlite:${path}`);
    expect(first.location).toBe(path);
    const { key, record } = await createKeysRepository(first.db).create({ name: 'kept' }, 'admin');
    await first.close();
    expect(existsSync(path)).toBe(true);

    const second = await openStore(`sqlite:${path}`);
    const listed = await createKeysRepository(second.db).list();
    await second.close();
    expect(listed).toEqual([record]);
    expect(listed[0]?.keyHash).toBe(hashApiKey(key));
  });
});
