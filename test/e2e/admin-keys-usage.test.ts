/**
 * The admin API for keys' limits and for usage: create with limits, PATCH as a merge patch
 * (audited), `GET /admin/usage` grouped and as CSV, `GET /admin/logs` — and the numbers match
 * what the clients received.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { createClientKey, rawRequest, startE2EStack, type E2EStack } from '../support/e2e-stack.js';

let stack: E2EStack;

beforeAll(async () => {
  stack = await startE2EStack({
    config: () => ({
      providers: { demo: { type: 'mock' } },
      pricing: { 'up/gpt-4o-mini': { input: 150, cached_input: 75, output: 600 } },
    }),
  });
});
afterAll(async () => {
  await stack.close();
});

const HELLO = [{ role: 'user' as const, content: 'hello there' }];

function admin(gw: RunningGateway, path: string, init: { method?: string; body?: unknown } = {}): ReturnType<typeof rawRequest> {
  return rawRequest(gw, path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${gw.masterKey}`, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

describe('keys with limits', () => {
  it('creates a key with limits and shows them', async () => {
    const created = await admin(stack.gw, '/admin/keys', { body: { name: 'free-tier', limits: { rpm: 3, tpd: 10_000, budget_usd: 5, budget_period: 'weekly' } } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'free-tier', limits: { rpm: 3, tpd: 10_000, budget_usd: 5, budget_period: 'weekly' }, enabled: true, status: 'active' });
    const id = (created.json as { id: string }).id;
    expect((await admin(stack.gw, `/admin/keys/${id}`)).json).toMatchObject({ limits: { rpm: 3 }, key_prefix: expect.stringMatching(/^sk-sy-/) as unknown });
  });

  it.each<[string, unknown, string]>([
    ['a zero limit', { rpm: 0 }, 'limits.rpm'],
    ['a fractional count', { tpm: 1.5 }, 'limits.tpm'],
    ['an unknown limit', { rph: 5 }, 'limits'],
    ['an unknown period', { budget_usd: 1, budget_period: 'yearly' }, 'limits.budget_period'],
  ])('refuses %s with 400 naming the field', async (_name, limits, param) => {
    const response = await admin(stack.gw, '/admin/keys', { body: { name: 'bad', limits } });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { code: 'invalid_request', param } });
  });

  it('PATCH merges limits (null removes one), changes name, models, expiry and enabled, and audits each change', async () => {
    const { id, key } = await createClientKey(stack.gw, { name: 'patched', limits: { rpm: 10, budget_usd: 2 } });
    const merged = await admin(stack.gw, `/admin/keys/${id}`, { method: 'PATCH', body: { name: 'renamed', limits: { rpm: 20, budget_usd: null, concurrency: 2 } } });
    expect(merged.status).toBe(200);
    expect(merged.json).toMatchObject({ name: 'renamed', limits: { rpm: 20, concurrency: 2 } });
    expect((merged.json as { limits: Record<string, unknown> }).limits).not.toHaveProperty('budget_usd');
    const cleared = await admin(stack.gw, `/admin/keys/${id}`, { method: 'PATCH', body: { limits: null, models: ['chat'] } });
    expect(cleared.json).toMatchObject({ limits: null, models: ['chat'] });
    expect((await stack.clientFor(key).chat.completions.create({ model: 'chat', messages: HELLO }).withResponse()).response.headers.get('x-ratelimit-limit-requests')).toBeNull();

    const expired = await admin(stack.gw, `/admin/keys/${id}`, { method: 'PATCH', body: { expires_at: '2020-01-01T00:00:00+02:00' } });
    expect(expired.json).toMatchObject({ expires_at: '2019-12-31T22:00:00.000Z', status: 'expired' });
    const refused = await rawRequest(stack.gw, '/v1/models', { headers: { authorization: `Bearer ${key}` } });
    expect(refused.status).toBe(401);

    const audit = await stack.gw.gateway.store.db.selectFrom('audit_log').select(['action', 'detail']).where('target', '=', id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['key.create', 'key.update', 'key.update', 'key.update']);
    expect(JSON.parse(audit[1]?.detail ?? '{}')).toEqual({ name: 'renamed', limits: { rpm: 20, concurrency: 2 } });
  });

  it('PATCH answers 404 for an unknown key, 400 for a bad field, 403 for a client key', async () => {
    expect((await admin(stack.gw, '/admin/keys/key_missing', { method: 'PATCH', body: { name: 'x' } })).status).toBe(404);
    const { id, key } = await createClientKey(stack.gw, { name: 'guarded' });
    expect((await admin(stack.gw, `/admin/keys/${id}`, { method: 'PATCH', body: { enabled: 'no' } })).json).toMatchObject({ error: { param: 'enabled' } });
    const asClient = await rawRequest(stack.gw, `/admin/keys/${id}`, {
      method: 'PATCH', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"name":"mine"}',
    });
    expect(asClient.status).toBe(403);
  });
});

describe('usage and logs', () => {
  it('reports per key, model, provider and day what the clients received, as JSON and CSV', async () => {
    const a = await createClientKey(stack.gw, { name: 'usage-a' });
    const b = await createClientKey(stack.gw, { name: 'usage-b' });
    stack.fake.script({ reply: { text: 'priced answer', usage: { promptTokens: 1_000, completionTokens: 500, cachedTokens: 400 } } }, { times: 2 });
    const received = [
      await stack.clientFor(a.key).chat.completions.create({ model: 'chat', messages: HELLO }),
      await stack.clientFor(a.key).chat.completions.create({ model: 'chat', messages: HELLO }),
      await stack.clientFor(b.key).chat.completions.create({ model: 'demo/chat', messages: HELLO }),
    ];
    const byKey = await admin(stack.gw, `/admin/usage?by=key&key=${a.id}`);
    expect(byKey.status).toBe(200);
    const report = byKey.json as { object: string; by: string; data: Array<Record<string, number | string>>; totals: Record<string, number> };
    expect(report).toMatchObject({ object: 'usage', by: 'key' });
    expect(report.data).toEqual([{
      group: a.id, requests: 2, prompt_tokens: 2_000, completion_tokens: 1_000, cached_tokens: 800, reasoning_tokens: 0, total_tokens: 3_000,
      // (600 × $150 + 400 × $75 + 500 × $600) per million tokens, twice.
      cost_usd: 0.84,
    }]);
    expect(report.totals).toMatchObject({ requests: 2, total_tokens: 3_000 });
    expect(received[0]?.usage?.prompt_tokens).toBe(1_000);

    const byModel = (await admin(stack.gw, '/admin/usage?by=model')).json as { data: Array<{ group: string }> };
    expect(byModel.data.map((r) => r.group)).toEqual(expect.arrayContaining(['chat', 'demo/chat']));
    const byProvider = (await admin(stack.gw, `/admin/usage?by=provider&key=${b.id}`)).json as { data: Array<{ group: string; requests: number }> };
    expect(byProvider.data).toEqual([expect.objectContaining({ group: 'demo', requests: 1, prompt_tokens: received[2]?.usage?.prompt_tokens })]);
    const today = new Date().toISOString().slice(0, 10);
    const byDay = (await admin(stack.gw, `/admin/usage?by=day&key=${a.id}&from=${today}&to=${today}`)).json as { data: Array<{ group: string }> };
    expect(byDay.data.map((r) => r.group)).toEqual([today]);

    const csv = await admin(stack.gw, `/admin/usage?by=key&key=${a.id}&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')).toEqual([
      'group,requests,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,total_tokens,cost_usd',
      `${a.id},2,2000,1000,800,0,3000,0.84`,
      'total,2,2000,1000,800,0,3000,0.84',
      '',
    ]);
  });

  it('refuses a bad grouping with 400 and client keys with 403', async () => {
    expect((await admin(stack.gw, '/admin/usage?by=week')).json).toMatchObject({ error: { param: 'by' } });
    expect((await admin(stack.gw, '/admin/usage?from=yesterday')).json).toMatchObject({ error: { param: 'from' } });
    const { key } = await createClientKey(stack.gw, { name: 'nosy' });
    expect((await rawRequest(stack.gw, '/admin/usage', { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);
    expect((await rawRequest(stack.gw, '/admin/logs', { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);
  });

  it('lists recent requests with their outcome and tokens, without prompt text', async () => {
    const { id, key } = await createClientKey(stack.gw, { name: 'logged', models: ['chat'] });
    const { data, response } = await stack.clientFor(key).chat.completions.create({ model: 'chat', messages: HELLO }).withResponse();
    await stack.clientFor(key).chat.completions.create({ model: 'demo/chat', messages: HELLO }).catch(() => undefined);
    const logs = (await admin(stack.gw, `/admin/logs?key=${id}`)).json as { data: Array<Record<string, unknown>> };
    expect(logs.data.map((l) => l.status)).toEqual([403, 200]);
    expect(logs.data[0]).toMatchObject({ model: 'demo/chat', error_code: 'permission_denied', provider: null, prompt_tokens: 0 });
    expect(logs.data[1]).toMatchObject({
      request_id: response.headers.get('x-request-id'), key_id: id, model: 'chat', provider: 'up', upstream_model: 'gpt-4o-mini',
      route: '/v1/chat/completions', stream: false, prompt_tokens: data.usage?.prompt_tokens, completion_tokens: data.usage?.completion_tokens,
      estimated: false,
    });
    expect(logs.data[1]).not.toHaveProperty('prompt');
    expect(JSON.stringify(logs.data)).not.toContain('hello there');
    const limited = (await admin(stack.gw, `/admin/logs?key=${id}&status=200&limit=1`)).json as { data: unknown[] };
    expect(limited.data).toHaveLength(1);
    expect((await admin(stack.gw, '/admin/logs?limit=0')).status).toBe(400);
  });

  it('keeps prompt text only when server.log_prompts is on', async () => {
    const gw = await startGateway({ server: { log_prompts: true }, providers: { demo: { type: 'mock' } } });
    try {
      const response = await rawRequest(gw, '/v1/chat/completions', {
        headers: { authorization: `Bearer ${gw.masterKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'demo/chat', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'secret plans' }] }),
      });
      expect(response.status).toBe(200);
      const logs = (await admin(gw, '/admin/logs')).json as { data: Array<Record<string, unknown>> };
      expect(logs.data[0]).toMatchObject({ key_id: 'master', prompt: 'system: Be brief.\nuser: secret plans' });
    } finally {
      await gw.close();
    }
  });
});
