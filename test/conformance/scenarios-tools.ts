/**
 * Tool scenarios: a single call, the streamed tool-call contract (PROTOCOLS §0 rule 2: the first
 * delta of a call carries index + id + name, later ones only index + an arguments fragment),
 * parallel calls and a follow-up turn carrying tool results.
 */
import type {
  ChatCompletionChunk, ChatCompletionMessageFunctionToolCall, ChatCompletionMessageParam, ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { expect } from 'vitest';
import { collectChunks, requestsSince, upstreamText, type Scenario } from './support.js';

const WEATHER_TOOL: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city'],
    },
  },
};

const TIME_TOOL: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_time',
    description: 'Current local time in a time zone',
    parameters: { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] },
  },
};

const TOOLS = [WEATHER_TOOL, TIME_TOOL];
const ASK: ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather and the time in Paris?' }];
const WEATHER_ARGS = { city: 'Paris', unit: 'celsius' };
const TIME_ARGS = { timezone: 'Europe/Paris' };

/** Function tool calls of a message (custom tool calls would fail the scenario). */
function functionCalls(calls: unknown[] | undefined): ChatCompletionMessageFunctionToolCall[] {
  return (calls ?? []).map((call) => {
    const typed = call as ChatCompletionMessageFunctionToolCall;
    expect(typed.type).toBe('function');
    return typed;
  });
}

type ToolDelta = NonNullable<ChatCompletionChunk.Choice.Delta['tool_calls']>[number];

/** Every tool-call delta of choice 0, in order. */
function toolDeltas(chunks: ChatCompletionChunk[]): ToolDelta[] {
  return chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
}

/**
 * Checks the streaming contract and returns each call, by `index`, reassembled. Every delta has
 * an index; the first for an index has id, type and name; later ones have neither id nor name.
 */
function reassembleCalls(deltas: ToolDelta[]): Map<number, { id: string; name: string; arguments: string }> {
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  for (const delta of deltas) {
    expect(typeof delta.index).toBe('number');
    const call = calls.get(delta.index);
    if (call === undefined) {
      expect(delta.id, 'the first delta of a call carries its id').toEqual(expect.any(String));
      expect(delta.type).toBe('function');
      expect(delta.function?.name, 'the first delta of a call carries its name').toEqual(expect.any(String));
      calls.set(delta.index, { id: delta.id ?? '', name: delta.function?.name ?? '', arguments: delta.function?.arguments ?? '' });
      continue;
    }
    expect(delta.id, 'a continuation delta must not repeat the id').toBeUndefined();
    expect(delta.function?.name, 'a continuation delta must not repeat the name').toBeUndefined();
    call.arguments += delta.function?.arguments ?? '';
  }
  return calls;
}

function finishReasons(chunks: ChatCompletionChunk[]): string[] {
  return chunks.flatMap((c) => c.choices.flatMap((choice) => (choice.finish_reason ? [choice.finish_reason] : [])));
}

const tools: Scenario = {
  id: 'tools',
  requires: ['tools'],
  async run({ client, h, model }) {
    const before = h.requests().length;
    h.reply({ kind: 'tools', calls: [{ name: 'get_weather', arguments: WEATHER_ARGS }] });
    const completion = await client.chat.completions.create({ model, messages: ASK, tools: TOOLS });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content ?? '').toBe('');
    const calls = functionCalls(choice?.message.tool_calls);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.id).toMatch(/\S/);
    expect(calls[0]?.function.name).toBe('get_weather');
    expect(JSON.parse(calls[0]?.function.arguments ?? '')).toEqual(WEATHER_ARGS);
    const wire = upstreamText(requestsSince(h, before));
    expect(wire).toContain('get_weather');
    expect(wire).toContain('get_time');
  },
};

const streamTools: Scenario = {
  id: 'stream tools',
  requires: ['stream-tools'],
  async run({ client, h, model }) {
    const args = { city: 'Zürich — 東京', unit: 'celsius' };
    h.reply({ kind: 'tools', calls: [{ name: 'get_weather', arguments: args }] });
    const runner = client.chat.completions.stream({ model, messages: ASK, tools: TOOLS });
    const chunks = await collectChunks(runner);
    const final = await runner.finalChatCompletion();
    const calls = reassembleCalls(toolDeltas(chunks));
    expect([...calls.keys()]).toEqual([0]);
    expect(calls.get(0)?.name).toBe('get_weather');
    expect(JSON.parse(calls.get(0)?.arguments ?? '')).toEqual(args);
    expect(finishReasons(chunks)).toEqual(['tool_calls']);
    const finalCalls = functionCalls(final.choices[0]?.message.tool_calls);
    expect(finalCalls.map((c) => [c.id, c.function.name])).toEqual([[calls.get(0)?.id, 'get_weather']]);
    expect(JSON.parse(finalCalls[0]?.function.arguments ?? '')).toEqual(args);
  },
};

const parallelTools: Scenario = {
  id: 'parallel tools',
  requires: ['parallel-tools'],
  async run({ client, h, model }) {
    h.reply({ kind: 'tools', calls: [{ name: 'get_weather', arguments: WEATHER_ARGS }, { name: 'get_time', arguments: TIME_ARGS }] });
    const completion = await client.chat.completions.create({ model, messages: ASK, tools: TOOLS });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    const calls = functionCalls(completion.choices[0]?.message.tool_calls);
    expect(calls.map((c) => c.function.name)).toEqual(['get_weather', 'get_time']);
    expect(calls.map((c) => JSON.parse(c.function.arguments) as unknown)).toEqual([WEATHER_ARGS, TIME_ARGS]);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
  },
};

const parallelStreamTools: Scenario = {
  id: 'parallel tools streamed',
  requires: ['parallel-tools', 'stream-tools'],
  async run({ client, h, model }) {
    h.reply({ kind: 'tools', calls: [{ name: 'get_weather', arguments: WEATHER_ARGS }, { name: 'get_time', arguments: TIME_ARGS }] });
    const chunks = await collectChunks(await client.chat.completions.create({ model, messages: ASK, tools: TOOLS, stream: true }));
    const calls = reassembleCalls(toolDeltas(chunks));
    // `index` is the ordinal among tool calls (0, 1), never a provider's content-block index.
    expect([...calls.keys()].sort()).toEqual([0, 1]);
    expect(calls.get(0)?.name).toBe('get_weather');
    expect(calls.get(1)?.name).toBe('get_time');
    expect(JSON.parse(calls.get(0)?.arguments ?? '')).toEqual(WEATHER_ARGS);
    expect(JSON.parse(calls.get(1)?.arguments ?? '')).toEqual(TIME_ARGS);
    expect(calls.get(0)?.id).not.toBe(calls.get(1)?.id);
    expect(finishReasons(chunks)).toEqual(['tool_calls']);
  },
};

const toolResults: Scenario = {
  id: 'tool results',
  requires: ['tool-results'],
  async run({ client, h, model }) {
    const before = h.requests().length;
    h.reply({ kind: 'text', text: 'It is 21 °C and sunny in Paris; the time is 14:05.' });
    const completion = await client.chat.completions.create({
      model,
      tools: TOOLS,
      messages: [
        ...ASK,
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_conformance_w', type: 'function', function: { name: 'get_weather', arguments: JSON.stringify(WEATHER_ARGS) } },
            { id: 'call_conformance_t', type: 'function', function: { name: 'get_time', arguments: JSON.stringify(TIME_ARGS) } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_conformance_w', content: '{"temperature_c":21,"sky":"sunny-marker-7"}' },
        { role: 'tool', tool_call_id: 'call_conformance_t', content: 'clock-marker-1405' },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe('It is 21 °C and sunny in Paris; the time is 14:05.');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    const sent = requestsSince(h, before);
    expect(sent).toHaveLength(1);
    const wire = upstreamText(sent);
    // The earlier calls and both results reached the provider, in whatever shape it uses.
    expect(wire).toContain('sunny-marker-7');
    expect(wire).toContain('clock-marker-1405');
    expect(wire).toContain('Europe/Paris');
    expect(wire.indexOf('sunny-marker-7')).toBeLessThan(wire.indexOf('clock-marker-1405'));
  },
};

export const TOOL_SCENARIOS: readonly Scenario[] = [tools, streamTools, parallelTools, parallelStreamTools, toolResults];
