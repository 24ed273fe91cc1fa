/**
 * Anthropic `message` body → canonical ChatResponse (PROTOCOLS §2.3, §2.7): text blocks joined,
 * `tool_use` blocks as tool calls (input re-serialised as JSON text, `{}` for no arguments),
 * thinking as reasoning with its signatures kept block by block, usage normalised.
 */
import { GatewayError } from '../../core/errors.js';
import { isRecord, type JsonObject } from '../../core/parse.js';
import type { ChatResponse, Choice, ReasoningPart, ToolCall } from '../../core/types.js';
import { mapAnthropicStopReason } from './finish-reason.js';
import { ANTHROPIC_JSON_TOOL_NAME } from './json-tool.js';
import { decodeAnthropicUsage } from './usage.js';

interface DecodedContent {
  text: string[];
  reasoning: ReasoningPart[];
  toolCalls: ToolCall[];
}

function malformed(detail: string): GatewayError {
  return new GatewayError('upstream_error', `Upstream returned a malformed Anthropic message: ${detail}.`);
}

/** Decodes a Messages API response. Throws `upstream_error` when the body is not a message. */
export function decodeAnthropicResponse(body: unknown): ChatResponse {
  if (!isRecord(body) || !Array.isArray(body.content)) throw malformed('no content');
  const content = decodeContent(body.content);
  const rawReason = typeof body.stop_reason === 'string' ? body.stop_reason : null;
  const choice: Choice = {
    index: 0,
    text: content.text.length > 0 ? content.text.join('') : null,
    finishReason: rawReason === null ? null : mapAnthropicStopReason(rawReason, { jsonOnly: content.toolCalls.length === 0 }),
    rawFinishReason: rawReason,
  };
  if (content.reasoning.length > 0) {
    choice.reasoning = content.reasoning.map((part) => part.text).join('');
    if (content.reasoning.some((part) => part.signature || part.redactedData !== undefined)) choice.reasoningParts = content.reasoning;
  }
  if (content.toolCalls.length > 0) choice.toolCalls = content.toolCalls;
  const response: ChatResponse = {
    id: typeof body.id === 'string' ? body.id : '',
    model: typeof body.model === 'string' ? body.model : '',
    // Anthropic messages carry no creation time.
    created: Math.floor(Date.now() / 1000),
    choices: [choice],
    dialect: 'anthropic',
  };
  const usage = decodeAnthropicUsage(body.usage);
  if (usage) response.usage = usage;
  return response;
}

function decodeContent(blocks: unknown[]): DecodedContent {
  const out: DecodedContent = { text: [], reasoning: [], toolCalls: [] };
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    switch (block.type) {
      case 'text':
        if (typeof block.text === 'string') out.text.push(block.text);
        break;
      case 'thinking': {
        const part: ReasoningPart = { type: 'reasoning', text: typeof block.thinking === 'string' ? block.thinking : '' };
        if (typeof block.signature === 'string' && block.signature !== '') part.signature = block.signature;
        out.reasoning.push(part);
        break;
      }
      case 'redacted_thinking':
        if (typeof block.data === 'string') out.reasoning.push({ type: 'reasoning', text: '', redactedData: block.data });
        break;
      case 'tool_use':
        decodeToolUse(block, out);
        break;
      default:
        // Server-tool blocks (web search …) have no OpenAI chat equivalent.
        break;
    }
  }
  return out;
}

function decodeToolUse(block: JsonObject, out: DecodedContent): void {
  const input = isRecord(block.input) ? block.input : {};
  if (block.name === ANTHROPIC_JSON_TOOL_NAME) {
    out.text.push(JSON.stringify(input));
    return;
  }
  out.toolCalls.push({
    id: typeof block.id === 'string' ? block.id : '',
    name: typeof block.name === 'string' ? block.name : '',
    arguments: JSON.stringify(input),
  });
}
