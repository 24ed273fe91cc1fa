/** Cohere v2 chat response → canonical ChatResponse (PROTOCOLS §7). */
import { GatewayError } from '../../core/errors.js';
import { createId } from '../../core/ids.js';
import { isRecord } from '../../core/parse.js';
import type { ChatResponse, Choice, ToolCall } from '../../core/types.js';
import { mapCohereFinishReason } from './finish-reason.js';
import { decodeCohereUsage } from './usage.js';

export interface DecodeCohereChatOptions {
  /** The upstream model id: Cohere's replies do not name the model. */
  model?: string;
  /** Seconds since the epoch for `created` (Cohere sends no timestamp). */
  now?: () => number;
}

/**
 * Cohere sometimes sends `null` (or nothing) as the arguments of a tool that takes none
 * (vercel/ai `cohere-chat-language-model.ts`); OpenAI clients expect a JSON object.
 */
export function normaliseCohereToolArguments(args: string): string {
  const trimmed = args.trim();
  return trimmed === '' || trimmed === 'null' ? '{}' : args;
}

/**
 * Decodes `{id, finish_reason, message:{content, tool_plan, tool_calls}, usage}`. Text parts
 * are joined into the choice's text; `thinking` parts and the `tool_plan` become its reasoning.
 * Throws `upstream_error` when the body is not a chat response.
 */
export function decodeCohereChatResponse(body: unknown, options: DecodeCohereChatOptions = {}): ChatResponse {
  if (!isRecord(body) || !isRecord(body.message)) {
    throw new GatewayError('upstream_error', 'Upstream returned a malformed Cohere chat response: no message.');
  }
  const message = body.message;
  let text = '';
  let hasText = false;
  const reasoning: string[] = [];
  for (const part of Array.isArray(message.content) ? message.content : []) {
    if (!isRecord(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') {
      text += part.text;
      hasText = true;
    } else if (part.type === 'thinking' && typeof part.thinking === 'string') reasoning.push(part.thinking);
  }
  if (typeof message.tool_plan === 'string' && message.tool_plan.length > 0) reasoning.push(message.tool_plan);
  const toolCalls = Array.isArray(message.tool_calls) ? message.tool_calls.map(decodeToolCall) : [];
  const rawReason = typeof body.finish_reason === 'string' ? body.finish_reason : null;
  const choice: Choice = {
    index: 0,
    text: hasText || toolCalls.length === 0 ? text : null,
    finishReason: rawReason === null ? null : mapCohereFinishReason(rawReason),
    rawFinishReason: rawReason,
  };
  if (reasoning.length > 0) choice.reasoning = reasoning.join('\n\n');
  if (toolCalls.length > 0) choice.toolCalls = toolCalls;
  const response: ChatResponse = {
    id: typeof body.id === 'string' && body.id !== '' ? body.id : createId('chatcmpl-'),
    model: options.model ?? '',
    created: options.now?.() ?? Math.floor(Date.now() / 1000),
    choices: [choice],
    dialect: 'cohere',
  };
  const usage = decodeCohereUsage(body.usage);
  if (usage) response.usage = usage;
  return response;
}

function decodeToolCall(value: unknown): ToolCall {
  const raw = isRecord(value) ? value : {};
  const fn = isRecord(raw.function) ? raw.function : {};
  const args = typeof fn.arguments === 'string' ? fn.arguments : fn.arguments === undefined ? '' : JSON.stringify(fn.arguments);
  return {
    id: typeof raw.id === 'string' ? raw.id : '',
    name: typeof fn.name === 'string' ? fn.name : '',
    arguments: normaliseCohereToolArguments(args),
  };
}
