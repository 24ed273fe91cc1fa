/**
 * Gemini `:streamGenerateContent?alt=sse` → canonical stream events (PROTOCOLS §3.4). The
 * framing is data-only SSE with no end marker (the stream ends at EOF, blocks may be separated
 * by CRLF); each frame is a whole GenerateContentResponse holding only the new parts, and
 * `usageMetadata` repeats on every frame with cumulative counts, so only the last one counts.
 */
import { GatewayError } from '../../core/errors.js';
import { createId } from '../../core/ids.js';
import { isRecord, type JsonObject, parseStreamFrame } from '../../core/parse.js';
import type { StreamEvent, Usage } from '../../core/types.js';
import { createSseParser, type SseMessage } from '../../transport/sse.js';
import { decodeGeminiUpstreamError } from './errors.js';
import { mapGeminiBlockReason, mapGeminiFinishReason } from './finish-reason.js';
import { readGeminiParts } from './parts.js';
import { encodeGeminiToolCallId } from './tool-call-id.js';
import { decodeGeminiUsage } from './usage.js';

interface CandidateState {
  /** Function calls seen so far: the OpenAI `index` of the next one. */
  toolCalls: number;
  finished: boolean;
}

interface StreamState {
  started: boolean;
  /** `responseId` (or a generated key): the stem of synthesized tool-call ids. */
  key: string;
  /** The model the request named, used when frames carry no `modelVersion`. */
  model: string;
  candidates: Map<number, CandidateState>;
  blocked: boolean;
  usage: Usage | undefined;
  sanitize: (text: string) => string;
}

/**
 * Decodes a Gemini SSE body into one `chunk` event per upstream frame, then one `usage` event
 * with the final counts. Gemini sends no terminator, so a stream that ends before every
 * candidate has a `finishReason` (or the prompt was blocked) was cut: that throws, as does an
 * in-band `{"error":…}` frame (its message sanitised).
 */
export async function* decodeGeminiChatStream(
  body: AsyncIterable<Uint8Array>,
  sanitize: (text: string) => string = (text) => text,
  hints?: { model: string },
): AsyncGenerator<StreamEvent> {
  const parser = createSseParser();
  const state: StreamState = {
    started: false, key: '', model: hints?.model ?? '', candidates: new Map(), blocked: false, usage: undefined, sanitize,
  };
  for await (const bytes of body) {
    for (const message of parser.push(bytes)) yield decodeFrame(message, state);
  }
  for (const message of parser.end()) yield decodeFrame(message, state);
  if (!isComplete(state)) throw new GatewayError('upstream_error', 'Upstream stream ended before the response was complete.');
  if (state.usage) yield { type: 'usage', usage: state.usage };
}

function isComplete(state: StreamState): boolean {
  if (state.blocked) return true;
  if (state.candidates.size === 0) return false;
  for (const candidate of state.candidates.values()) if (!candidate.finished) return false;
  return true;
}

function decodeFrame(message: SseMessage, state: StreamState): StreamEvent {
  const frame = parseStreamFrame(message.data);
  if (frame.error !== undefined) {
    const code = isRecord(frame.error) && typeof frame.error.code === 'number' ? frame.error.code : 500;
    throw decodeGeminiUpstreamError({ status: code, body: frame, sanitize: state.sanitize });
  }
  const events: StreamEvent[] = [];
  if (!state.started) {
    state.started = true;
    state.key = typeof frame.responseId === 'string' && frame.responseId !== '' ? frame.responseId : createId('');
    events.push({
      type: 'start',
      id: `chatcmpl-${state.key}`,
      model: typeof frame.modelVersion === 'string' ? frame.modelVersion : state.model,
      created: Math.floor(Date.now() / 1000),
    });
  }
  const candidates = Array.isArray(frame.candidates) ? frame.candidates : [];
  candidates.forEach((candidate, position) => {
    if (isRecord(candidate)) decodeCandidate(candidate, position, state, events);
  });
  const feedback = isRecord(frame.promptFeedback) ? frame.promptFeedback : undefined;
  if (candidates.length === 0 && typeof feedback?.blockReason === 'string' && !state.blocked) {
    // A blocked prompt: HTTP 200, no candidates. One content-filter finish, never an empty success.
    state.blocked = true;
    events.push({ type: 'finish', choice: 0, reason: mapGeminiBlockReason(feedback.blockReason), rawReason: feedback.blockReason });
  }
  const usage = decodeGeminiUsage(frame.usageMetadata);
  if (usage) state.usage = usage;
  return { type: 'chunk', dialect: 'gemini', data: message.data, events, usageOnly: false };
}


function decodeCandidate(candidate: JsonObject, position: number, state: StreamState, events: StreamEvent[]): void {
  const choice = typeof candidate.index === 'number' ? candidate.index : position;
  let current = state.candidates.get(choice);
  if (!current) {
    current = { toolCalls: 0, finished: false };
    state.candidates.set(choice, current);
  }
  for (const part of readGeminiParts(candidate)) {
    if (part.kind === 'text') events.push({ type: 'text-delta', choice, text: part.text });
    else if (part.kind === 'reasoning') events.push({ type: 'reasoning-delta', choice, text: part.text });
    else {
      // Gemini sends each call whole: one delta with id, name and the complete arguments.
      const index = current.toolCalls++;
      const id = encodeGeminiToolCallId({ nativeId: part.nativeId, responseKey: state.key, choice, ordinal: index, signature: part.signature });
      events.push({ type: 'tool-call-delta', choice, index, id, name: part.name, arguments: part.args });
    }
  }
  if (typeof candidate.finishReason === 'string' && !current.finished) {
    current.finished = true;
    const raw = candidate.finishReason;
    events.push({ type: 'finish', choice, reason: mapGeminiFinishReason(raw, current.toolCalls > 0), rawReason: raw });
  }
}
