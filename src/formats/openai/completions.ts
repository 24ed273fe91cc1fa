/**
 * Legacy OpenAI `POST /v1/completions` (§1.8) ↔ canonical CompletionRequest / CompletionResponse.
 * Streams reuse the canonical StreamEvent union (text deltas, finish, usage).
 */
import { GatewayError } from '../../core/errors.js';
import { createId } from '../../core/ids.js';
import {
  invalidParam, isRecord, optionalBoolean, optionalInteger, optionalNumber, pickUnknown, requireArray,
  requireRecord, requireString, type JsonObject,
} from '../../core/parse.js';
import type { CompletionRequest, CompletionResponse, StreamEvent } from '../../core/types.js';
import { decodeSseStream } from '../../transport/sse.js';
import { encodeOpenAIError } from './errors.js';
import { encodeOpenAIFinishReason, mapOpenAIFinishReason } from './finish-reason.js';
import { decodeOpenAIUsage, encodeOpenAIUsage } from './usage.js';

const REQUEST_FIELDS = new Set([
  'model', 'prompt', 'stream', 'stream_options', 'max_tokens', 'temperature', 'top_p', 'n', 'stop', 'seed',
]);

/** Decodes and validates a legacy completion request. Token-id prompts are refused. */
export function decodeOpenAICompletionRequest(body: unknown): CompletionRequest {
  const raw = requireRecord(body, 'body');
  const request: CompletionRequest = {
    model: requireString(raw.model, 'model'),
    prompt: decodePrompt(raw.prompt),
    stream: optionalBoolean(raw.stream, 'stream') ?? false,
    includeUsage: false,
    dialect: 'openai',
  };
  if (raw.stream_options !== undefined && raw.stream_options !== null) {
    const options = requireRecord(raw.stream_options, 'stream_options');
    request.includeUsage = optionalBoolean(options.include_usage, 'stream_options.include_usage') ?? false;
  }
  const maxTokens = optionalInteger(raw.max_tokens, 'max_tokens', 1);
  const temperature = optionalNumber(raw.temperature, 'temperature');
  const topP = optionalNumber(raw.top_p, 'top_p');
  const n = optionalInteger(raw.n, 'n', 1);
  const seed = optionalInteger(raw.seed, 'seed', Number.MIN_SAFE_INTEGER);
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  if (temperature !== undefined) request.temperature = temperature;
  if (topP !== undefined) request.topP = topP;
  if (n !== undefined) request.n = n;
  if (seed !== undefined) request.seed = seed;
  if (raw.stop !== undefined && raw.stop !== null) {
    request.stop = typeof raw.stop === 'string' ? [raw.stop] : requireArray(raw.stop, 'stop').map((s, i) => requireString(s, `stop[${i}]`));
  }
  const extra = pickUnknown(raw, REQUEST_FIELDS);
  if (extra) request.extra = extra;
  return request;
}

function decodePrompt(prompt: unknown): string | string[] {
  if (prompt === undefined) throw new GatewayError('invalid_request', "Missing required parameter: 'prompt'.", { param: 'prompt' });
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.every((p) => typeof p === 'string')) return prompt as string[];
  return invalidParam('prompt', 'a string or an array of strings (token-id prompts are not supported)', prompt);
}

/** Builds the upstream OpenAI-family completion body. */
export function encodeOpenAICompletionRequest(request: CompletionRequest, options: { model: string; passthrough: boolean }): JsonObject {
  const body: JsonObject = options.passthrough && request.dialect === 'openai' && request.extra ? { ...request.extra } : {};
  body.model = options.model;
  body.prompt = request.prompt;
  if (request.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.n !== undefined) body.n = request.n;
  if (request.stop !== undefined) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  return body;
}

/** Decodes an upstream `text_completion`. */
export function decodeOpenAICompletionResponse(body: unknown): CompletionResponse {
  if (!isRecord(body) || !Array.isArray(body.choices)) {
    throw new GatewayError('upstream_error', 'Upstream returned a malformed completion.');
  }
  const response: CompletionResponse = {
    id: typeof body.id === 'string' ? body.id : createId('cmpl-'),
    model: typeof body.model === 'string' ? body.model : '',
    created: typeof body.created === 'number' ? body.created : Math.floor(Date.now() / 1000),
    choices: body.choices.map((value, position) => {
      const choice = isRecord(value) ? value : {};
      const raw = typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
      return {
        index: typeof choice.index === 'number' ? choice.index : position,
        text: typeof choice.text === 'string' ? choice.text : '',
        finishReason: raw === null ? null : mapOpenAIFinishReason(raw),
        rawFinishReason: raw,
        extra: { logprobs: choice.logprobs ?? null },
      };
    }),
    dialect: 'openai',
  };
  const usage = decodeOpenAIUsage(body.usage);
  if (usage) response.usage = usage;
  return response;
}

/** Encodes a canonical completion as OpenAI's `text_completion`. */
export function encodeOpenAICompletionResponse(response: CompletionResponse): JsonObject {
  const passthrough = response.dialect === 'openai';
  const body: JsonObject = {
    id: response.id,
    object: 'text_completion',
    created: response.created,
    model: response.model,
    choices: response.choices.map((choice) => ({
      text: choice.text,
      index: choice.index,
      logprobs: passthrough ? (choice.extra?.logprobs ?? null) : null,
      finish_reason: encodeOpenAIFinishReason(choice.finishReason),
    })),
  };
  if (response.usage) body.usage = encodeOpenAIUsage(response.usage, passthrough);
  return body;
}

/** Decodes an upstream legacy completion stream into canonical events. */
export async function* decodeOpenAICompletionStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<StreamEvent> {
  let started = false;
  let finished = false;
  for await (const message of decodeSseStream(body)) {
    if (message.data === '[DONE]') return;
    let chunk: unknown;
    try {
      chunk = JSON.parse(message.data);
    } catch {
      throw new GatewayError('upstream_error', 'Upstream sent a malformed stream chunk.');
    }
    if (!isRecord(chunk)) continue;
    if (chunk.error !== undefined) throw new GatewayError('upstream_error', 'Upstream reported an error mid-stream.');
    if (!started) {
      started = true;
      const created = typeof chunk.created === 'number' ? chunk.created : Math.floor(Date.now() / 1000);
      yield { type: 'start', id: typeof chunk.id === 'string' ? chunk.id : createId('cmpl-'), model: typeof chunk.model === 'string' ? chunk.model : '', created };
    }
    for (const value of Array.isArray(chunk.choices) ? chunk.choices : []) {
      if (!isRecord(value)) continue;
      const index = typeof value.index === 'number' ? value.index : 0;
      if (typeof value.text === 'string' && value.text.length > 0) yield { type: 'text-delta', choice: index, text: value.text };
      if (typeof value.finish_reason === 'string') {
        finished = true;
        yield { type: 'finish', choice: index, reason: mapOpenAIFinishReason(value.finish_reason), rawReason: value.finish_reason };
      }
    }
    const usage = decodeOpenAIUsage(chunk.usage);
    if (usage) yield { type: 'usage', usage };
  }
  if (!finished) throw new GatewayError('upstream_error', 'Upstream stream ended before the response was complete.');
}

/** Encodes canonical events as `text_completion` SSE frames (errors in-band, like chat). */
export async function* encodeOpenAICompletionStream(
  events: AsyncIterable<StreamEvent>,
  options: { includeUsage: boolean },
): AsyncGenerator<string> {
  let head: JsonObject = { id: createId('cmpl-'), object: 'text_completion', created: Math.floor(Date.now() / 1000), model: '' };
  const frame = (choices: JsonObject[], usage?: JsonObject | null): string =>
    `data: ${JSON.stringify({ ...head, choices, ...(usage !== undefined ? { usage } : {}) })}\n\n`;
  const nullUsage = options.includeUsage ? null : undefined;
  try {
    for await (const item of events) {
      for (const event of item.type === 'chunk' ? item.events : [item]) {
        if (event.type === 'start') head = { id: event.id, object: 'text_completion', created: event.created, model: event.model };
        else if (event.type === 'text-delta') yield frame([{ text: event.text, index: event.choice, logprobs: null, finish_reason: null }], nullUsage);
        else if (event.type === 'finish') {
          const reason = encodeOpenAIFinishReason(event.reason);
          yield frame([{ text: '', index: event.choice, logprobs: null, finish_reason: reason }], nullUsage);
        } else if (event.type === 'usage' && options.includeUsage) yield frame([], encodeOpenAIUsage(event.usage, false));
      }
    }
  } catch (error) {
    const gatewayError = error instanceof GatewayError ? error : new GatewayError('internal', 'Internal error', { cause: error });
    yield `data: ${JSON.stringify(encodeOpenAIError(gatewayError))}\n\n`;
    return;
  }
  yield 'data: [DONE]\n\n';
}
