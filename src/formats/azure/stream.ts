/**
 * Azure OpenAI chat streams → canonical events: OpenAI's stream (PROTOCOLS §1.7) with Azure's
 * content-filter annotations removed and its annotation-only chunks dropped (§8.3). What remains
 * is relayed to OpenAI callers as OpenAI would have sent it; a cleaned chunk is re-serialised,
 * an untouched one keeps its bytes.
 */
import { GatewayError } from '../../core/errors.js';
import { isRecord, parseStreamFrame } from '../../core/parse.js';
import type { StreamEvent } from '../../core/types.js';
import { createSseParser, type SseMessage } from '../../transport/sse.js';
import { decodeOpenAIChatChunk, type OpenAIChunkState } from '../openai/chat-stream.js';
import { pruneAzureEmptyChoices, stripAzureFilterAnnotations } from './annotations.js';

/**
 * Decodes an Azure SSE body into `chunk` events (dialect `openai`). An in-band error throws (its
 * text sanitised); so does a stream that ends before `[DONE]` unless a choice had finished.
 */
export async function* decodeAzureChatStream(
  body: AsyncIterable<Uint8Array>,
  sanitize: (text: string) => string = (text) => text,
): AsyncGenerator<StreamEvent> {
  const parser = createSseParser();
  const state: OpenAIChunkState = { started: false, finished: false, sanitize };
  for await (const bytes of body) {
    for (const message of parser.push(bytes)) {
      if (message.data === '[DONE]') return;
      const event = decodeMessage(message, state);
      if (event) yield event;
    }
  }
  for (const message of parser.end()) {
    if (message.data === '[DONE]') return;
    const event = decodeMessage(message, state);
    if (event) yield event;
  }
  if (!state.finished) throw new GatewayError('upstream_error', 'Upstream stream ended before the response was complete.');
}

function decodeMessage(message: SseMessage, state: OpenAIChunkState): StreamEvent | undefined {
  const chunk = parseStreamFrame(message.data);
  if (message.event === 'error') {
    const detail = isRecord(chunk.error) ? chunk.error : chunk;
    const text = typeof detail.message === 'string' ? state.sanitize(detail.message) : 'Upstream reported an error mid-stream.';
    throw new GatewayError('upstream_error', text);
  }
  if (chunk.error !== undefined) return decodeOpenAIChatChunk(chunk, message.data, state);
  const stripped = stripAzureFilterAnnotations(chunk);
  const before = Array.isArray(chunk.choices) ? chunk.choices.length : 0;
  if (pruneAzureEmptyChoices(chunk)) return undefined;
  const changed = stripped || (chunk.choices as unknown[]).length !== before;
  return decodeOpenAIChatChunk(chunk, changed ? JSON.stringify(chunk) : message.data, state);
}

