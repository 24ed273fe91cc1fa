/**
 * Errors through the official SDK and raw HTTP: upstream errors classified for the client,
 * retries and fallback to a second target, bad input (malformed JSON, wrong types, unknown
 * model or route, oversized body) — with the server still serving afterwards — and
 * `x-request-id` on every response.
 */
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeErrors } from '../support/fake-openai.js';
import {
  BACKUP_UPSTREAM_KEY, rawRequest, requestLogs, startE2EStack, type E2EStack,
} from '../support/e2e-stack.js';

let stack: E2EStack;

beforeAll(async () => {
  stack = await startE2EStack({
    backup: true,
    config: () => ({
      models: {
        resilient: {
          targets: [
            { provider: 'up', model: 'gpt-4o-mini' },
            { provider: 'backup', model: 'gpt-4.1-nano' },
          ],
        },
      },
    }),
  });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.fake.reset();
  stack.backup?.reset();
  stack.sleeps.length = 0;
  // Each test starts with every breaker closed (a 401 in one test must not skip targets in the next).
  stack.gw.gateway.monitor.reset();
});

const HELLO = [{ role: 'user' as const, content: 'hello' }];

function backupFake(): NonNullable<E2EStack['backup']> {
  if (!stack.backup) throw new Error('no backup fake');
  return stack.backup;
}

async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A normal request still succeeds (the server kept serving after a bad one). */
async function expectStillServing(): Promise<void> {
  const completion = await stack.client.chat.completions.create({ model: 'chat', messages: HELLO });
  expect(completion.choices[0]?.message.content).toBe('Hello from fake OpenAI: hello');
}

const jsonHeaders = (): Record<string, string> => ({
  authorization: `Bearer ${stack.gw.masterKey}`,
  'content-type': 'application/json',
});

describe('upstream errors', () => {
  it('passes a context_length_exceeded 400 back as a 400 with the upstream message, without retrying', async () => {
    const script = fakeErrors.contextLengthExceeded();
    stack.fake.script(script);
    const error = await rejection(stack.client.chat.completions.create({ model: 'resilient', messages: HELLO }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('context_length_exceeded');
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe('messages');
    expect(error.message).toContain(script.error?.message);
    expect(error.headers?.get('x-request-id')).toMatch(/^req_/);
    // A request error is the caller's: no retry, no fallback.
    expect(stack.fake.requests).toHaveLength(1);
    expect(backupFake().requests).toHaveLength(0);
  });

  it('does not show an upstream 401 (bad provider key) to the client as a 401', async () => {
    stack.fake.script({ status: 401 }, { times: Infinity });
    const error = await rejection(stack.client.chat.completions.create({ model: 'chat', messages: HELLO }));
    expect(error.status).not.toBe(401);
    expect(error.status).toBe(502);
    expect(error).not.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.code).toBe('upstream_auth_failed');
    // Bad credentials do not get better by retrying the same provider.
    expect(stack.fake.requests).toHaveLength(1);
  });

  it('falls back to the second target when the first one rejects the provider key', async () => {
    stack.fake.script({ status: 401 }, { times: Infinity });
    const completion = await stack.client.chat.completions.create({ model: 'resilient', messages: HELLO });
    expect(completion.choices[0]?.message.content).toBe('Hello from fake OpenAI: hello');
    expect(backupFake().requests).toHaveLength(1);
  });

  it('retries a 429 honouring Retry-After, then succeeds through the second target', async () => {
    stack.fake.script(fakeErrors.rateLimited(1), { times: Infinity });
    const { data, response } = await stack.client.chat.completions.create({ model: 'resilient', messages: HELLO }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Hello from fake OpenAI: hello');
    expect(stack.fake.requests).toHaveLength(3); // first try + routing.retries (2)
    expect(stack.sleeps).toEqual([1000, 1000]);
    const backupRequest = backupFake().requests[0];
    expect(backupRequest?.body).toMatchObject({ model: 'gpt-4.1-nano' });
    expect(backupRequest?.headers.authorization).toBe(`Bearer ${BACKUP_UPSTREAM_KEY}`);
    const line = requestLogs(stack.gw).find((l) => l.req_id === response.headers.get('x-request-id'));
    expect(line).toMatchObject({ status: 200, provider: 'backup', upstream_model: 'gpt-4.1-nano', attempts: 4 });
  });

  it('retries a 500 with backoff, then succeeds through the second target', async () => {
    stack.fake.script(fakeErrors.serverError(), { times: Infinity });
    const completion = await stack.client.chat.completions.create({ model: 'resilient', messages: HELLO });
    expect(completion.choices[0]?.message.content).toBe('Hello from fake OpenAI: hello');
    expect(stack.fake.requests).toHaveLength(3);
    expect(backupFake().requests).toHaveLength(1);
    expect(stack.sleeps).toHaveLength(2);
    // Exponential backoff: the second wait's window is twice the first's (same injected random).
    expect(stack.sleeps[1]).toBe((stack.sleeps[0] ?? 0) * 2);
  });

  it('recovers on the same target when a retry succeeds', async () => {
    stack.fake.script(fakeErrors.overloaded());
    const completion = await stack.client.chat.completions.create({ model: 'chat', messages: HELLO });
    expect(completion.choices[0]?.message.content).toBe('Hello from fake OpenAI: hello');
    expect(stack.fake.requests).toHaveLength(2);
  });

  it('falls back for a stream that fails before its first byte', async () => {
    stack.fake.script(fakeErrors.serverError(), { times: Infinity });
    const stream = await stack.client.chat.completions.create({ model: 'resilient', messages: HELLO, stream: true });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello from fake OpenAI: hello');
    expect(backupFake().requests[0]?.body).toMatchObject({ model: 'gpt-4.1-nano', stream: true });
  });

  it('answers 503 (never a raw 529) when every target is overloaded', async () => {
    stack.fake.script({ status: 529 }, { times: Infinity });
    backupFake().script({ status: 529 }, { times: Infinity });
    const error = await rejection(stack.client.chat.completions.create({ model: 'resilient', messages: HELLO }));
    expect(error.status).toBe(503);
    expect(stack.fake.requests).toHaveLength(3);
    expect(backupFake().requests).toHaveLength(3);
  });

  it('answers 429 with Retry-After when every target is rate limited', async () => {
    stack.fake.script(fakeErrors.rateLimited(2), { times: Infinity });
    backupFake().script(fakeErrors.rateLimited(1), { times: Infinity });
    const error = await rejection(stack.client.chat.completions.create({ model: 'resilient', messages: HELLO }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers?.get('retry-after')).toBe('1');
  });
});

describe('bad input', () => {
  it('answers malformed JSON with 400 invalid_json, and keeps serving', async () => {
    const response = await rawRequest(stack.gw, '/v1/chat/completions', { headers: jsonHeaders(), body: '{"model": "chat", "messages": [' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.json).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_json' } });
    expect(stack.fake.requests).toHaveLength(0);
    await expectStillServing();
  });

  it('reads a body sent without a JSON content type (fetch sends text/plain) as JSON', async () => {
    const headers = { authorization: `Bearer ${stack.gw.masterKey}` };
    const valid = await rawRequest(stack.gw, '/v1/chat/completions', { headers, body: JSON.stringify({ model: 'chat', messages: HELLO }) });
    expect(valid.status).toBe(200);
    expect(valid.json).toMatchObject({ object: 'chat.completion' });
    const malformed = await rawRequest(stack.gw, '/v1/chat/completions', { headers, body: 'not json at all' });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ error: { code: 'invalid_json' } });
    await expectStillServing();
  });

  it('names the param when messages is not an array', async () => {
    const error = await rejection(stack.client.chat.completions.create({ model: 'chat', messages: 'hello' as never }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe('messages');
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('messages');
    expect(stack.fake.requests).toHaveLength(0);
    await expectStillServing();
  });

  it('names the param when temperature has the wrong type', async () => {
    const error = await rejection(stack.client.chat.completions.create({ model: 'chat', messages: HELLO, temperature: 'hot' as never }));
    expect(error.status).toBe(400);
    expect(error.param).toBe('temperature');
    await expectStillServing();
  });

  it('names nested params and missing ones', async () => {
    const nested = await rejection(
      stack.client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'a' }, { role: 'wizard', content: 'b' }] as never }),
    );
    expect(nested.param).toBe('messages[1].role');
    const missing = await rejection(stack.client.chat.completions.create({ messages: HELLO } as never));
    expect(missing.status).toBe(400);
    expect(missing.param).toBe('model');
  });

  it('answers an unknown model with 404 model_not_found', async () => {
    const error = await rejection(stack.client.chat.completions.create({ model: 'no-such-model', messages: HELLO }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe('model_not_found');
    expect(error.param).toBe('model');
    const unknownProvider = await rejection(stack.client.chat.completions.create({ model: 'nobody/gpt-4o', messages: HELLO }));
    expect(unknownProvider.status).toBe(404);
    expect(unknownProvider.code).toBe('model_not_found');
    expect(stack.fake.requests).toHaveLength(0);
    await expectStillServing();
  });

  it('answers an unknown route with a 404 in the OpenAI error shape', async () => {
    const get = await rawRequest(stack.gw, '/v1/nothing-here', { headers: jsonHeaders() });
    expect(get.status).toBe(404);
    expect(get.headers.get('x-request-id')).toMatch(/^req_/);
    expect(get.json).toMatchObject({ error: { message: expect.stringContaining('/v1/nothing-here') as string, type: 'invalid_request_error' } });
    const post = await rawRequest(stack.gw, '/v2/chat/completions', { headers: jsonHeaders(), body: '{}' });
    expect(post.status).toBe(404);
    await expectStillServing();
  });
});

describe('body limit', () => {
  let small: E2EStack;

  beforeAll(async () => {
    small = await startE2EStack({ config: () => ({ server: { body_limit_mb: 0.01 } }) });
  });
  afterAll(async () => {
    await small.close();
  });

  it('answers a body over the limit with 413, and keeps serving', async () => {
    const body = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'x'.repeat(20_000) }] });
    const response = await rawRequest(small.gw, '/v1/chat/completions', {
      headers: { authorization: `Bearer ${small.gw.masterKey}`, 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.json).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(small.fake.requests).toHaveLength(0);

    const viaSdk = await rejection(
      small.client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'y'.repeat(20_000) }] }),
    );
    expect(viaSdk.status).toBe(413);

    const completion = await small.client.chat.completions.create({ model: 'chat', messages: HELLO });
    expect(completion.choices[0]?.message.content).toBe('Hello from fake OpenAI: hello');
  });
});

describe('x-request-id', () => {
  it('is on every response, unique per request, and is the id in the log line', async () => {
    const responses = [
      await rawRequest(stack.gw, '/v1/models', { headers: jsonHeaders() }),
      await rawRequest(stack.gw, '/v1/models'),
      await rawRequest(stack.gw, '/v1/chat/completions', { headers: jsonHeaders(), body: JSON.stringify({ model: 'chat', messages: HELLO }) }),
      await rawRequest(stack.gw, '/v1/chat/completions', {
        headers: jsonHeaders(),
        body: JSON.stringify({ model: 'chat', messages: HELLO, stream: true }),
      }),
      await rawRequest(stack.gw, '/v1/chat/completions', { headers: jsonHeaders(), body: '{' }),
      await rawRequest(stack.gw, '/v1/embeddings', { headers: jsonHeaders(), body: JSON.stringify({ model: 'nope', input: 'x' }) }),
      await rawRequest(stack.gw, '/admin/keys', { headers: jsonHeaders() }),
      await rawRequest(stack.gw, '/nowhere'),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 401, 200, 200, 400, 404, 200, 404]);
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^req_/);
    expect(new Set(ids).size).toBe(ids.length);
    // The upstream's own request id is not leaked as ours.
    expect(ids.some((id) => id?.startsWith('req_fake'))).toBe(false);
    const logged = new Set(requestLogs(stack.gw).map((l) => l.req_id));
    for (const id of ids) expect(logged.has(id)).toBe(true);
  });
});
