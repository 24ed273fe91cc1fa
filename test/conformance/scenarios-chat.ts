/**
 * Chat scenarios: plain text, streaming, the include_usage chunk, json_schema, reasoning,
 * finish reasons and normalised usage (PROTOCOLS §0 rules 3–4, §1.4, §1.7, §9.1–9.2).
 */
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { expect } from 'vitest';
import type { CannedUsage } from './harness.js';
import { collectChunks, readField, requestsSince, upstreamText, type Scenario, type ScenarioContext } from './support.js';

const ASK: ChatCompletionMessageParam[] = [
  { role: 'system', content: 'Answer briefly.' },
  { role: 'user', content: 'Greet conformance-probe-42.' },
];

/** Content deltas of choice 0, joined. */
function joinContent(chunks: ChatCompletionChunk[]): string {
  return chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
}

/** The finish reasons that appear in a stream, in order. */
function finishReasons(chunks: ChatCompletionChunk[]): string[] {
  return chunks.flatMap((c) => c.choices.flatMap((choice) => (choice.finish_reason ? [choice.finish_reason] : [])));
}

/** A stream with `include_usage`; returns the usage chunk's usage after checking the chunk's shape. */
async function streamedUsage(ctx: ScenarioContext): Promise<ChatCompletionChunk['usage']> {
  const stream = await ctx.client.chat.completions.create({
    model: ctx.model, messages: ASK, stream: true, stream_options: { include_usage: true },
  });
  const chunks = await collectChunks(stream);
  const last = chunks.at(-1);
  expect(last?.choices).toEqual([]);
  expect(chunks.filter((c) => c.choices.length === 0)).toHaveLength(1);
  for (const chunk of chunks.slice(0, -1)) expect(chunk.usage ?? null).toBeNull();
  return last?.usage;
}

/** Non-stream and streamed usage both equal `expected` (OpenAI semantics) for the canned usage. */
async function expectUsageBothWays(ctx: ScenarioContext, usage: CannedUsage, expected: Record<string, unknown>): Promise<void> {
  ctx.h.reply({ kind: 'text', text: 'Counted.', usage });
  const completion = await ctx.client.chat.completions.create({ model: ctx.model, messages: ASK });
  expect(completion.usage).toMatchObject(expected);
  ctx.h.reply({ kind: 'text', text: 'Counted.', usage });
  expect(await streamedUsage(ctx)).toMatchObject(expected);
}

const text: Scenario = {
  id: 'text',
  requires: ['text'],
  async run({ client, h, model }) {
    const before = h.requests().length;
    h.reply({ kind: 'text', text: 'Hello there, traveller.', usage: { input: 14, output: 5 } });
    const completion = await client.chat.completions.create({ model, messages: ASK });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices).toHaveLength(1);
    const choice = completion.choices[0];
    expect(choice?.index).toBe(0);
    expect(choice?.message.role).toBe('assistant');
    expect(choice?.message.content).toBe('Hello there, traveller.');
    expect(choice?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 5, total_tokens: 19 });
    const sent = requestsSince(h, before);
    expect(sent).toHaveLength(1);
    const wire = `${sent.map((r) => r.url).join('\n')}\n${upstreamText(sent)}`;
    expect(wire).toContain('conformance-probe-42');
    expect(wire).toContain('Answer briefly.');
    expect(wire).toContain(h.chatModel);
  },
};

const STREAM_TEXT = 'Grüße aus Köln — 東京 and 🚀 rockets, all in one stream.';

const stream: Scenario = {
  id: 'stream',
  requires: ['stream'],
  async run({ client, h, model }) {
    h.reply({ kind: 'text', text: STREAM_TEXT });
    const runner = client.chat.completions.stream({ model, messages: ASK });
    const chunks = await collectChunks(runner);
    const final = await runner.finalChatCompletion();
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.object).toBe('chat.completion.chunk');
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(joinContent(chunks)).toBe(STREAM_TEXT);
    expect(finishReasons(chunks)).toEqual(['stop']);
    // Without include_usage, no empty-choices chunk and no usage (PROTOCOLS §0 rule 3).
    expect(chunks.filter((c) => c.choices.length === 0)).toEqual([]);
    for (const chunk of chunks) expect(chunk.usage ?? null).toBeNull();
    expect(final.choices[0]?.message.content).toBe(STREAM_TEXT);
    expect(final.choices[0]?.finish_reason).toBe('stop');
  },
};

const includeUsage: Scenario = {
  id: 'include_usage',
  requires: ['stream', 'include-usage'],
  async run(ctx) {
    ctx.h.reply({ kind: 'text', text: 'Counted words here.', usage: { input: 11, output: 4 } });
    const usage = await streamedUsage(ctx);
    expect(usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 });

    ctx.h.reply({ kind: 'text', text: 'Counted words here.', usage: { input: 11, output: 4 } });
    const plain = await collectChunks(await ctx.client.chat.completions.create({ model: ctx.model, messages: ASK, stream: true }));
    expect(joinContent(plain)).toBe('Counted words here.');
    expect(plain.filter((c) => c.choices.length === 0)).toEqual([]);
    for (const chunk of plain) expect(chunk.usage ?? null).toBeNull();
  },
};

const CITY_SCHEMA = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    population: { type: 'integer' },
    landmarks: { type: 'array', items: { type: 'string' } },
  },
  required: ['city', 'population', 'landmarks'],
  additionalProperties: false,
};

/** The few JSON Schema rules CITY_SCHEMA uses, checked by hand (no validator dependency). */
function matchesCitySchema(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return keys.join(',') === 'city,landmarks,population'
    && typeof record.city === 'string'
    && Number.isInteger(record.population)
    && Array.isArray(record.landmarks) && record.landmarks.every((l) => typeof l === 'string');
}

const jsonSchema: Scenario = {
  id: 'json_schema',
  requires: ['json-schema'],
  async run({ client, h, model }) {
    const before = h.requests().length;
    h.reply({ kind: 'text', text: JSON.stringify({ city: 'Paris', population: 2102650, landmarks: ['Louvre', 'Eiffel Tower'] }) });
    const completion = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Describe the French capital.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city_facts', schema: CITY_SCHEMA, strict: true } },
    });
    const content = completion.choices[0]?.message.content ?? '';
    const parsed: unknown = JSON.parse(content);
    expect(matchesCitySchema(parsed)).toBe(true);
    expect(parsed).toEqual({ city: 'Paris', population: 2102650, landmarks: ['Louvre', 'Eiffel Tower'] });
    // The schema itself reached the provider (its property names appear nowhere else).
    expect(upstreamText(requestsSince(h, before))).toContain('landmarks');
  },
};

const REASONING = 'Six times seven is forty-two.';

const reasoning: Scenario = {
  id: 'reasoning',
  requires: ['reasoning', 'stream'],
  async run({ client, h, model }) {
    const question: ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is six times seven?' }];
    h.reply({ kind: 'text', text: '42.', reasoning: REASONING });
    const completion = await client.chat.completions.create({ model, messages: question, reasoning_effort: 'medium' });
    const message = completion.choices[0]?.message;
    expect(message?.content).toBe('42.');
    expect(readField(message, 'reasoning_content')).toBe(REASONING);

    h.reply({ kind: 'text', text: '42.', reasoning: REASONING });
    const chunks = await collectChunks(
      await client.chat.completions.create({ model, messages: question, reasoning_effort: 'medium', stream: true }),
    );
    const reasoningAt = chunks.flatMap((c, i) => (typeof readField(c.choices[0]?.delta, 'reasoning_content') === 'string' ? [i] : []));
    const contentAt = chunks.flatMap((c, i) => ((c.choices[0]?.delta.content ?? '') !== '' ? [i] : []));
    const streamed = reasoningAt.map((i) => String(readField(chunks[i]?.choices[0]?.delta, 'reasoning_content'))).join('');
    expect(streamed).toBe(REASONING);
    expect(joinContent(chunks)).toBe('42.');
    expect(Math.max(...reasoningAt)).toBeLessThan(Math.min(...contentAt));
  },
};

/** Non-stream and streamed, the canned finish arrives as `expected`. */
function finishScenario(id: string, finish: 'length' | 'content_filter', feature: 'finish-length' | 'finish-content-filter'): Scenario {
  return {
    id,
    requires: [feature, 'stream'],
    async run({ client, h, model }) {
      const before = h.requests().length;
      const params = { model, messages: [{ role: 'user' as const, content: 'Tell me a story.' }], max_completion_tokens: 7 };
      h.reply({ kind: 'text', text: 'Once upon a time', finish });
      const completion = await client.chat.completions.create(params);
      expect(completion.choices[0]?.finish_reason).toBe(finish);
      if (finish === 'length') {
        expect(completion.choices[0]?.message.content).toBe('Once upon a time');
        // The limit itself reached the provider, under whatever name it uses.
        expect(upstreamText(requestsSince(h, before))).toMatch(
          /"(max_tokens|max_completion_tokens|maxOutputTokens|num_predict|max_new_tokens)":\s*7\b/,
        );
      }
      h.reply({ kind: 'text', text: 'Once upon a time', finish });
      const chunks = await collectChunks(await client.chat.completions.create({ ...params, stream: true }));
      expect(finishReasons(chunks)).toEqual([finish]);
    },
  };
}

const usageCache: Scenario = {
  id: 'usage cached tokens',
  requires: ['usage-cache', 'stream', 'include-usage'],
  run: (ctx) => expectUsageBothWays(ctx, { input: 1200, output: 30, cacheRead: 1024 }, {
    prompt_tokens: 1200, completion_tokens: 30, total_tokens: 1230, prompt_tokens_details: { cached_tokens: 1024 },
  }),
};

const usageReasoning: Scenario = {
  id: 'usage reasoning tokens',
  requires: ['usage-reasoning', 'stream', 'include-usage'],
  run: (ctx) => expectUsageBothWays(ctx, { input: 40, output: 300, reasoning: 256 }, {
    prompt_tokens: 40, completion_tokens: 300, total_tokens: 340, completion_tokens_details: { reasoning_tokens: 256 },
  }),
};

export const CHAT_SCENARIOS: readonly Scenario[] = [
  text, stream, includeUsage, jsonSchema, reasoning,
  finishScenario('finish length', 'length', 'finish-length'),
  finishScenario('finish content_filter', 'content_filter', 'finish-content-filter'),
  usageCache, usageReasoning,
];
