/**
 * The request log, end to end: exactly one line per request with method, route, model,
 * provider, status, latency and tokens; and no secret (master key, client key, upstream key)
 * anywhere in the logs or in what the client is shown — even when the upstream echoes its key.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientKey, rawRequest, requestLogs, startE2EStack, UPSTREAM_KEY, within, type E2EStack } from '../support/e2e-stack.js';

let stack: E2EStack;
let clientKey: { id: string; key: string };

beforeAll(async () => {
  stack = await startE2EStack({ config: () => ({ providers: { demo: { type: 'mock' } } }) });
  clientKey = await createClientKey(stack.gw, { name: 'logged' });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.fake.reset();
});

const HELLO = [{ role: 'user' as const, content: 'hello there' }];
const ECHOED_KEY_MESSAGE = `Incorrect API key provided: ${UPSTREAM_KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`;

/** The log lines for one request id (waits briefly: stream lines are written as the stream ends). */
async function linesFor(requestId: string | null): Promise<Array<Record<string, unknown>>> {
  if (requestId === null) throw new Error('response had no x-request-id');
  const find = (): Array<Record<string, unknown>> => requestLogs(stack.gw).filter((l) => l.req_id === requestId);
  await within(
    (async () => {
      while (find().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    })(),
    2_000,
    `the log line of ${requestId}`,
  );
  return find();
}

function expectNoSecrets(text: string): void {
  expect(text).not.toContain(stack.gw.masterKey);
  expect(text).not.toContain(clientKey.key);
  expect(text).not.toContain(UPSTREAM_KEY);
}

describe('request log', () => {
  it('writes one line for a chat call with route, model, provider, status, latency and tokens', async () => {
    const { data, response } = await stack
      .clientFor(clientKey.key)
      .chat.completions.create({ model: 'chat', messages: HELLO })
      .withResponse();
    const lines = await linesFor(response.headers.get('x-request-id'));
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? {};
    expect(line).toMatchObject({
      msg: 'request',
      method: 'POST',
      route: '/v1/chat/completions',
      model: 'chat',
      provider: 'up',
      upstream_model: 'gpt-4o-mini',
      status: 200,
      key: clientKey.id,
      prompt_tokens: data.usage?.prompt_tokens,
      completion_tokens: data.usage?.completion_tokens,
    });
    expect(typeof line.latency_ms).toBe('number');
    expect(line.latency_ms as number).toBeGreaterThanOrEqual(0);
    expect(line).not.toHaveProperty('error');
  });

  it('logs a stream once, with the upstream’s token counts even when the client did not ask for usage', async () => {
    stack.fake.script({ reply: { text: 'streamed words here', usage: { promptTokens: 21, completionTokens: 3 } } });
    const { data: stream, response } = await stack.client.chat.completions
      .create({ model: 'chat', messages: HELLO, stream: true })
      .withResponse();
    for await (const _chunk of stream) {
      // drain
    }
    const lines = await linesFor(response.headers.get('x-request-id'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 200, stream: true, model: 'chat', provider: 'up', key: 'master', prompt_tokens: 21, completion_tokens: 3 });
    expect(lines[0]).not.toHaveProperty('usage_estimated');
    expect(typeof lines[0]?.ttft_ms).toBe('number');
  });

  it('logs embeddings and errors with their status and error code', async () => {
    const { response: embedResponse } = await stack.client.embeddings
      .create({ model: 'up/text-embedding-3-small', input: 'count me' })
      .withResponse();
    const [embedLine] = await linesFor(embedResponse.headers.get('x-request-id'));
    expect(embedLine).toMatchObject({ route: '/v1/embeddings', model: 'up/text-embedding-3-small', provider: 'up', status: 200 });
    expect(embedLine?.prompt_tokens).toBeGreaterThan(0);

    const unknown = await rawRequest(stack.gw, '/v1/chat/completions', {
      headers: { authorization: `Bearer ${clientKey.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'missing-model', messages: HELLO }),
    });
    const [unknownLine] = await linesFor(unknown.headers.get('x-request-id'));
    expect(unknownLine).toMatchObject({ status: 404, model: 'missing-model', error_code: 'model_not_found', key: clientKey.id });

    const anonymous = await rawRequest(stack.gw, '/v1/models');
    const [anonymousLine] = await linesFor(anonymous.headers.get('x-request-id'));
    expect(anonymousLine).toMatchObject({ method: 'GET', route: '/v1/models', status: 401, error_code: 'invalid_api_key' });
  });

  it('writes exactly one line per request over a mixed batch', async () => {
    const before = requestLogs(stack.gw).length;
    const ids: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await rawRequest(stack.gw, '/v1/models', { headers: { authorization: `Bearer ${clientKey.key}` } })).headers.get('x-request-id'));
    }
    ids.push((await rawRequest(stack.gw, '/v1/chat/completions', { body: '{' })).headers.get('x-request-id'));
    ids.push((await rawRequest(stack.gw, '/nowhere')).headers.get('x-request-id'));
    for (const id of ids) expect(await linesFor(id)).toHaveLength(1);
    expect(requestLogs(stack.gw).length - before).toBe(ids.length);
  });
});

describe('no secrets', () => {
  it('keeps an upstream 401 that echoes the upstream key out of the client error and the logs', async () => {
    stack.fake.script({ status: 401, error: { message: ECHOED_KEY_MESSAGE } });
    let caught: unknown;
    try {
      await stack.clientFor(clientKey.key).chat.completions.create({ model: 'chat', messages: HELLO });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    const error = caught as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(502);
    expect(error.message).not.toContain(UPSTREAM_KEY);
    expect(JSON.stringify(error.error)).not.toContain(UPSTREAM_KEY);
    // The useful part of the upstream's message survives the redaction.
    expect(error.message).toContain('Incorrect API key provided');
    const [line] = await linesFor(error.headers?.get('x-request-id') ?? null);
    expect(line).toMatchObject({ status: 502, error_code: 'upstream_auth_failed' });
    expectNoSecrets(stack.gw.logText());
  });

  it('redacts an echoed key from a 400 that is passed through to the client', async () => {
    stack.fake.script({ status: 400, error: { message: `Invalid 'user' for key ${UPSTREAM_KEY}: bad value`, param: 'user' } });
    const response = await rawRequest(stack.gw, '/v1/chat/completions', {
      headers: { authorization: `Bearer ${clientKey.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: HELLO }),
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain('bad value');
    expectNoSecrets(response.text);
    expectNoSecrets(stack.gw.logText());
  });

  it('redacts an echoed key from an in-band stream error', async () => {
    stack.fake.script({ stream: { inBandError: { after: 2, error: { message: `Upstream failure for ${UPSTREAM_KEY}` } } } });
    const response = await rawRequest(stack.gw, '/v1/chat/completions', {
      headers: { authorization: `Bearer ${clientKey.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: HELLO, stream: true }),
    });
    expect(response.status).toBe(200);
    expect(response.text).toContain('"error"');
    expect(response.text).toContain('Upstream failure for');
    expectNoSecrets(response.text);
    await linesFor(response.headers.get('x-request-id'));
    expectNoSecrets(stack.gw.logText());
  });

  it('never writes the master, client or upstream key to the logs over a full session', async () => {
    const keyed = stack.clientFor(clientKey.key);
    await keyed.chat.completions.create({ model: 'chat', messages: HELLO });
    await stack.client.chat.completions.create({ model: 'demo/chat', messages: HELLO });
    for await (const _chunk of await keyed.chat.completions.create({ model: 'chat', messages: HELLO, stream: true })) {
      // drain
    }
    await keyed.embeddings.create({ model: 'up/text-embedding-3-small', input: 'x' });
    await rawRequest(stack.gw, '/v1/models', { headers: { 'x-api-key': clientKey.key } });
    await rawRequest(stack.gw, '/v1/models', { headers: { 'api-key': `${clientKey.key}x` } });
    await rawRequest(stack.gw, '/admin/keys', { headers: { authorization: `Bearer ${clientKey.key}` } });
    await rawRequest(stack.gw, '/admin/keys', { headers: { authorization: `Bearer ${stack.gw.masterKey}` } });
    stack.fake.script(fakeServerErrorEchoingKey());
    await keyed.chat.completions.create({ model: 'chat', messages: HELLO }).catch(() => undefined);

    expect(requestLogs(stack.gw).length).toBeGreaterThan(8);
    expectNoSecrets(stack.gw.logText());
  });
});

function fakeServerErrorEchoingKey(): { status: number; error: { message: string } } {
  return { status: 500, error: { message: `Internal error while using Authorization: Bearer ${UPSTREAM_KEY}` } };
}
