/**
 * Per-key limits end to end, on the in-process backend and SQLite, through the official
 * `openai` SDK: exact admission under concurrency, budgets that never overdraw, slots released
 * by aborted streams, the OpenAI headers on 429s and on successes, and typed SDK errors.
 * Time is a fake clock: windows move when the test says so.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { estimateTokens } from '../../src/core/estimate.js';
import { hashApiKey } from '../../src/store/keys-repository.js';
import { createClientKey, rawRequest, startE2EStack, within, type E2EStack } from '../support/e2e-stack.js';

const T0 = Date.parse('2026-08-01T10:00:00.000Z');
const HELLO = [{ role: 'user' as const, content: 'hello' }];
/** $0.001 per token, in and out, so costs are easy to read. */
const PRICE_PER_MILLION = 1_000;

let stack: E2EStack;
let dir: string;
let clock = T0;
const secrets: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-limits-'));
  stack = await startE2EStack({
    config: () => ({
      storage: { database: `sqlite:${join(dir, 'switchyard.db')}` },
      pricing: { 'up/gpt-4o-mini': { input: PRICE_PER_MILLION, output: PRICE_PER_MILLION } },
      usage: { flush_ms: 50 },
    }),
    deps: {
      now: () => clock,
      // The heuristic instead of gpt-tokenizer: deterministic estimates, no 300 ms load.
      tokenCounter: { count: estimateTokens, exact: false, warm: () => Promise.resolve() },
    },
  });
});
afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  stack.fake.reset();
  clock += 3_600_000;
});

async function limitedKey(limits: Record<string, unknown>, extra: { models?: string[] } = {}): Promise<{ id: string; key: string; client: OpenAI }> {
  const created = await createClientKey(stack.gw, { name: `limited-${secrets.length}`, limits, ...extra });
  secrets.push(created.key);
  return { id: created.id, key: created.key, client: stack.clientFor(created.key) };
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: InstanceType<typeof OpenAI.APIError> };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (error instanceof OpenAI.APIError) return { ok: false, error };
    throw error;
  }
}

async function usageOf(keyId: string): Promise<{ requests: number; cost_usd: number; prompt_tokens: number; completion_tokens: number }> {
  const response = await rawRequest(stack.gw, `/admin/usage?by=key&key=${keyId}`, { headers: { authorization: `Bearer ${stack.gw.masterKey}` } });
  expect(response.status).toBe(200);
  return (response.json as { totals: { requests: number; cost_usd: number; prompt_tokens: number; completion_tokens: number } }).totals;
}

describe('requests per minute', () => {
  it('admits exactly rpm of 30 concurrent requests; the rest get typed 429s with readable headers', async () => {
    const { client } = await limitedKey({ rpm: 10 });
    const results = await Promise.all(Array.from({ length: 30 }, () => settle(client.chat.completions.create({ model: 'chat', messages: HELLO }).withResponse())));
    const served = results.filter((r) => r.ok);
    const refused = results.flatMap((r) => (r.ok ? [] : [r.error]));
    expect(served).toHaveLength(10);
    expect(stack.fake.requests).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const error of refused) {
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect([error.status, error.code, error.type]).toEqual([429, 'rate_limit_exceeded', 'rate_limit_error']);
      expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(error.headers?.get('x-ratelimit-limit-requests')).toBe('10');
      expect(error.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(error.headers?.get('x-ratelimit-reset-requests')).toMatch(/^(\d+ms|\d+s|\d+m\d+s)$/);
    }
    // Every admitted response says how many were left after it: 9 … 0, each once.
    const remaining = served.map((r) => (r.ok ? Number(r.value.response.headers.get('x-ratelimit-remaining-requests')) : -1));
    expect(remaining.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    clock += 60_000;
    expect((await settle(client.chat.completions.create({ model: 'chat', messages: HELLO }))).ok).toBe(true);
  });

  it('does not count requests refused with 403 or 404 before admission', async () => {
    const { client } = await limitedKey({ rpm: 1 }, { models: ['chat'] });
    const forbidden = await settle(client.chat.completions.create({ model: 'up/gpt-4o-mini', messages: HELLO }));
    expect(forbidden.ok ? undefined : forbidden.error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const first = await client.chat.completions.create({ model: 'chat', messages: HELLO }).withResponse();
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const second = await settle(client.chat.completions.create({ model: 'chat', messages: HELLO }));
    expect(second.ok ? undefined : second.error).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('sends no rate-limit headers for a key without limits', async () => {
    const created = await createClientKey(stack.gw, { name: 'unlimited' });
    secrets.push(created.key);
    const { response } = await stack.clientFor(created.key).chat.completions.create({ model: 'chat', messages: HELLO }).withResponse();
    expect(response.headers.get('x-ratelimit-limit-requests')).toBeNull();
  });
});

describe('budgets', () => {
  it('never lets 50 concurrent requests spend more than the budget; refusals are insufficient_quota and final', async () => {
    const budget = 0.5;
    const { id, client } = await limitedKey({ budget_usd: budget, budget_period: 'monthly' });
    stack.fake.script({ reply: { text: 'ten tokens of answer', usage: { promptTokens: 10, completionTokens: 10 } } }, { times: Infinity });
    const results = await Promise.all(Array.from({ length: 50 }, () => settle(client.chat.completions.create({ model: 'chat', messages: HELLO, max_tokens: 20 }))));
    const served = results.filter((r) => r.ok).length;
    const refused = results.flatMap((r) => (r.ok ? [] : [r.error]));
    // Each reservation holds prompt (6 by the estimate) + max_tokens (20) = $0.026: 19 fit in $0.50.
    expect(served).toBeGreaterThanOrEqual(19);
    expect(served + refused.length).toBe(50);
    for (const error of refused) {
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect([error.status, error.code, error.type]).toEqual([429, 'insufficient_quota', 'insufficient_quota']);
      expect(error.headers?.get('x-should-retry')).toBe('false');
    }
    const usage = await usageOf(id);
    expect(usage.requests).toBe(50);
    expect(usage.cost_usd).toBeCloseTo(served * 0.02, 9);
    expect(usage.cost_usd).toBeLessThanOrEqual(budget + 1e-9);
  });

  it('refuses once the budget is spent, until the period resets', async () => {
    const { client } = await limitedKey({ budget_usd: 0.03, budget_period: 'daily' });
    stack.fake.script({ reply: { text: 'answer', usage: { promptTokens: 10, completionTokens: 10 } } }, { times: Infinity });
    expect((await settle(client.chat.completions.create({ model: 'chat', messages: HELLO, max_tokens: 10 }))).ok).toBe(true);
    const spent = await settle(client.chat.completions.create({ model: 'chat', messages: HELLO, max_tokens: 10 }));
    expect(spent.ok ? undefined : spent.error.code).toBe('insufficient_quota');
    clock += 86_400_000;
    expect((await settle(client.chat.completions.create({ model: 'chat', messages: HELLO, max_tokens: 10 }))).ok).toBe(true);
  });
});

describe('tokens per minute', () => {
  it('counts the estimate (prompt + max_tokens) and reports the token headers', async () => {
    const { client } = await limitedKey({ tpm: 100 });
    stack.fake.script({ reply: { text: 'short', usage: { promptTokens: 6, completionTokens: 4 } } }, { times: Infinity });
    const tooLarge = await settle(client.chat.completions.create({ model: 'chat', messages: HELLO, max_tokens: 200 }));
    expect(tooLarge.ok ? undefined : tooLarge.error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(tooLarge.ok ? undefined : tooLarge.error.headers?.get('x-ratelimit-limit-tokens')).toBe('100');
    const { response } = await client.chat.completions.create({ model: 'chat', messages: HELLO, max_tokens: 50 }).withResponse();
    // Right after admission the reservation (6 + 50) is what counts…
    expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe('44');
    // … then the actual 10 tokens replace it.
    const next = await client.chat.completions.create({ model: 'chat', messages: HELLO, max_tokens: 50 }).withResponse();
    expect(next.response.headers.get('x-ratelimit-remaining-tokens')).toBe('34');
  });
});

describe('concurrency', () => {
  it('holds a slot for an open stream and releases it when the client aborts', async () => {
    const { id, client } = await limitedKey({ concurrency: 1 });
    stack.fake.script({ stream: { hangAfter: 2 } });
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: 'chat', messages: HELLO, stream: true }, { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const busy = await settle(client.chat.completions.create({ model: 'chat', messages: HELLO }));
    expect(busy.ok ? undefined : busy.error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(busy.ok ? '' : busy.error.message).toMatch(/concurrent/);
    controller.abort();
    await within(stack.fake.waitForClose(), 2_000, 'the upstream to see the abort');
    await within((async () => {
      while (!(await settle(client.chat.completions.create({ model: 'chat', messages: HELLO }))).ok) await new Promise((r) => setTimeout(r, 10));
    })(), 2_000, 'the slot to be released');
    // The aborted stream is billed what it used (estimated), with status 499.
    const logs = await rawRequest(stack.gw, `/admin/logs?key=${id}&status=499`, { headers: { authorization: `Bearer ${stack.gw.masterKey}` } });
    const aborted = (logs.json as { data: Array<Record<string, unknown>> }).data;
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toMatchObject({ status: 499, stream: true, estimated: true });
    expect(aborted[0]?.prompt_tokens).toBeGreaterThan(0);
  });
});

describe('refused keys through the SDK', () => {
  it('401 for a disabled key and 403 for a model outside the list, as typed errors with headers', async () => {
    const { id, client } = await limitedKey({ rpm: 5 }, { models: ['chat'] });
    const forbidden = await settle(client.chat.completions.create({ model: 'up/other', messages: HELLO }));
    expect(forbidden.ok ? undefined : forbidden.error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(forbidden.ok ? null : forbidden.error.headers?.get('x-request-id')).toMatch(/^req_/);
    const patched = await rawRequest(stack.gw, `/admin/keys/${id}`, {
      method: 'PATCH', headers: { authorization: `Bearer ${stack.gw.masterKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ enabled: false }),
    });
    expect(patched.status).toBe(200);
    const disabled = await settle(client.chat.completions.create({ model: 'chat', messages: HELLO }));
    expect(disabled.ok ? undefined : disabled.error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(disabled.ok ? '' : disabled.error.message).toMatch(/disabled/);
    expect(disabled.ok ? null : disabled.error.headers?.get('x-request-id')).toMatch(/^req_/);
  });
});

describe('storage', () => {
  it('never contains a key in plain text (database file and WAL)', async () => {
    await stack.gw.gateway.accounting.recorder.flush();
    const files = readdirSync(dir).filter((f) => f.startsWith('switchyard.db'));
    expect(files).toContain('switchyard.db');
    const bytes = files.map((f) => readFileSync(join(dir, f)).toString('latin1')).join('\n');
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) {
      expect(bytes).not.toContain(secret.slice(10));
      expect(bytes).toContain(hashApiKey(secret));
    }
    expect(bytes).not.toContain(stack.gw.masterKey);
  });
});
