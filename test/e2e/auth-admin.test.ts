/**
 * Client authentication and the admin key API, end to end: missing and wrong keys, the three
 * key headers, revocation and expiry taking effect on the next request, model allow-lists
 * (403 on use, hidden from `GET /v1/models`), and the admin API's own guard.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientKey, rawRequest, startE2EStack, type E2EStack } from '../support/e2e-stack.js';

let stack: E2EStack;

beforeAll(async () => {
  stack = await startE2EStack({ config: () => ({ providers: { demo: { type: 'mock' } } }) });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.fake.reset();
});

const HELLO = [{ role: 'user' as const, content: 'hello' }];
const chatBody = (model = 'chat'): string => JSON.stringify({ model, messages: HELLO });

async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('client authentication', () => {
  it('answers 401 when no key is presented, and never calls the upstream', async () => {
    const response = await rawRequest(stack.gw, '/v1/chat/completions', { headers: { 'content-type': 'application/json' }, body: chatBody() });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.json).toMatchObject({ error: { type: 'authentication_error', code: 'invalid_api_key', param: null } });
    const models = await rawRequest(stack.gw, '/v1/models');
    expect(models.status).toBe(401);
    const wrongScheme = await rawRequest(stack.gw, '/v1/models', { headers: { authorization: `Basic ${stack.gw.masterKey}` } });
    expect(wrongScheme.status).toBe(401);
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('answers 401 invalid_api_key for a wrong key', async () => {
    const error = await rejection(stack.clientFor('sk-sy-not-a-real-key-000000000000').chat.completions.create({ model: 'chat', messages: HELLO }));
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_api_key');
    expect(error.message).not.toContain('sk-sy-not-a-real-key');
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('accepts a created key via Authorization: Bearer, x-api-key and api-key', async () => {
    const { key } = await createClientKey(stack.gw, { name: 'three-headers' });
    expect(key).toMatch(/^sk-/);

    const viaSdk = await stack.clientFor(key).chat.completions.create({ model: 'chat', messages: HELLO });
    expect(viaSdk.choices[0]?.message.content).toBe('Hello from fake OpenAI: hello');

    for (const header of ['x-api-key', 'api-key']) {
      const response = await rawRequest(stack.gw, '/v1/chat/completions', {
        headers: { [header]: key, 'content-type': 'application/json' },
        body: chatBody(),
      });
      expect(response.status, header).toBe(200);
      expect(response.json).toMatchObject({ object: 'chat.completion' });
    }
    expect(stack.fake.requests).toHaveLength(3);
  });

  it('rejects a revoked key on the very next request', async () => {
    const created = await createClientKey(stack.gw, { name: 'to-revoke' });
    const client = stack.clientFor(created.key);
    await client.chat.completions.create({ model: 'chat', messages: HELLO });

    const revoke = await rawRequest(stack.gw, `/admin/keys/${created.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${stack.gw.masterKey}` },
    });
    expect(revoke.status).toBe(200);
    expect(revoke.json).toMatchObject({ id: created.id, status: 'revoked' });

    const error = await rejection(client.chat.completions.create({ model: 'chat', messages: HELLO }));
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_api_key');
    expect(error.message).toMatch(/revoked/i);
    const viaHeader = await rawRequest(stack.gw, '/v1/models', { headers: { 'x-api-key': created.key } });
    expect(viaHeader.status).toBe(401);
    expect(stack.fake.requests).toHaveLength(1);
  });

  it('rejects an expired key', async () => {
    const created = await createClientKey(stack.gw, { name: 'expired', expires_at: new Date(Date.now() - 60_000).toISOString() });
    expect(created.status).toBe('expired');
    const error = await rejection(stack.clientFor(created.key).chat.completions.create({ model: 'chat', messages: HELLO }));
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_api_key');
    expect(error.message).toMatch(/expired/i);
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('accepts a key whose expiry is in the future', async () => {
    const created = await createClientKey(stack.gw, { name: 'not-yet', expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    const completion = await stack.clientFor(created.key).chat.completions.create({ model: 'chat', messages: HELLO });
    expect(completion.object).toBe('chat.completion');
  });
});

describe('model allow-lists', () => {
  it('answers 403 for a model outside the key’s list, and serves the allowed ones', async () => {
    const { key } = await createClientKey(stack.gw, { name: 'demo-only', models: ['demo/*'] });
    const client = stack.clientFor(key);
    const error = await rejection(client.chat.completions.create({ model: 'up/gpt-4o-mini', messages: HELLO }));
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(error.status).toBe(403);
    expect(error.code).toBe('permission_denied');
    expect(error.param).toBe('model');
    const group = await rejection(client.chat.completions.create({ model: 'chat', messages: HELLO }));
    expect(group.status).toBe(403);
    const embeddings = await rejection(client.embeddings.create({ model: 'up/text-embedding-3-small', input: 'x' }));
    expect(embeddings.status).toBe(403);
    expect(stack.fake.requests).toHaveLength(0);

    const allowed = await client.chat.completions.create({ model: 'demo/chat', messages: HELLO });
    expect(allowed.choices[0]?.message.content).toContain('You said: "hello"');
  });

  it('lists only the allowed models for a restricted key, and hides the others on retrieve', async () => {
    const { key } = await createClientKey(stack.gw, { name: 'demo-lister', models: ['demo/*'] });
    const client = stack.clientFor(key);
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(['demo/chat', 'demo/embed']);
    expect((await client.models.retrieve('demo/embed')).id).toBe('demo/embed');
    await expect(client.models.retrieve('up/gpt-4o-mini')).rejects.toMatchObject({ status: 404 });

    const all: string[] = [];
    for await (const model of stack.client.models.list()) all.push(model.id);
    expect(all).toEqual(expect.arrayContaining(['chat', 'up/gpt-4o-mini', 'demo/chat', 'demo/embed']));
  });

  it('matches exact group names', async () => {
    const { key } = await createClientKey(stack.gw, { name: 'chat-only', models: ['chat'] });
    const client = stack.clientFor(key);
    expect((await client.chat.completions.create({ model: 'chat', messages: HELLO })).object).toBe('chat.completion');
    await expect(client.chat.completions.create({ model: 'up/gpt-4o-mini', messages: HELLO })).rejects.toMatchObject({ status: 403 });
  });
});

describe('admin API', () => {
  it('refuses a client key with 403 and a missing or wrong key with 401', async () => {
    const { key, id } = await createClientKey(stack.gw, { name: 'not-an-admin' });
    const attempts = [
      { method: 'GET', path: '/admin/keys' },
      { method: 'POST', path: '/admin/keys', body: JSON.stringify({ name: 'escalate' }) },
      { method: 'GET', path: `/admin/keys/${id}` },
      { method: 'DELETE', path: `/admin/keys/${id}` },
    ];
    for (const attempt of attempts) {
      const label = `${attempt.method} ${attempt.path}`;
      const headers: Record<string, string> = attempt.body ? { 'content-type': 'application/json' } : {};
      const asClient = await rawRequest(stack.gw, attempt.path, { ...attempt, headers: { ...headers, authorization: `Bearer ${key}` } });
      expect(asClient.status, label).toBe(403);
      expect(asClient.json, label).toMatchObject({ error: { type: 'permission_error' } });
      const anonymous = await rawRequest(stack.gw, attempt.path, { ...attempt, headers });
      expect(anonymous.status, label).toBe(401);
      const wrong = await rawRequest(stack.gw, attempt.path, { ...attempt, headers: { ...headers, 'x-api-key': 'sk-wrong-wrong-wrong' } });
      expect(wrong.status, label).toBe(401);
    }
    // The key survived the refused DELETE.
    const completion = await stack.clientFor(key).chat.completions.create({ model: 'chat', messages: HELLO });
    expect(completion.object).toBe('chat.completion');
  });

  it('shows a key once at creation, and never its secret or hash afterwards', async () => {
    const created = await createClientKey(stack.gw, { name: 'shown-once', models: ['demo/*'] });
    expect(created).toMatchObject({ object: 'api_key', name: 'shown-once', models: ['demo/*'], status: 'active', revoked_at: null });
    expect(created.key.startsWith(String(created.key_prefix))).toBe(true);
    const auth = { authorization: `Bearer ${stack.gw.masterKey}` };
    const one = await rawRequest(stack.gw, `/admin/keys/${created.id}`, { headers: auth });
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id: created.id, name: 'shown-once' });
    const list = await rawRequest(stack.gw, '/admin/keys', { headers: auth });
    expect(list.status).toBe(200);
    expect((list.json as { data: Array<{ id: string }> }).data.map((k) => k.id)).toContain(created.id);
    for (const text of [one.text, list.text]) {
      expect(text).not.toContain(created.key);
      expect(text).not.toMatch(/key_hash|keyHash/);
    }
  });

  it('validates the create body and answers 404 for an unknown key id', async () => {
    const auth = { authorization: `Bearer ${stack.gw.masterKey}`, 'content-type': 'application/json' };
    const noName = await rawRequest(stack.gw, '/admin/keys', { headers: auth, body: JSON.stringify({ models: ['x'] }) });
    expect(noName.status).toBe(400);
    expect(noName.json).toMatchObject({ error: { param: 'name' } });
    const badModels = await rawRequest(stack.gw, '/admin/keys', { headers: auth, body: JSON.stringify({ name: 'x', models: 'demo/*' }) });
    expect(badModels.status).toBe(400);
    expect(badModels.json).toMatchObject({ error: { param: 'models' } });
    const missing = await rawRequest(stack.gw, '/admin/keys/key_does_not_exist', { method: 'DELETE', headers: { authorization: auth.authorization } });
    expect(missing.status).toBe(404);
  });
});
