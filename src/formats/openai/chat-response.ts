/** OpenAI `chat.completion` bodies ↔ canonical ChatResponse. */
import { GatewayError } from '../../core/errors.js';
import { isRecord, pickUnknown, type JsonObject } from '../../core/parse.js';
import type { ChatResponse, Choice, ReasoningPart, ToolCall } from '../../core/types.js';
import { encodeOpenAIFinishReason, mapOpenAIFinishReason } from './finish-reason.js';
import { decodeOpenAIUsage, encodeOpenAIUsage } from './usage.js';

const RESPONSE_FIELDS = new Set(['id', 'object', 'created', 'model', 'choices', 'usage']);
const CHOICE_FIELDS = new Set(['index', 'message', 'finish_reason']);
const MESSAGE_FIELDS = new Set(['role', 'content', 'tool_calls', 'refusal', 'reasoning_content', 'reasoning']);

function malformed(detail: string): GatewayError {
  return new GatewayError('upstream_error', `Upstream returned a malformed chat completion: ${detail}.`);
}

/** Decodes an upstream OpenAI-family chat completion. Throws `upstream_error` when it is not one. */
export function decodeOpenAIChatResponse(body: unknown): ChatResponse {
  if (!isRecord(body) || !Array.isArray(body.choices)) throw malformed('no choices');
  const response: ChatResponse = {
    id: typeof body.id === 'string' ? body.id : '',
    model: typeof body.model === 'string' ? body.model : '',
    created: typeof body.created === 'number' ? body.created : Math.floor(Date.now() / 1000),
    choices: body.choices.map(decodeChoice),
    dialect: 'openai',
  };
  const usage = decodeOpenAIUsage(body.usage);
  if (usage) response.usage = usage;
  const extra = pickUnknown(body, RESPONSE_FIELDS);
  if (extra) response.extra = extra;
  return response;
}

function decodeChoice(value: unknown, position: number): Choice {
  if (!isRecord(value)) throw malformed('a choice is not an object');
  const message = isRecord(value.message) ? value.message : {};
  const rawReason = typeof value.finish_reason === 'string' ? value.finish_reason : null;
  const choice: Choice = {
    index: typeof value.index === 'number' ? value.index : position,
    text: typeof message.content === 'string' ? message.content : null,
    finishReason: rawReason === null ? null : mapOpenAIFinishReason(rawReason),
    rawFinishReason: rawReason,
  };
  if (typeof message.refusal === 'string') choice.refusal = message.refusal;
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === 'string') choice.reasoning = reasoning;
  if (Array.isArray(message.tool_calls)) choice.toolCalls = message.tool_calls.map(decodeToolCall);
  const extra = pickUnknown(value, CHOICE_FIELDS);
  if (extra) choice.extra = extra;
  const messageExtra = pickUnknown(message, MESSAGE_FIELDS);
  if (messageExtra) choice.messageExtra = messageExtra;
  return choice;
}

function decodeToolCall(value: unknown): ToolCall {
  const raw = isRecord(value) ? value : {};
  const fn = isRecord(raw.function) ? raw.function : {};
  return {
    id: typeof raw.id === 'string' ? raw.id : '',
    name: typeof fn.name === 'string' ? fn.name : '',
    arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}),
  };
}

/** Encodes a canonical response as OpenAI's `chat.completion`; extras pass only from OpenAI upstreams. */
export function encodeOpenAIChatResponse(response: ChatResponse): JsonObject {
  const passthrough = response.dialect === 'openai';
  const body: JsonObject = passthrough && response.extra ? { ...response.extra } : {};
  body.id = response.id;
  body.object = 'chat.completion';
  body.created = response.created;
  body.model = response.model;
  body.choices = response.choices.map((choice) => encodeChoice(choice, passthrough));
  if (response.usage) body.usage = encodeOpenAIUsage(response.usage, passthrough);
  return body;
}

function encodeThinkingBlock(part: ReasoningPart): JsonObject {
  if (part.redactedData !== undefined) return { type: 'redacted_thinking', data: part.redactedData };
  return { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
}

function encodeChoice(choice: Choice, passthrough: boolean): JsonObject {
  const message: JsonObject = passthrough && choice.messageExtra ? { ...choice.messageExtra } : {};
  message.role = 'assistant';
  message.content = choice.text;
  message.refusal = choice.refusal ?? null;
  if (choice.reasoning !== undefined) message.reasoning_content = choice.reasoning;
  // Signed reasoning (Anthropic) in LiteLLM's `thinking_blocks` convention: a client that sends
  // the message back as received keeps its thinking valid for the next tool turn.
  if (choice.reasoningParts && choice.reasoningParts.length > 0) message.thinking_blocks = choice.reasoningParts.map(encodeThinkingBlock);
  if (choice.toolCalls && choice.toolCalls.length > 0) {
    message.tool_calls = choice.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  // `logprobs` is a required field of a choice (OpenAI spec): present even when the upstream left it out.
  const out: JsonObject = passthrough && choice.extra ? { logprobs: null, ...choice.extra } : { logprobs: null };
  out.index = choice.index;
  out.message = message;
  out.finish_reason = encodeOpenAIFinishReason(choice.finishReason);
  return out;
}
