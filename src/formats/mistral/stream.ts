/**
 * Mistral chat streams → canonical events. The framing is OpenAI's (`data:` chunks, then
 * `data: [DONE]`); the chunks differ (PROTOCOLS §6.1, vercel/ai mistral fixtures):
 * - `delta.content` may be an array of `text` / `thinking` chunks;
 * - a tool call usually arrives whole in one delta, often without `index`;
 * - usage rides on the finish chunk (sometimes also, partially, on earlier ones) without
 *   `stream_options`;
 * - finish reasons include `model_length` and `error`.
 * Each chunk is normalised to OpenAI's shape and decoded by the OpenAI chunk decoder; usage is
 * held back and emitted once, at the end, with the last totals Mistral reported.
 */
import { GatewayError } from '../../core/errors.js';
import { isRecord, type JsonObject, parseStreamFrame } from '../../core/parse.js';
import type { StreamEvent, Usage } from '../../core/types.js';
import { createSseParser, type SseMessage } from '../../transport/sse.js';
import { decodeOpenAIChatChunk, type OpenAIChunkState } from '../openai/chat-stream.js';
import { mapMistralFinishReason } from './finish-reason.js';
import { splitMistralContent } from './response.js';
import { decodeMistralUsage } from './usage.js';

/** Tool calls seen in one choice: each call's ordinal, by Mistral's id and by its `index`. */
interface ToolCalls {
  count: number;
  byId: Map<string, number>;
  byIndex: Map<number, number>;
  last: number;
}

interface MistralStreamState {
  chunk: OpenAIChunkState;
  tools: Map<number, ToolCalls>;
  usage: Usage | undefined;
}

/**
 * Decodes a Mistral SSE body into `chunk` events (dialect `mistral`) and one final `usage`
 * event. An in-band error throws (its text sanitised); so does a stream that ends before
 * `[DONE]` unless every choice had already finished.
 */
export async function* decodeMistralChatStream(
  body: AsyncIterable<Uint8Array>,
  sanitize: (text: string) => string = (text) => text,
): AsyncGenerator<StreamEvent> {
  const parser = createSseParser();
  const state: MistralStreamState = { chunk: { started: false, finished: false, sanitize }, tools: new Map(), usage: undefined };
  let done = false;
  for await (const bytes of body) {
    for (const message of parser.push(bytes)) {
      if (message.data === '[DONE]') done = true;
      else if (!done) yield* decodeMessage(message, state);
    }
    if (done) break;
  }
  if (!done) {
    for (const message of parser.end()) {
      if (message.data === '[DONE]') done = true;
      else if (!done) yield* decodeMessage(message, state);
    }
  }
  if (!done && !state.chunk.finished) {
    throw new GatewayError('upstream_error', 'Upstream stream ended before the response was complete.');
  }
  if (state.usage) yield { type: 'usage', usage: state.usage };
}

function* decodeMessage(message: SseMessage, state: MistralStreamState): Generator<StreamEvent> {
  const chunk = parseStreamFrame(message.data);
  if (message.event === 'error' || chunk.object === 'error' || chunk.error !== undefined) {
    throw decodeMistralInBandError(chunk, state.chunk.sanitize);
  }
  const usage = decodeMistralUsage(chunk.usage);
  if (usage) state.usage = usage;
  delete chunk.usage;
  if (Array.isArray(chunk.choices)) for (const choice of chunk.choices) if (isRecord(choice)) normaliseChoice(choice, state);
  const event = decodeOpenAIChatChunk(chunk, message.data, state.chunk);
  if (event.events.length === 0) return;
  for (const inner of event.events) {
    if (inner.type === 'finish' && inner.rawReason !== null) inner.reason = mapMistralFinishReason(inner.rawReason);
  }
  yield { ...event, dialect: 'mistral', usageOnly: false };
}


/** Mistral errors are `{object:"error", message, type, code}`; OpenAI's `{error:{message}}` is read too. */
function decodeMistralInBandError(chunk: JsonObject, sanitize: (text: string) => string): GatewayError {
  const detail = isRecord(chunk.error) ? chunk.error : chunk;
  const message = typeof detail.message === 'string' ? sanitize(detail.message) : 'Upstream reported an error mid-stream.';
  return new GatewayError('upstream_error', message);
}

/** Rewrites one choice in place into the OpenAI shape the shared chunk decoder reads. */
function normaliseChoice(choice: JsonObject, state: MistralStreamState): void {
  const delta = choice.delta;
  if (!isRecord(delta)) return;
  if (Array.isArray(delta.content)) {
    const { text, reasoning } = splitMistralContent(delta.content);
    delta.content = text ?? null;
    if (reasoning !== undefined) delta.reasoning_content = reasoning;
  }
  if (!Array.isArray(delta.tool_calls)) return;
  const index = typeof choice.index === 'number' ? choice.index : 0;
  let tools = state.tools.get(index);
  if (!tools) state.tools.set(index, (tools = { count: 0, byId: new Map(), byIndex: new Map(), last: -1 }));
  for (const call of delta.tool_calls) if (isRecord(call)) normaliseToolCall(call, tools);
}

/**
 * Gives each call OpenAI's index (its ordinal among the choice's calls) and keeps `id` and
 * `name` on its first delta only. A delta with a new id starts a call; one without (or with an
 * id already seen) continues the call of the same upstream `index`, else the latest call.
 */
function normaliseToolCall(call: JsonObject, tools: ToolCalls): void {
  const upstreamIndex = typeof call.index === 'number' ? call.index : undefined;
  const id = typeof call.id === 'string' && call.id !== '' ? call.id : undefined;
  const known = id === undefined ? undefined : tools.byId.get(id);
  const fn = isRecord(call.function) ? call.function : undefined;
  if (id !== undefined && known === undefined) {
    const ordinal = tools.count++;
    tools.byId.set(id, ordinal);
    if (upstreamIndex !== undefined) tools.byIndex.set(upstreamIndex, ordinal);
    tools.last = ordinal;
    call.index = ordinal;
    return;
  }
  const ordinal = known ?? (upstreamIndex === undefined ? undefined : tools.byIndex.get(upstreamIndex)) ?? tools.last;
  call.index = Math.max(ordinal, 0);
  delete call.id;
  delete call.type;
  if (fn) delete fn.name;
}
