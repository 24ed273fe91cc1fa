/**
 * Embeddings (float and base64, from an OpenAI upstream and from the float-only demo provider),
 * legacy completions (stream and non-stream) and the model list, through the official SDK.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildEmbeddingVector } from '../support/fake-openai.js';
import { startE2EStack, type E2EStack } from '../support/e2e-stack.js';

let stack: E2EStack;

beforeAll(async () => {
  stack = await startE2EStack({
    config: () => ({
      providers: { demo: { type: 'mock' } },
      models: { embedder: { targets: [{ provider: 'up', model: 'text-embedding-3-small' }] } },
    }),
  });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.fake.reset();
});

function upstreamBody(i: number): Record<string, unknown> {
  const request = stack.fake.requests[i];
  if (!request) throw new Error(`the upstream received no request #${i}`);
  return request.body as Record<string, unknown>;
}

describe('embeddings', () => {
  it('returns float vectors when asked for float', async () => {
    const response = await stack.client.embeddings.create({
      model: 'embedder',
      input: ['first text', 'second text'],
      encoding_format: 'float',
    });
    expect(upstreamBody(0)).toMatchObject({ model: 'text-embedding-3-small', input: ['first text', 'second text'], encoding_format: 'float' });
    expect(response.object).toBe('list');
    expect(response.data).toHaveLength(2);
    expect(response.data.map((d) => d.index)).toEqual([0, 1]);
    expect(response.data[0]?.object).toBe('embedding');
    expect(response.data[0]?.embedding).toEqual(buildEmbeddingVector('text-embedding-3-small\u0000first text', 1536));
    expect(response.data[1]?.embedding).toEqual(buildEmbeddingVector('text-embedding-3-small\u0000second text', 1536));
    expect(response.usage.prompt_tokens).toBeGreaterThan(0);
    expect(response.usage.total_tokens).toBe(response.usage.prompt_tokens);
  });

  it('returns base64 by SDK default, decoding to exactly the float request’s numbers', async () => {
    const asFloat = await stack.client.embeddings.create({ model: 'embedder', input: 'same text', encoding_format: 'float' });
    const asDefault = await stack.client.embeddings.create({ model: 'embedder', input: 'same text', dimensions: 256 });
    const asDefaultFull = await stack.client.embeddings.create({ model: 'embedder', input: 'same text' });
    // The SDK asked for base64 without being told; the gateway asked the upstream for base64 too.
    expect(upstreamBody(1)).toMatchObject({ encoding_format: 'base64', dimensions: 256, input: 'same text' });
    expect(upstreamBody(2).encoding_format).toBe('base64');
    expect(asDefaultFull.data[0]?.embedding).toEqual(asFloat.data[0]?.embedding);
    expect(asDefault.data[0]?.embedding).toHaveLength(256);
  });

  it('returns raw base64 to a client that asks for it explicitly', async () => {
    const response = await stack.client.embeddings.create({ model: 'embedder', input: 'b64', encoding_format: 'base64' });
    const encoded = response.data[0]?.embedding as unknown;
    expect(typeof encoded).toBe('string');
    const bytes = Buffer.from(encoded as string, 'base64');
    const floats = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(floats).toEqual(buildEmbeddingVector('text-embedding-3-small\u0000b64', 1536));
  });

  it('converts the float-only demo provider’s vectors to base64 for the SDK default', async () => {
    const asFloat = await stack.client.embeddings.create({ model: 'demo/embed', input: ['hello', 'world'], encoding_format: 'float' });
    const asDefault = await stack.client.embeddings.create({ model: 'demo/embed', input: ['hello', 'world'] });
    const raw = await stack.client.embeddings.create({ model: 'demo/embed', input: 'hello', encoding_format: 'base64' });
    expect(stack.fake.requests).toHaveLength(0);
    expect(typeof raw.data[0]?.embedding).toBe('string');
    expect(asFloat.data).toHaveLength(2);
    for (const [i, item] of asDefault.data.entries()) {
      const floats = asFloat.data[i]?.embedding ?? [];
      expect(floats.length).toBeGreaterThan(0);
      expect(item.embedding).toHaveLength(floats.length);
      // base64 carries float32: the decoded numbers are the float values rounded to float32.
      expect(item.embedding).toEqual(floats.map((f) => Math.fround(f)));
    }
    expect(asDefault.data[0]?.embedding).not.toEqual(asDefault.data[1]?.embedding);
  });

  it('rejects a malformed input with 400 naming the param', async () => {
    await expect(stack.client.embeddings.create({ model: 'embedder', input: [{ text: 'x' }] as never })).rejects.toMatchObject({
      status: 400,
      param: 'input',
    });
    expect(stack.fake.requests).toHaveLength(0);
  });
});

describe('legacy completions', () => {
  it('answers a non-stream completion with text, finish reason and usage', async () => {
    const completion = await stack.client.completions.create({
      model: 'up/gpt-3.5-turbo-instruct',
      prompt: 'Say this is a test',
      max_tokens: 20,
      temperature: 0,
    });
    expect(upstreamBody(0)).toMatchObject({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test', max_tokens: 20, temperature: 0 });
    expect(stack.fake.requests[0]?.path).toBe('/v1/completions');
    expect(completion).toMatchObject({
      object: 'text_completion',
      model: 'gpt-3.5-turbo-instruct',
      choices: [{ index: 0, text: 'Hello from fake OpenAI: Say this is a test', finish_reason: 'stop', logprobs: null }],
    });
    // One token per word piece in the fake: "Hello", " from", … " test".
    expect(completion.usage).toMatchObject({ completion_tokens: 9 });
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + 9);
  });

  it('maps the legacy default token limit to finish_reason "length"', async () => {
    const completion = await stack.client.completions.create({ model: 'up/gpt-3.5-turbo-instruct', prompt: 'a b c d e f g h i j k l m n o p' });
    expect(completion.choices[0]?.finish_reason).toBe('length');
  });

  it('streams a completion whose text reassembles, with usage only when asked', async () => {
    const stream = await stack.client.completions.create({ model: 'up/gpt-3.5-turbo-instruct', prompt: 'Stream me', stream: true });
    let text = '';
    const finishes: Array<string | null | undefined> = [];
    let usageSeen = false;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('text_completion');
      text += chunk.choices[0]?.text ?? '';
      finishes.push(chunk.choices[0]?.finish_reason);
      if (chunk.usage) usageSeen = true;
    }
    expect(text).toBe('Hello from fake OpenAI: Stream me');
    expect(finishes.at(-1)).toBe('stop');
    expect(usageSeen).toBe(false);
    expect(upstreamBody(0)).toMatchObject({ stream: true, stream_options: { include_usage: true } });

    const withUsage = await stack.client.completions.create({
      model: 'up/gpt-3.5-turbo-instruct',
      prompt: 'Stream me',
      stream: true,
      stream_options: { include_usage: true },
    });
    const usages = [];
    for await (const chunk of withUsage) if (chunk.usage) usages.push(chunk.usage);
    expect(usages).toHaveLength(1);
    expect(usages[0]).toMatchObject({ completion_tokens: 6, total_tokens: (usages[0]?.prompt_tokens ?? 0) + 6 });
  });

  it('throws when a completion stream is cut by the upstream', async () => {
    stack.fake.script({ stream: { cutAfter: 2 } });
    const stream = await stack.client.completions.create({ model: 'up/gpt-3.5-turbo-instruct', prompt: 'one two three four', stream: true });
    await expect(
      (async () => {
        for await (const _chunk of stream) {
          // drain
        }
      })(),
    ).rejects.toThrow();
  });

  it('answers a completion from a chat-only provider through the chat bridge', async () => {
    const completion = await stack.client.completions.create({ model: 'demo/chat', prompt: 'bridge me' });
    expect(completion.object).toBe('text_completion');
    expect(completion.choices[0]?.text).toContain('You said: "bridge me"');
  });
});

describe('models', () => {
  it('lists configured groups, their targets and provider models', async () => {
    const ids: string[] = [];
    for await (const model of stack.client.models.list()) {
      expect(model.object).toBe('model');
      expect(typeof model.created).toBe('number');
      ids.push(model.id);
    }
    expect(ids).toEqual(expect.arrayContaining(['chat', 'embedder', 'up/gpt-4o-mini', 'up/text-embedding-3-small', 'demo/chat', 'demo/embed']));
    expect(new Set(ids).size).toBe(ids.length);
    // Listing models is answered by the gateway, not by asking the upstream.
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('retrieves a model by id, including ids that contain a slash', async () => {
    const demo = await stack.client.models.retrieve('demo/chat');
    expect(demo).toMatchObject({ id: 'demo/chat', object: 'model', owned_by: 'switchyard-demo' });
    const group = await stack.client.models.retrieve('chat');
    expect(group).toMatchObject({ id: 'chat', object: 'model', owned_by: 'switchyard' });
    const direct = await stack.client.models.retrieve('up/gpt-4o-mini');
    expect(direct).toMatchObject({ id: 'up/gpt-4o-mini', owned_by: 'up' });
  });

  it('retrieves a routable direct name that is not listed', async () => {
    const model = await stack.client.models.retrieve('up/gpt-4.1-nano');
    expect(model).toMatchObject({ id: 'up/gpt-4.1-nano', owned_by: 'up' });
  });

  it('answers 404 model_not_found for an unknown model id', async () => {
    await expect(stack.client.models.retrieve('nope/nothing')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    await expect(stack.client.models.retrieve('no-such-group')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });
});
