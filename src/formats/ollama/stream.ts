/**
 * Ollama `POST /api/chat` streams (NDJSON, one `ChatResponse` per line, the last with
 * `done: true`) → canonical events (PROTOCOLS §4.2, §4.7, §9.3).
 */
import { GatewayError } from '../../core/errors.js';
import { createId } from '../../core/ids.js';
import { parseStreamFrame } from '../../core/parse.js';
import type { StreamEvent } from '../../core/types.js';
import { createNdjsonParser } from '../../transport/ndjson.js';
import { decodeOllamaInBandError } from './errors.js';
import { decodeOllamaTimestamp, decodeOllamaUsage, mapOllamaFinishReason, readOllamaMessage } from './mapping.js';
import { decodeOllamaToolCall } from './tool-calls.js';

interface StreamState {
  started: boolean;
  /** Tool calls seen so far: the next call's index, and whether `stop` means `tool_calls`. */
  toolCalls: number;
  done: boolean;
  sanitize: (text: string) => string;
}

/**
 * Decodes an Ollama chat stream into one `chunk` event per NDJSON line (its events inside, the
 * line's text kept for an Ollama-dialect caller). Thinking becomes reasoning deltas; each whole
 * tool call becomes two deltas, OpenAI-style (id + name with empty arguments, then the
 * arguments); the `done` line gives the finish — `tool_calls` when any call was seen in an
 * earlier line — and the one usage event. An `{"error":…}` line, a malformed line or a stream
 * that ends before its `done` line throws a GatewayError.
 */
export async function* decodeOllamaChatStream(
  body: AsyncIterable<Uint8Array>,
  sanitize: (text: string) => string = (text) => text,
): AsyncGenerator<StreamEvent> {
  const parser = createNdjsonParser();
  const state: StreamState = { started: false, toolCalls: 0, done: false, sanitize };
  for await (const bytes of body) {
    for (const line of parser.push(bytes)) {
      yield decodeLine(line, state);
      // Nothing follows the `done` line; returning lets the transport drain the socket for reuse.
      if (state.done) return;
    }
  }
  for (const line of parser.end()) {
    yield decodeLine(line, state);
    if (state.done) return;
  }
  throw new GatewayError('upstream_error', 'Upstream stream ended before the response was complete.');
}

function decodeLine(line: string, state: StreamState): StreamEvent {
  const chunk = parseStreamFrame(line);
  if (chunk.error !== undefined) throw decodeOllamaInBandError(chunk.error, state.sanitize);
  const events: StreamEvent[] = [];
  if (!state.started) {
    state.started = true;
    events.push({
      type: 'start',
      id: createId('chatcmpl-'),
      model: typeof chunk.model === 'string' ? chunk.model : '',
      created: decodeOllamaTimestamp(chunk.created_at),
    });
  }
  const message = readOllamaMessage(chunk);
  if (typeof message.thinking === 'string' && message.thinking !== '') {
    events.push({ type: 'reasoning-delta', choice: 0, text: message.thinking });
  }
  if (typeof message.content === 'string' && message.content !== '') {
    events.push({ type: 'text-delta', choice: 0, text: message.content });
  }
  if (Array.isArray(message.tool_calls)) {
    for (const value of message.tool_calls) {
      const index = state.toolCalls++;
      const call = decodeOllamaToolCall(value, { createdAt: chunk.created_at, ordinal: index });
      events.push(
        { type: 'tool-call-delta', choice: 0, index, id: call.id, name: call.name, arguments: '' },
        { type: 'tool-call-delta', choice: 0, index, arguments: call.arguments },
      );
    }
  }
  if (chunk.done === true) {
    state.done = true;
    const rawReason = typeof chunk.done_reason === 'string' ? chunk.done_reason : null;
    events.push({ type: 'finish', choice: 0, reason: mapOllamaFinishReason(rawReason, state.toolCalls > 0), rawReason });
    const usage = decodeOllamaUsage(chunk);
    if (usage) events.push({ type: 'usage', usage });
  }
  return { type: 'chunk', dialect: 'ollama', data: line, events, usageOnly: false };
}

