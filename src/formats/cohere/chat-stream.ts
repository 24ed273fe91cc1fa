/**
 * Cohere v2 chat stream → canonical events (PROTOCOLS §7, §9.3). The wire is SSE with an
 * `event:` line per frame and the same name in the JSON `type`; `message-end` is the end
 * marker (a trailing `data: [DONE]`, which Cohere's SDKs tolerate, is ignored). Sequence:
 * message-start, tool-plan-delta (repeated), content-start / content-delta (repeated) /
 * content-end (text or thinking), tool-call-start / tool-call-delta / tool-call-end per call,
 * citation-start / citation-end, then message-end {finish_reason, usage}.
 */
import { GatewayError } from '../../core/errors.js';
import { createId } from '../../core/ids.js';
import { isRecord, type JsonObject, parseStreamFrame } from '../../core/parse.js';
import type { Redactor } from '../../core/redact.js';
import type { StreamEvent } from '../../core/types.js';
import { createSseParser, type SseMessage } from '../../transport/sse.js';
import { mapCohereFinishReason } from './finish-reason.js';
import { decodeCohereUsage } from './usage.js';

export interface DecodeCohereStreamOptions {
  /** Cleans upstream text that becomes an error message. */
  sanitize?: Redactor;
  /** The upstream model id: Cohere's frames do not name the model. */
  model?: string;
  now?: () => number;
}

interface ToolState {
  /** OpenAI tool-call index: the ordinal among this reply's calls. */
  ordinal: number;
  /** Arguments held back while they could still be Cohere's `null` for "no arguments". */
  held: string;
  flushed: boolean;
}

interface StreamState {
  started: boolean;
  ended: boolean;
  tools: Map<number, ToolState>;
  options: DecodeCohereStreamOptions;
}

/**
 * Decodes a Cohere SSE body into canonical events. Throws GatewayError when the upstream reports
 * an error in-band (message sanitised) or when the body ends before `message-end`.
 */
export async function* decodeCohereChatStream(
  body: AsyncIterable<Uint8Array>,
  options: DecodeCohereStreamOptions = {},
): AsyncGenerator<StreamEvent> {
  const parser = createSseParser();
  const state: StreamState = { started: false, ended: false, tools: new Map(), options };
  for await (const bytes of body) {
    for (const message of parser.push(bytes)) yield* decodeFrame(message, state);
  }
  for (const message of parser.end()) yield* decodeFrame(message, state);
  if (!state.ended) throw new GatewayError('upstream_error', 'Upstream stream ended before the response was complete.');
}

function decodeFrame(message: SseMessage, state: StreamState): StreamEvent[] {
  if (message.data === '[DONE]' || state.ended) return [];
  const frame = parseStreamFrame(message.data);
  const type = typeof frame.type === 'string' ? frame.type : message.event;
  if (type === 'error' || message.event === 'error') throw decodeInBandError(frame, state);
  const events: StreamEvent[] = [];
  if (!state.started) {
    state.started = true;
    events.push({
      type: 'start',
      id: type === 'message-start' && typeof frame.id === 'string' && frame.id !== '' ? frame.id : createId('chatcmpl-'),
      model: state.options.model ?? '',
      created: state.options.now?.() ?? Math.floor(Date.now() / 1000),
    });
  }
  const delta = isRecord(frame.delta) ? frame.delta : {};
  const deltaMessage = isRecord(delta.message) ? delta.message : {};
  switch (type) {
    case 'content-delta':
      decodeContentDelta(deltaMessage, events);
      break;
    case 'tool-plan-delta':
      // The plan is the model's reasoning about which tools to call: OpenAI's reasoning_content.
      if (typeof deltaMessage.tool_plan === 'string' && deltaMessage.tool_plan !== '') {
        events.push({ type: 'reasoning-delta', choice: 0, text: deltaMessage.tool_plan });
      }
      break;
    case 'tool-call-start':
    case 'tool-call-delta':
      decodeToolDelta(type, frame, deltaMessage, state, events);
      break;
    case 'tool-call-end':
      endToolCall(frame, state, events);
      break;
    case 'message-end':
      decodeMessageEnd(delta, state, events);
      break;
    default:
      // message-start, content-start/-end, citation-start/-end, debug: nothing to relay.
      break;
  }
  return events;
}


function decodeInBandError(frame: JsonObject, state: StreamState): GatewayError {
  const sanitize = state.options.sanitize ?? ((text: string) => text);
  const inner = isRecord(frame.error) ? frame.error.message : frame.error;
  const text = typeof inner === 'string' ? inner : typeof frame.message === 'string' ? frame.message : undefined;
  return new GatewayError('upstream_error', text === undefined ? 'Upstream reported an error mid-stream.' : sanitize(text));
}

function decodeContentDelta(message: JsonObject, events: StreamEvent[]): void {
  const content = isRecord(message.content) ? message.content : {};
  if (typeof content.thinking === 'string' && content.thinking !== '') {
    events.push({ type: 'reasoning-delta', choice: 0, text: content.thinking });
  }
  if (typeof content.text === 'string' && content.text !== '') events.push({ type: 'text-delta', choice: 0, text: content.text });
}

/** Cohere numbers tool calls itself; the OpenAI index is assigned here, in order of appearance. */
function decodeToolDelta(type: string, frame: JsonObject, message: JsonObject, state: StreamState, events: StreamEvent[]): void {
  const key = typeof frame.index === 'number' ? frame.index : -1;
  const call = isRecord(message.tool_calls) ? message.tool_calls : {};
  const fn = isRecord(call.function) ? call.function : {};
  const fragment = typeof fn.arguments === 'string' ? fn.arguments : '';
  let tool = state.tools.get(key);
  if (type === 'tool-call-start' || !tool) {
    tool = { ordinal: state.tools.size, held: '', flushed: false };
    state.tools.set(key, tool);
    events.push({
      type: 'tool-call-delta',
      choice: 0,
      index: tool.ordinal,
      id: typeof call.id === 'string' ? call.id : createId('call_'),
      name: typeof fn.name === 'string' ? fn.name : '',
      arguments: '',
    });
  }
  pushArguments(tool, fragment, events);
}

/**
 * Relays an arguments fragment. While everything received could still spell `null` (Cohere's
 * "no arguments"), it is held back so the call can end as `{}` instead of invalid input.
 */
function pushArguments(tool: ToolState, fragment: string, events: StreamEvent[]): void {
  if (fragment === '') return;
  if (!tool.flushed) {
    tool.held += fragment;
    if ('null'.startsWith(tool.held.trim())) return;
    tool.flushed = true;
    fragment = tool.held;
  }
  events.push({ type: 'tool-call-delta', choice: 0, index: tool.ordinal, arguments: fragment });
}

function endToolCall(frame: JsonObject, state: StreamState, events: StreamEvent[]): void {
  const tool = state.tools.get(typeof frame.index === 'number' ? frame.index : -1);
  if (!tool || tool.flushed) return;
  tool.flushed = true;
  events.push({ type: 'tool-call-delta', choice: 0, index: tool.ordinal, arguments: '{}' });
}

function decodeMessageEnd(delta: JsonObject, state: StreamState, events: StreamEvent[]): void {
  // An error during generation is reported here (`delta.error`), not as an HTTP status.
  if (typeof delta.error === 'string' && delta.error !== '') throw decodeInBandError({ error: delta.error }, state);
  for (const tool of state.tools.values()) {
    if (!tool.flushed) {
      tool.flushed = true;
      events.push({ type: 'tool-call-delta', choice: 0, index: tool.ordinal, arguments: '{}' });
    }
  }
  const raw = typeof delta.finish_reason === 'string' ? delta.finish_reason : 'COMPLETE';
  events.push({ type: 'finish', choice: 0, reason: mapCohereFinishReason(raw), rawReason: raw });
  const usage = decodeCohereUsage(delta.usage);
  if (usage) events.push({ type: 'usage', usage });
  state.ended = true;
}
