import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import type { JsonObject } from '../../core/parse.js';
import type { ChatRequest } from '../../core/types.js';
import type { BuildContext } from '../../providers/adapter.js';
import { createBuildContext } from '../../providers/build-context.js';
import { decodeOpenAIChatRequest } from '../openai/chat-request.js';
import { ANTHROPIC_JSON_TOOL_NAME } from './json-tool.js';
import { encodeAnthropicRequest } from './request.js';

const WEATHER = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const TIME = { type: 'function', function: { name: 'get_time', description: 'Now' } };

function lenient(): { context: BuildContext; warnings: string[] } {
  const warnings: string[] = [];
  return { context: createBuildContext({ warnings }, 'claude'), warnings };
}

/** Decodes an OpenAI body (as the ingress does) and encodes it for Anthropic. */
function encode(body: Record<string, unknown>, options: { defaultMaxTokens?: number; strict?: boolean } = {}): { body: JsonObject; warnings: string[] } {
  const warnings: string[] = [];
  const context = createBuildContext({ warnings, strict: options.strict ?? false }, 'claude');
  const request = decodeOpenAIChatRequest({ model: 'chat', messages: [{ role: 'user', content: 'Hi' }], ...body });
  const out = encodeAnthropicRequest(request, { model: 'claude-sonnet-4-5', context, ...options });
  return { body: out, warnings };
}

describe('encodeAnthropicRequest: top-level fields', () => {
  it('builds the minimal body: model, max_tokens (default 4096), messages; nothing else', () => {
    expect(encode({}).body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
  });

  it.each([
    [{ max_tokens: 50 }, {}, 50],
    [{ max_completion_tokens: 70, max_tokens: 50 }, {}, 70],
    [{}, { defaultMaxTokens: 1234 }, 1234],
    [{ max_tokens: 9 }, { defaultMaxTokens: 1234 }, 9],
  ])('max_tokens from %j with %j → %d', (body, options, expected) => {
    expect(encode(body, options).body.max_tokens).toBe(expected);
  });

  it('maps sampling: temperature clamped to Anthropic 0–1, top_p, stop → stop_sequences, stream', () => {
    const { body, warnings } = encode({ temperature: 1.6, top_p: 0.9, stop: ['END', '   ', '\n\nHuman:'], stream: true, stream_options: { include_usage: true } });
    expect(body).toMatchObject({ temperature: 1, top_p: 0.9, stop_sequences: ['END', '\n\nHuman:'], stream: true });
    expect(body).not.toHaveProperty('stream_options');
    expect(warnings).toEqual(['stop dropped for claude: Anthropic refuses whitespace-only stop sequences']);
    expect(encode({ stop: 'x', temperature: 0.3 }).body).toMatchObject({ stop_sequences: ['x'], temperature: 0.3 });
  });

  it('maps user (or safety_identifier) to metadata.user_id', () => {
    expect(encode({ user: 'u-1' }).body.metadata).toEqual({ user_id: 'u-1' });
    expect(encode({ safety_identifier: 'h-2' })).toMatchObject({ body: { metadata: { user_id: 'h-2' } }, warnings: [] });
  });

  it('drops what Anthropic cannot express with a warning, refuses it in strict mode', () => {
    const { body, warnings } = encode({ seed: 1, presence_penalty: 0.5, frequency_penalty: 0.1, logit_bias: { 1: 2 }, store: false, service_tier: 'flex' });
    for (const key of ['seed', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'service_tier', 'store']) expect(body).not.toHaveProperty(key);
    expect(warnings).toEqual([
      'seed dropped for claude: Anthropic has no sampling seed',
      'presence_penalty dropped for claude: Anthropic has no presence penalty',
      'frequency_penalty dropped for claude: Anthropic has no frequency penalty',
      'logit_bias dropped for claude: not supported by Anthropic',
      'service_tier dropped for claude: not supported by Anthropic',
    ]);
    const error = captureGatewayError(() => encode({ seed: 1 }, { strict: true }));
    expect(error).toMatchObject({ code: 'unsupported', status: 400, param: 'seed' });
  });

  it('refuses n > 1 and logprobs (400 unsupported) but accepts n = 1 and logprobs: false', () => {
    expect(captureGatewayError(() => encode({ n: 2 }))).toMatchObject({ code: 'unsupported', param: 'n' });
    expect(captureGatewayError(() => encode({ logprobs: true }))).toMatchObject({ code: 'unsupported', param: 'logprobs' });
    expect(encode({ n: 1, logprobs: false }).warnings).toEqual([]);
  });

  it('passes unknown fields through only when the caller spoke Anthropic itself', () => {
    const { context } = lenient();
    const request: ChatRequest = {
      model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: false, includeUsage: false, dialect: 'anthropic',
      extra: { top_k: 5, metadata: { user_id: 'a' }, cache_control: { type: 'ephemeral' } },
    };
    expect(encodeAnthropicRequest(request, { model: 'claude', context })).toMatchObject({ top_k: 5, metadata: { user_id: 'a' }, cache_control: { type: 'ephemeral' } });
  });
});

describe('encodeAnthropicRequest: tools', () => {
  it('maps tools; a tool without parameters gets an empty object schema', () => {
    const { body } = encode({ tools: [WEATHER, TIME, { type: 'function', function: { name: 'strict_one', parameters: { properties: {} }, strict: true } }] });
    expect(body.tools).toEqual([
      { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'get_time', description: 'Now', input_schema: { type: 'object', properties: {} } },
      { name: 'strict_one', input_schema: { type: 'object', properties: {} }, strict: true },
    ]);
    expect(body).not.toHaveProperty('tool_choice');
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    ['required', { type: 'any' }],
    [{ type: 'function', function: { name: 'get_time' } }, { type: 'tool', name: 'get_time' }],
  ])('tool_choice %j → %j', (choice, expected) => {
    expect(encode({ tools: [WEATHER, TIME], tool_choice: choice }).body.tool_choice).toEqual(expected);
  });

  it('parallel_tool_calls: false → disable_parallel_tool_use on the (possibly implicit auto) choice', () => {
    expect(encode({ tools: [WEATHER], parallel_tool_calls: false }).body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(encode({ tools: [WEATHER], tool_choice: 'required', parallel_tool_calls: false }).body.tool_choice)
      .toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(encode({ tools: [WEATHER], tool_choice: 'none', parallel_tool_calls: false }).body.tool_choice).toEqual({ type: 'none' });
    expect(encode({ tools: [WEATHER], parallel_tool_calls: true }).body).not.toHaveProperty('tool_choice');
  });

  it('sends no tool_choice without tools', () => {
    expect(encode({ tool_choice: 'none' }).body).not.toHaveProperty('tool_choice');
  });

  it('refuses a caller tool with the reserved JSON-tool name', () => {
    const tool = { type: 'function', function: { name: ANTHROPIC_JSON_TOOL_NAME } };
    expect(captureGatewayError(() => encode({ tools: [tool] }))).toMatchObject({ code: 'invalid_request', param: 'tools' });
  });
});

describe('encodeAnthropicRequest: response_format through the forced JSON tool', () => {
  const schema = { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'] };

  it('json_schema: one tool with the schema as input_schema, forced by tool_choice', () => {
    const { body } = encode({ response_format: { type: 'json_schema', json_schema: { name: 'result', schema, strict: true } } });
    expect(body.tools).toEqual([{ name: ANTHROPIC_JSON_TOOL_NAME, description: expect.stringContaining("'result'"), input_schema: schema }]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: ANTHROPIC_JSON_TOOL_NAME });
  });

  it('json_object: any JSON object', () => {
    const { body } = encode({ response_format: { type: 'json_object' } });
    expect(body.tools).toEqual([expect.objectContaining({ name: ANTHROPIC_JSON_TOOL_NAME, input_schema: { type: 'object' } })]);
  });

  it('text: nothing added', () => {
    expect(encode({ response_format: { type: 'text' } }).body).not.toHaveProperty('tools');
  });

  it("with the caller's tools: they stay callable (tool_choice any), unless tool_choice is none or names one", () => {
    const format = { type: 'json_schema', json_schema: { name: 'r', schema } };
    const any = encode({ tools: [WEATHER], response_format: format }).body;
    expect((any.tools as JsonObject[]).map((t) => t.name)).toEqual(['get_weather', ANTHROPIC_JSON_TOOL_NAME]);
    expect(any.tool_choice).toEqual({ type: 'any' });
    expect(encode({ tools: [WEATHER], tool_choice: 'none', response_format: format }).body.tool_choice)
      .toEqual({ type: 'tool', name: ANTHROPIC_JSON_TOOL_NAME });
    expect(encode({ tools: [WEATHER], tool_choice: { type: 'function', function: { name: 'get_weather' } }, response_format: format }).body.tool_choice)
      .toEqual({ type: 'tool', name: 'get_weather' });
  });
});

describe('encodeAnthropicRequest: reasoning_effort → thinking', () => {
  it.each([['low', 1024], ['medium', 2048], ['high', 4096], ['minimal', 1024]])('%s → budget %d, added on top of max_tokens', (effort, budget) => {
    const { body } = encode({ reasoning_effort: effort, max_tokens: 1000 });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: budget });
    expect(body.max_tokens).toBe(1000 + budget);
  });

  it('none (or nothing) leaves thinking off; an unknown effort is dropped with a warning', () => {
    expect(encode({ reasoning_effort: 'none' }).body).not.toHaveProperty('thinking');
    const { body, warnings } = encode({ reasoning_effort: 'turbo' });
    expect(body).not.toHaveProperty('thinking');
    expect(warnings).toEqual(["reasoning_effort dropped for claude: 'turbo' has no Anthropic thinking budget"]);
  });

  it('drops temperature and top_p while thinking (Anthropic refuses them)', () => {
    const { body, warnings } = encode({ reasoning_effort: 'low', temperature: 0.2, top_p: 0.5 });
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_p');
    expect(warnings).toHaveLength(2);
  });

  it('keeps thinking off when a tool use is forced (tool_choice required/named, response_format)', () => {
    for (const extra of [{ tools: [WEATHER], tool_choice: 'required' }, { response_format: { type: 'json_object' } }]) {
      const { body, warnings } = encode({ reasoning_effort: 'high', ...extra });
      expect(body).not.toHaveProperty('thinking');
      expect(warnings[0]).toMatch(/^reasoning_effort dropped for claude: Anthropic cannot think while a tool use is forced/);
    }
  });

  it('continuing a tool turn: thinking only when the turn came back with its signed thinking_blocks', () => {
    const call = { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } };
    const history = (assistant: Record<string, unknown>): Record<string, unknown> => ({
      reasoning_effort: 'low',
      tools: [WEATHER],
      messages: [{ role: 'user', content: 'Weather?' }, { role: 'assistant', content: null, tool_calls: [call], ...assistant }, { role: 'tool', tool_call_id: 'toolu_1', content: '18C' }],
    });
    const bare = encode(history({}));
    expect(bare.body).not.toHaveProperty('thinking');
    expect(bare.warnings).toEqual(['reasoning_effort dropped for claude: the tool turn being continued came back without its thinking_blocks']);
    const signed = encode(history({ reasoning_content: 'Let me look.', thinking_blocks: [{ type: 'thinking', thinking: 'Let me look.', signature: 'sig-1' }] }));
    expect(signed.body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect((signed.body.messages as JsonObject[])[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Let me look.', signature: 'sig-1' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
    });
  });
});
