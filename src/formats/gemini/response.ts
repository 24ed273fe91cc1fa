/** Gemini `GenerateContentResponse` → canonical ChatResponse (PROTOCOLS §3.3, §3.7). */
import { GatewayError } from '../../core/errors.js';
import { createId } from '../../core/ids.js';
import { isRecord, type JsonObject } from '../../core/parse.js';
import type { ChatResponse, Choice, ToolCall } from '../../core/types.js';
import { mapGeminiBlockReason, mapGeminiFinishReason } from './finish-reason.js';
import { readGeminiParts } from './parts.js';
import { encodeGeminiToolCallId } from './tool-call-id.js';
import { decodeGeminiUsage } from './usage.js';

/**
 * Decodes a non-streamed reply. A prompt blocked before generation (HTTP 200, no candidates,
 * `promptFeedback.blockReason`) becomes one `content_filter` choice, never an empty success.
 * The model is Gemini's `modelVersion`, else `hints.model` (the id the request named). Throws
 * `upstream_error` when the body is not a GenerateContentResponse.
 */
export function decodeGeminiChatResponse(body: unknown, hints?: { model: string }): ChatResponse {
  if (!isRecord(body)) throw new GatewayError('upstream_error', 'Upstream returned a malformed Gemini response.');
  const responseId = typeof body.responseId === 'string' && body.responseId !== '' ? body.responseId : undefined;
  const key = responseId ?? createId('');
  const candidates = Array.isArray(body.candidates) ? body.candidates.filter(isRecord) : [];
  const response: ChatResponse = {
    id: `chatcmpl-${key}`,
    model: typeof body.modelVersion === 'string' ? body.modelVersion : (hints?.model ?? ''),
    created: Math.floor(Date.now() / 1000),
    choices: candidates.length > 0 ? candidates.map((c, i) => decodeCandidate(c, i, key)) : [decodeBlocked(body)],
    dialect: 'gemini',
  };
  const usage = decodeGeminiUsage(body.usageMetadata);
  if (usage) response.usage = usage;
  return response;
}

function decodeCandidate(candidate: JsonObject, position: number, key: string): Choice {
  const index = typeof candidate.index === 'number' ? candidate.index : position;
  let text: string | null = null;
  let reasoning: string | undefined;
  const toolCalls: ToolCall[] = [];
  for (const part of readGeminiParts(candidate)) {
    if (part.kind === 'text') text = (text ?? '') + part.text;
    else if (part.kind === 'reasoning') reasoning = (reasoning ?? '') + part.text;
    else {
      toolCalls.push({
        id: encodeGeminiToolCallId({ nativeId: part.nativeId, responseKey: key, choice: index, ordinal: toolCalls.length, signature: part.signature }),
        name: part.name,
        arguments: part.args,
      });
    }
  }
  const rawReason = typeof candidate.finishReason === 'string' ? candidate.finishReason : null;
  const choice: Choice = {
    index,
    text,
    finishReason: rawReason === null ? null : mapGeminiFinishReason(rawReason, toolCalls.length > 0),
    rawFinishReason: rawReason,
  };
  if (reasoning !== undefined) choice.reasoning = reasoning;
  if (toolCalls.length > 0) choice.toolCalls = toolCalls;
  return choice;
}

function decodeBlocked(body: JsonObject): Choice {
  const feedback = isRecord(body.promptFeedback) ? body.promptFeedback : {};
  if (typeof feedback.blockReason !== 'string') {
    throw new GatewayError('upstream_error', 'Upstream returned a Gemini response without candidates.');
  }
  return { index: 0, text: null, finishReason: mapGeminiBlockReason(feedback.blockReason), rawFinishReason: feedback.blockReason };
}
