/** Ollama `POST /api/chat` with `stream: false` → canonical ChatResponse (PROTOCOLS §4.2, §4.7). */
import { GatewayError } from '../../core/errors.js';
import { createId } from '../../core/ids.js';
import { isRecord } from '../../core/parse.js';
import type { ChatResponse, Choice } from '../../core/types.js';
import { decodeOllamaTimestamp, decodeOllamaUsage, mapOllamaFinishReason, readOllamaMessage } from './mapping.js';
import { decodeOllamaToolCalls } from './tool-calls.js';

/**
 * Decodes a whole (non-streamed) chat reply: one choice; `thinking` becomes the reasoning; tool
 * calls get their arguments as JSON text and an id. Ollama has no response id: one is made.
 * Throws `upstream_error` when the body is not a chat reply (an NDJSON stream read as JSON
 * because `stream: false` was not honoured, say — PROTOCOLS §4.9).
 */
export function decodeOllamaChatResponse(body: unknown): ChatResponse {
  if (!isRecord(body) || !isRecord(body.message)) {
    throw new GatewayError('upstream_error', 'Upstream returned a malformed Ollama chat response: no message.');
  }
  const message = readOllamaMessage(body);
  const toolCalls = decodeOllamaToolCalls(message.tool_calls, body.created_at);
  const rawReason = typeof body.done_reason === 'string' ? body.done_reason : null;
  const content = typeof message.content === 'string' ? message.content : '';
  const choice: Choice = {
    index: 0,
    // OpenAI sends `content: null` beside tool calls when the model wrote no text.
    text: content === '' && toolCalls.length > 0 ? null : content,
    finishReason: mapOllamaFinishReason(rawReason, toolCalls.length > 0),
    rawFinishReason: rawReason,
  };
  if (typeof message.thinking === 'string' && message.thinking !== '') choice.reasoning = message.thinking;
  if (toolCalls.length > 0) choice.toolCalls = toolCalls;
  const response: ChatResponse = {
    id: createId('chatcmpl-'),
    model: typeof body.model === 'string' ? body.model : '',
    created: decodeOllamaTimestamp(body.created_at),
    choices: [choice],
    dialect: 'ollama',
  };
  const usage = decodeOllamaUsage(body);
  if (usage) response.usage = usage;
  return response;
}
