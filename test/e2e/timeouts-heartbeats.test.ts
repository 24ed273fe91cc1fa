/**
 * Every timeout is enforced (connect, first byte — global and per provider —, idle between
 * chunks, whole request), and SSE heartbeats keep a slow first token's connection alive while
 * retries and fallbacks go on behind them. undici enforces first-byte and idle timeouts to about
 * a second, hence the bounds; nothing here waits longer than the fault it provokes.
 */
import { createServer, type Server, type Socket } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startE2EStack, UPSTREAM_KEY, type E2EStack } from '../support/e2e-stack.js';
import { drain, rejection } from '../support/resilience.js';

const HELLO = [{ role: 'user' as const, content: 'hello' }];
const GREETING = 'Hello from fake OpenAI: hello';

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/**
 * A TCP server that accepts and then says nothing: an `https://` upstream on it never finishes
 * its TLS handshake, which undici counts as connecting (outbound traffic to a blackholed address
 * cannot be relied on in every sandbox).
 */
async function startSilentTcp(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('timeouts', () => {
  let stack: E2EStack;
  let silent: Awaited<ReturnType<typeof startSilentTcp>>;
  beforeAll(async () => {
    silent = await startSilentTcp();
    stack = await startE2EStack({
      config: ({ fake }) => ({
        providers: {
          // Same upstream, a tighter first-byte bound for this provider only.
          impatient: { type: 'openai-compatible', base_url: fake, api_key: UPSTREAM_KEY, first_byte_timeout_ms: 100 },
          nowhere: { type: 'openai-compatible', base_url: `https://127.0.0.1:${silent.port}/v1`, api_key: UPSTREAM_KEY },
        },
        routing: { retries: 0, connect_timeout_ms: 200, first_byte_timeout_ms: 2_000, idle_timeout_ms: 200 },
      }),
    });
  });
  afterAll(async () => {
    await stack.close();
    await silent.close();
  });
  beforeEach(() => {
    stack.fake.reset();
    stack.gw.gateway.monitor.reset();
  });

  it('connect: an upstream that never completes the connection gets 504 within connect_timeout_ms', async () => {
    const { value: error, ms } = await timed(() => rejection(stack.client.chat.completions.create({ model: 'nowhere/m', messages: HELLO })));
    expect(error.status).toBe(504);
    expect(error.message).toMatch(/connecting/);
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(2_500);
  });

  it('connect: a refused connection is a 503 at once', async () => {
    await silent.close();
    const { value: error, ms } = await timed(() => rejection(stack.client.chat.completions.create({ model: 'nowhere/m', messages: HELLO })));
    expect(error.status).toBe(503);
    expect(ms).toBeLessThan(500);
  });

  it('first byte: a silent upstream gets 504 within the bound', async () => {
    stack.fake.script({ delayMs: 10_000 });
    const { value: error, ms } = await timed(() => rejection(stack.client.chat.completions.create({ model: 'chat', messages: HELLO })));
    expect(error.status).toBe(504);
    expect(error.message).toMatch(/first-byte timeout/);
    expect(ms).toBeGreaterThanOrEqual(1_950);
    expect(ms).toBeLessThan(4_000);
  });

  it('first byte: the per-provider override is tighter than the global one', async () => {
    stack.fake.script({ delayMs: 10_000 });
    const { value: error, ms } = await timed(() => rejection(stack.client.chat.completions.create({ model: 'impatient/gpt-4o-mini', messages: HELLO })));
    expect(error.status).toBe(504);
    // Well before the global 2 000 ms could have fired.
    expect(ms).toBeLessThan(1_800);
  });

  it('idle: a stream that goes quiet mid-way throws in the SDK instead of hanging', async () => {
    stack.fake.script({ stream: { hangAfter: 2 } });
    const stream = await stack.client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'a b c d e' }], stream: true });
    const { value: { items, error }, ms } = await timed(() => drain(stream));
    expect(items.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(String((error as Error).message)).toMatch(/idle timeout/);
    expect(ms).toBeLessThan(2_500);
    await stack.fake.waitForClose(1);
  });

});

describe('the whole-request timeout', () => {
  let stack: E2EStack;
  beforeAll(async () => {
    stack = await startE2EStack({ config: () => ({ routing: { retries: 0, timeout_ms: 1_000 } }) });
  });
  afterAll(() => stack.close());

  it('ends a stream still going at timeout_ms with an error, not left running', async () => {
    stack.fake.script({ stream: { chunkDelayMs: 150 }, reply: { text: Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ') } });
    const started = performance.now();
    const stream = await stack.client.chat.completions.create({ model: 'chat', messages: HELLO, stream: true });
    const { items, error } = await drain(stream);
    expect(items.length).toBeGreaterThan(2);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(String((error as Error).message)).toMatch(/1000 ms/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('answers 504 for a call still unanswered at timeout_ms', async () => {
    stack.fake.script({ delayMs: 10_000 });
    const { value: error, ms } = await timed(() => rejection(stack.client.chat.completions.create({ model: 'chat', messages: HELLO })));
    expect(error.status).toBe(504);
    expect(error.message).toMatch(/1000 ms/);
    expect(ms).toBeGreaterThanOrEqual(990);
    expect(ms).toBeLessThan(2_000);
  });
});

describe('heartbeats while waiting for the first event', () => {
  let stack: E2EStack;
  beforeAll(async () => {
    stack = await startE2EStack({ backup: true, config: () => ({
      routing: { heartbeat_ms: 40 },
      models: { resilient: { targets: [{ provider: 'up', model: 'gpt-4o-mini' }, { provider: 'backup', model: 'gpt-4.1-nano' }] } },
    }) });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.fake.reset();
    stack.backup?.reset();
    stack.gw.gateway.monitor.reset();
  });

  const rawStream = async (model: string): Promise<{ status: number; text: string }> => {
    const response = await fetch(`${stack.gw.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.gw.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: HELLO, stream: true }),
    });
    return { status: response.status, text: await response.text() };
  };

  it('sends `: keep-alive` comments during a slow first token, then the stream as usual', async () => {
    stack.fake.script({ delayMs: 300 });
    const { status, text } = await rawStream('chat');
    expect(status).toBe(200);
    const head = text.slice(0, text.indexOf('data:'));
    expect(head.split(': keep-alive\n\n').length - 1).toBeGreaterThanOrEqual(3);
    expect(head.replaceAll(': keep-alive\n\n', '')).toBe('');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('is invisible to the SDK, which gets the whole answer', async () => {
    stack.fake.script({ delayMs: 200 });
    const { items, error } = await drain(await stack.client.chat.completions.create({ model: 'chat', messages: HELLO, stream: true }));
    expect(error).toBeUndefined();
    expect(items.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(GREETING);
  });

  it('keeps retrying and falling back behind the heartbeats (they are not content)', async () => {
    stack.fake.script({ delayMs: 150, status: 500 }, { times: Infinity });
    const { text } = await rawStream('resilient');
    expect(text.startsWith(': keep-alive\n\n')).toBe(true);
    expect(text).not.toContain('"error"');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(stack.fake.requests).toHaveLength(3);
    expect(stack.backup?.requests).toHaveLength(1);
  });

  it('ends with one in-band error event (no [DONE]) when every target then fails', async () => {
    stack.fake.script({ delayMs: 100, status: 503 }, { times: Infinity });
    const { status, text } = await rawStream('chat');
    expect(status).toBe(200);
    const events = text.split('\n\n').filter((e) => e.startsWith('data:'));
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.slice(5) ?? '')).toMatchObject({ error: { type: 'api_error', code: 'upstream_unavailable' } });
    expect(text).not.toContain('[DONE]');

    stack.fake.script({ delayMs: 100, status: 503 }, { times: Infinity });
    const stream = await stack.client.chat.completions.create({ model: 'chat', messages: HELLO, stream: true });
    const { items, error } = await drain(stream);
    expect(items).toEqual([]);
    expect(error).toBeInstanceOf(OpenAI.APIError);
  });

  it('sends none when the first event comes quickly', async () => {
    const { text } = await rawStream('chat');
    expect(text.startsWith('data: ')).toBe(true);
    expect(text).not.toContain('keep-alive');
  });
});
