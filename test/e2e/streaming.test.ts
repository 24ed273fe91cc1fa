/**
 * Streamed chat completions through the official SDK: text reassembly, `finalChatCompletion()`,
 * the SSE framing on the wire, usage chunks, parallel tool-call deltas, client aborts reaching
 * the upstream socket, and upstream failures mid-stream surfacing as errors (never as a
 * quietly finished stream).
 */
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_SYSTEM_FINGERPRINT } from '../support/fake-openai.js';
import { rawRequest, requestLogs, startE2EStack, within, type E2EStack } from '../support/e2e-stack.js';

const TOOLS: ChatCompletionTool[] = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } },
];

let stack: E2EStack;

beforeAll(async () => {
  stack = await startE2EStack();
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.fake.reset();
});

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function upstreamStreamOptions(): unknown {
  const body = stack.fake.requests.at(-1)?.body as Record<string, unknown> | undefined;
  return body?.stream_options;
}

describe('chat streaming', () => {
  it('streams text that reassembles to the full answer, with the upstream model id sent', async () => {
    const stream = await stack.client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'Tell me a story' }],
      stream: true,
    });
    const chunks = await collect(stream);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Hello from fake OpenAI: Tell me a story');
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    for (const chunk of chunks) {
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.id).toBe(chunks[0]?.id);
      // Unknown chunk fields from an OpenAI upstream pass through.
      expect(chunk.system_fingerprint).toBe(FAKE_SYSTEM_FINGERPRINT);
      expect(chunk.service_tier).toBe('default');
    }
    const body = stack.fake.requests[0]?.body as Record<string, unknown>;
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.stream).toBe(true);
  });

  it('supports the SDK stream helper and finalChatCompletion()', async () => {
    const deltas: string[] = [];
    const runner = stack.client.chat.completions.stream({
      model: 'chat',
      messages: [{ role: 'user', content: 'Count to three' }],
      stream_options: { include_usage: true },
    });
    runner.on('content', (delta) => deltas.push(delta));
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Hello from fake OpenAI: Count to three');
    expect(final.choices[0]?.finish_reason).toBe('stop');
    expect(deltas.join('')).toBe('Hello from fake OpenAI: Count to three');
    expect(final.usage?.completion_tokens).toBe(7);
    expect(final.usage?.total_tokens).toBe((final.usage?.prompt_tokens ?? 0) + 7);
  });

  it('sends usage only when the client asked, but always asks the upstream for it', async () => {
    const without = await collect(
      await stack.client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'a b' }], stream: true }),
    );
    expect(upstreamStreamOptions()).toEqual({ include_usage: true });
    expect(without.every((c) => c.usage === undefined || c.usage === null)).toBe(true);
    expect(without.every((c) => c.choices.length === 1)).toBe(true);

    const withUsage = await collect(
      await stack.client.chat.completions.create({
        model: 'chat',
        messages: [{ role: 'user', content: 'a b' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(upstreamStreamOptions()).toEqual({ include_usage: true });
    const usageChunks = withUsage.filter((c) => c.usage);
    expect(usageChunks).toHaveLength(1);
    expect(withUsage.at(-1)).toBe(usageChunks[0]);
    expect(usageChunks[0]?.choices).toEqual([]);
    expect(usageChunks[0]?.usage).toMatchObject({ completion_tokens: 6, total_tokens: expect.any(Number) as number });
    // Every other chunk carries `usage: null`, as OpenAI does.
    expect(withUsage.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('frames the stream as proper SSE ending with [DONE]', async () => {
    const response = await rawRequest(stack.gw, '/v1/chat/completions', {
      headers: { authorization: `Bearer ${stack.gw.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'frame me' }], stream: true }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.text.endsWith('data: [DONE]\n\n')).toBe(true);
    const events = response.text.split('\n\n').filter((e) => e.length > 0);
    for (const event of events) expect(event).toMatch(/^data: /);
    for (const event of events.slice(0, -1)) {
      const chunk = JSON.parse(event.slice('data: '.length)) as Record<string, unknown>;
      expect(chunk.object).toBe('chat.completion.chunk');
    }
    expect(events.filter((e) => e === 'data: [DONE]')).toHaveLength(1);
  });

  it('relays an upstream stream written in odd byte splits and CRLF line endings intact', async () => {
    stack.fake.script({ stream: { writeSizes: [1, 7, 3], lineEnding: '\r\n' }, reply: { text: 'Grüße, 世界! 👋 done' } });
    const chunks = await collect(
      await stack.client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], stream: true }),
    );
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Grüße, 世界! 👋 done');
  });
});

describe('tool calls (stream)', () => {
  it('reassembles argument deltas of two parallel calls into valid JSON with the right ids and names', async () => {
    stack.fake.script({
      reply: {
        toolCalls: [
          { id: 'call_weather', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
          { id: 'call_time', name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
        ],
      },
    });
    const chunks = await collect(
      await stack.client.chat.completions.create({
        model: 'chat',
        messages: [{ role: 'user', content: 'Weather and time in Paris?' }],
        tools: TOOLS,
        stream: true,
      }),
    );
    const calls = new Map<number, { id: string; name: string; args: string }>();
    let argumentDeltas = 0;
    for (const chunk of chunks) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const call = calls.get(delta.index) ?? { id: '', name: '', args: '' };
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name = delta.function.name;
        if (delta.function?.arguments) {
          call.args += delta.function.arguments;
          argumentDeltas++;
        }
        calls.set(delta.index, call);
      }
    }
    // The upstream sent the arguments in small fragments: they must arrive fragmented, and rejoin.
    expect(argumentDeltas).toBeGreaterThan(4);
    expect([...calls.entries()].map(([index, c]) => [index, c.id, c.name, JSON.parse(c.args)])).toEqual([
      [0, 'call_weather', 'get_weather', { city: 'Paris', unit: 'celsius' }],
      [1, 'call_time', 'get_time', { zone: 'Europe/Paris' }],
    ]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('gives the same tool calls through finalChatCompletion()', async () => {
    stack.fake.script({
      reply: {
        toolCalls: [
          { id: 'call_a', name: 'get_weather', arguments: '{"city":"Oslo"}' },
          { id: 'call_b', name: 'get_time', arguments: '{"zone":"UTC"}' },
        ],
      },
    });
    const final = await stack.client.chat.completions
      .stream({ model: 'chat', messages: [{ role: 'user', content: 'both' }], tools: TOOLS })
      .finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === 'function' ? [c.id, c.function.name, c.function.arguments] : []))).toEqual([
      ['call_a', 'get_weather', '{"city":"Oslo"}'],
      ['call_b', 'get_time', '{"zone":"UTC"}'],
    ]);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });
});

describe('stream failures and cancellation', () => {
  it('closes the upstream socket when the client aborts mid-stream', async () => {
    stack.fake.script({ stream: { hangAfter: 3 } });
    const controller = new AbortController();
    const stream = await stack.client.chat.completions.create(
      { model: 'chat', messages: [{ role: 'user', content: 'never ending story' }], stream: true },
      { signal: controller.signal },
    );
    const received: ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      received.push(chunk);
      if (received.length === 2) controller.abort();
    }
    expect(received.length).toBeGreaterThanOrEqual(2);
    await within(stack.fake.waitForClose(), 2_000, 'the upstream socket to close');
    expect(stack.fake.closedRequests).toBe(1);
    // The hung-up call is logged once, as 499 (client closed), not as an upstream error.
    await within(waitForLog((line) => line.status === 499), 2_000, 'the 499 log line');
  });

  it('throws when the upstream cuts the stream mid-way (it does not end as if finished)', async () => {
    stack.fake.script({ stream: { cutAfter: 3 } });
    const stream = await stack.client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'one two three four five six' }],
      stream: true,
    });
    const received: ChatCompletionChunk[] = [];
    const error = await (async () => {
      try {
        for await (const chunk of stream) received.push(chunk);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(received.length).toBeGreaterThan(0);
    expect(received.some((c) => c.choices[0]?.finish_reason)).toBe(false);
  });

  it('makes finalChatCompletion() reject on a cut stream', async () => {
    stack.fake.script({ stream: { cutAfter: 2 } });
    const runner = stack.client.chat.completions.stream({ model: 'chat', messages: [{ role: 'user', content: 'a b c d e' }] });
    await expect(runner.finalChatCompletion()).rejects.toThrow();
  });

  it('throws on an in-band upstream error, with the upstream message', async () => {
    stack.fake.script({ stream: { inBandError: { after: 3, error: { message: 'The server had an error mid-stream (test).' } } } });
    const stream = await stack.client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'one two three four' }],
      stream: true,
    });
    const received: ChatCompletionChunk[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) received.push(chunk);
      })(),
    ).rejects.toThrow(/mid-stream \(test\)/);
    expect(received.length).toBeGreaterThan(0);
  });

  it('retries a stream that fails before its first event, invisibly to the client', async () => {
    stack.fake.script({ stream: { inBandError: { after: 0 } } });
    const chunks = await collect(
      await stack.client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'again' }], stream: true }),
    );
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello from fake OpenAI: again');
    expect(stack.fake.requests).toHaveLength(2);
  });
});

async function waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<void> {
  while (!requestLogs(stack.gw).some(match)) await new Promise((resolve) => setTimeout(resolve, 5));
}
