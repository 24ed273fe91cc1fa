/**
 * `POST /v1/chat/completions`: a deterministic `chat.completion`, or the chunk sequence of
 * PROTOCOLS §1.7 (role chunk, content or tool-call deltas, finish chunk, optional usage chunk).
 */
import { missingParameter } from './errors.js';
import { buildObfuscation, contentText, countTokens, isRecord, splitFixed, splitIntoPieces } from './text.js';
import type { FakeContext, FakePlan, FakeToolCall, FakeUsage } from './types.js';

export const FAKE_SYSTEM_FINGERPRINT = 'fp_f4ke0pena1';
/** Tool-call arguments are streamed in fragments of this many characters, so clients must reassemble. */
const ARGUMENT_FRAGMENT = 5;

type Answer =
  | { kind: 'text'; pieces: string[]; finishReason: string; usage?: FakeUsage; reasoning?: string[] }
  | { kind: 'tools'; calls: Array<Required<FakeToolCall>>; finishReason: string; usage?: FakeUsage };

interface ChatRequest {
  model: string;
  messages: unknown[];
  stream: boolean;
  includeUsage: boolean;
  includeObfuscation: boolean;
  serviceTier: string;
  tools: Array<Record<string, unknown>>;
  toolChoice: unknown;
  maxTokens: number | undefined;
}

/** Plans the response to a chat completion request body. */
export function planChatCompletion(body: Record<string, unknown>, ctx: FakeContext): FakePlan {
  if (typeof body.model !== 'string') return missingParameter('model');
  if (!Array.isArray(body.messages)) return missingParameter('messages');
  const request = readChatRequest(body, body.model, body.messages);
  const answer = buildAnswer(request, ctx);
  const usage = answer.usage ?? countUsage(request, answer);
  if (request.stream) return { kind: 'sse', events: buildChatChunks(request, answer, usage, ctx) };
  return { kind: 'json', status: 200, body: buildChatCompletion(request, answer, usage, ctx) };
}

function readChatRequest(body: Record<string, unknown>, model: string, messages: unknown[]): ChatRequest {
  const streamOptions = isRecord(body.stream_options) ? body.stream_options : {};
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  return {
    model,
    messages,
    stream: body.stream === true,
    includeUsage: streamOptions.include_usage === true,
    includeObfuscation: streamOptions.include_obfuscation !== false,
    serviceTier: typeof body.service_tier === 'string' && body.service_tier !== 'auto' ? body.service_tier : 'default',
    tools: Array.isArray(body.tools) ? body.tools.filter(isRecord) : [],
    toolChoice: body.tool_choice,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
  };
}

function buildAnswer(request: ChatRequest, ctx: FakeContext): Answer {
  const reply = ctx.reply;
  const callId = (i: number): string => `call_${String(ctx.seq).padStart(6, '0')}${i}`;
  if (reply && 'toolCalls' in reply) {
    const calls = reply.toolCalls.map((call, i) => ({ id: call.id ?? callId(i), name: call.name, arguments: call.arguments }));
    return { kind: 'tools', calls, finishReason: reply.finishReason ?? 'tool_calls', usage: reply.usage };
  }
  if (reply) {
    const reasoning = reply.reasoning === undefined ? {} : { reasoning: splitIntoPieces(reply.reasoning) };
    return { kind: 'text', pieces: splitIntoPieces(reply.text), finishReason: reply.finishReason ?? 'stop', usage: reply.usage, ...reasoning };
  }
  const tool = chooseTool(request);
  if (tool) return { kind: 'tools', calls: [{ id: callId(0), ...tool }], finishReason: 'tool_calls' };
  const pieces = splitIntoPieces(`Hello from fake OpenAI: ${lastUserText(request.messages)}`);
  if (request.maxTokens !== undefined && pieces.length > request.maxTokens) {
    return { kind: 'text', pieces: pieces.slice(0, request.maxTokens), finishReason: 'length' };
  }
  return { kind: 'text', pieces, finishReason: 'stop' };
}

/** The tool the fake "decides" to call: the named one, else the first, unless `tool_choice` is "none". */
function chooseTool(request: ChatRequest): { name: string; arguments: string } | undefined {
  if (request.tools.length === 0 || request.toolChoice === 'none') return undefined;
  const named = isRecord(request.toolChoice) && isRecord(request.toolChoice.function) ? request.toolChoice.function.name : undefined;
  const functions = request.tools.map((tool) => (isRecord(tool.function) ? tool.function : {}));
  const fn = functions.find((f) => named !== undefined && f.name === named) ?? functions[0];
  if (!fn || typeof fn.name !== 'string') return undefined;
  return { name: fn.name, arguments: JSON.stringify(sampleArguments(fn.parameters)) };
}

/** Arguments that satisfy a simple JSON schema: "Paris" for strings, first enum value, 1, true… */
function sampleArguments(schema: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isRecord(schema) || !isRecord(schema.properties)) return out;
  for (const [key, property] of Object.entries(schema.properties)) {
    const prop = isRecord(property) ? property : {};
    if (Array.isArray(prop.enum) && prop.enum.length > 0) out[key] = prop.enum[0];
    else if (prop.type === 'number' || prop.type === 'integer') out[key] = 1;
    else if (prop.type === 'boolean') out[key] = true;
    else if (prop.type === 'array') out[key] = [];
    else if (prop.type === 'object') out[key] = {};
    else out[key] = 'Paris';
  }
  return out;
}

function lastUserText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (isRecord(message) && message.role === 'user') return contentText(message.content);
  }
  return '';
}

function countUsage(request: ChatRequest, answer: Answer): FakeUsage {
  const promptTokens = request.messages.reduce<number>(
    (sum, m) => sum + 3 + (isRecord(m) ? countTokens(contentText(m.content)) : 0),
    0,
  );
  const completionTokens =
    answer.kind === 'text'
      ? answer.pieces.length
      : answer.calls.reduce((sum, call) => sum + 1 + splitFixed(call.arguments, ARGUMENT_FRAGMENT).length, 0);
  return { promptTokens, completionTokens };
}

/** OpenAI's `CompletionUsage` with both detail objects. */
export function buildChatUsage(usage: FakeUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function buildChatCompletion(request: ChatRequest, answer: Answer, usage: FakeUsage, ctx: FakeContext): unknown {
  const message =
    answer.kind === 'text'
      ? {
          role: 'assistant',
          content: answer.pieces.join(''),
          ...(answer.reasoning ? { reasoning_content: answer.reasoning.join('') } : {}),
          refusal: null,
          annotations: [],
        }
      : {
          role: 'assistant',
          content: null,
          tool_calls: answer.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
          refusal: null,
          annotations: [],
        };
  return {
    id: `chatcmpl-fake${ctx.seq}`,
    object: 'chat.completion',
    created: ctx.created,
    model: request.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
    usage: buildChatUsage(usage),
    service_tier: request.serviceTier,
    system_fingerprint: FAKE_SYSTEM_FINGERPRINT,
  };
}

function buildChatChunks(request: ChatRequest, answer: Answer, usage: FakeUsage, ctx: FakeContext): unknown[] {
  const deltas: Array<{ delta: Record<string, unknown>; finish?: string }> = [];
  if (answer.kind === 'text') {
    deltas.push({ delta: { role: 'assistant', content: '', refusal: null } });
    for (const piece of answer.reasoning ?? []) deltas.push({ delta: { reasoning_content: piece } });
    for (const piece of answer.pieces) deltas.push({ delta: { content: piece } });
  } else {
    deltas.push({ delta: { role: 'assistant', content: null, refusal: null } });
    answer.calls.forEach((call, index) => {
      const head = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
      deltas.push({ delta: { tool_calls: [head] } });
      for (const fragment of splitFixed(call.arguments, ARGUMENT_FRAGMENT)) {
        if (fragment.length > 0) deltas.push({ delta: { tool_calls: [{ index, function: { arguments: fragment } }] } });
      }
    });
  }
  deltas.push({ delta: {}, finish: answer.finishReason });
  const chunks = deltas.map(({ delta, finish }, i) =>
    chunkEnvelope(request, ctx, i, [{ index: 0, delta, logprobs: null, finish_reason: finish ?? null }], null),
  );
  if (request.includeUsage) chunks.push(chunkEnvelope(request, ctx, chunks.length, [], buildChatUsage(usage)));
  return chunks;
}

function chunkEnvelope(request: ChatRequest, ctx: FakeContext, i: number, choices: unknown[], usage: unknown): unknown {
  return {
    id: `chatcmpl-fake${ctx.seq}`,
    object: 'chat.completion.chunk',
    created: ctx.created,
    model: request.model,
    service_tier: request.serviceTier,
    system_fingerprint: FAKE_SYSTEM_FINGERPRINT,
    choices,
    ...(request.includeUsage ? { usage } : {}),
    ...(request.includeObfuscation ? { obfuscation: buildObfuscation(ctx.seq + i) } : {}),
  };
}
