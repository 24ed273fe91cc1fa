/**
 * Mistral `chat.completion` bodies → canonical ChatResponse. The body is OpenAI-shaped except
 * that `message.content` may be an array of chunks (`text`, `thinking` for Magistral and
 * adjustable-reasoning models, `reference` …), finish reasons include `model_length` and
 * `error`, and cached tokens may be reported as `num_cached_tokens` (PROTOCOLS §6.1).
 */
import { GatewayError } from '../../core/errors.js';
import { isRecord, type JsonObject } from '../../core/parse.js';
import type { ChatResponse } from '../../core/types.js';
import { decodeOpenAIChatResponse } from '../openai/chat-response.js';
import { mapMistralFinishReason } from './finish-reason.js';
import { decodeMistralUsage } from './usage.js';

/** The text and the reasoning of a Mistral content value; each absent when there is none. */
export interface MistralContentText {
  text?: string;
  reasoning?: string;
}

/**
 * Splits Mistral content (a string, or chunks) into text and reasoning. `thinking` chunks hold
 * their own text chunks (vercel/ai `mistral-reasoning` fixtures); `reference` and image chunks
 * carry no text and are skipped.
 */
export function splitMistralContent(content: unknown): MistralContentText {
  if (typeof content === 'string') return { text: content };
  if (!Array.isArray(content)) return {};
  const out: MistralContentText = {};
  for (const chunk of content) {
    if (!isRecord(chunk)) continue;
    if (chunk.type === 'text' && typeof chunk.text === 'string') out.text = (out.text ?? '') + chunk.text;
    else if (chunk.type === 'thinking') out.reasoning = (out.reasoning ?? '') + thinkingText(chunk.thinking);
  }
  return out;
}

function thinkingText(thinking: unknown): string {
  if (typeof thinking === 'string') return thinking;
  if (!Array.isArray(thinking)) return '';
  return thinking.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
}

/** Decodes an upstream Mistral chat completion. Throws `upstream_error` when it is not one. */
export function decodeMistralChatResponse(body: unknown): ChatResponse {
  if (!isRecord(body) || !Array.isArray(body.choices)) {
    throw new GatewayError('upstream_error', 'Upstream returned a malformed chat completion: no choices.');
  }
  // The OpenAI decoder reads the normalised copy; usage is decoded the Mistral way instead.
  const normalised: JsonObject = { ...body, choices: body.choices.map(normaliseChoice), usage: undefined };
  const response = decodeOpenAIChatResponse(normalised);
  response.dialect = 'mistral';
  delete response.extra;
  const usage = decodeMistralUsage(body.usage);
  if (usage) response.usage = usage;
  for (const choice of response.choices) {
    if (choice.rawFinishReason !== null) choice.finishReason = mapMistralFinishReason(choice.rawFinishReason);
  }
  return response;
}

function normaliseChoice(choice: unknown): unknown {
  if (!isRecord(choice) || !isRecord(choice.message)) return choice;
  const { content, ...message } = choice.message;
  const { text, reasoning } = splitMistralContent(content);
  const out: JsonObject = { ...message, content: text ?? null };
  if (reasoning !== undefined) out.reasoning_content = reasoning;
  return { ...choice, message: out };
}
