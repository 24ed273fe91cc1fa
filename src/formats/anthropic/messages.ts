/**
 * Canonical messages → Anthropic `system` + `messages` (PROTOCOLS §2.6, §2.9).
 * - Every system/developer message is hoisted, in order, into the top-level `system` blocks
 *   (Anthropic has no system role inside `messages` on most models); the policy is the same for
 *   a leading run and for a later system message.
 * - Turns of the same role are merged (Anthropic wants user and assistant to alternate).
 * - Tool results become `tool_result` blocks of one user turn: parallel results are merged,
 *   ordered as the calls were, and placed before any user text of that turn (Anthropic refuses
 *   tool_use ids without their results "immediately after", and text ahead of the results).
 * - Empty text is never sent; a final (prefill) assistant text loses its trailing whitespace.
 */
import { isRecord, type JsonObject } from '../../core/parse.js';
import type { Message } from '../../core/types.js';
import { encodeContentBlocks, encodePartBlocks, encodeTextBlock, encodeThinkingBlocks, type ContentOptions } from './content.js';

export interface AnthropicPrompt {
  /** Top-level `system` text blocks (empty when there is no system prompt). */
  system: JsonObject[];
  messages: Array<{ role: 'user' | 'assistant'; content: JsonObject[] }>;
}

type Turn = AnthropicPrompt['messages'][number];

/** Encodes the conversation. Throws a 400 for content Anthropic cannot take (audio, other image types). */
export function encodeAnthropicPrompt(messages: Message[], options: ContentOptions): AnthropicPrompt {
  const system: JsonObject[] = [];
  const turns: Turn[] = [];
  const push = (role: Turn['role'], blocks: JsonObject[]): void => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  messages.forEach((message, i) => {
    const path = `messages[${i}].content`;
    if (message.role === 'system') system.push(...encodeSystem(message, path, options));
    else if (message.role === 'assistant') push('assistant', encodeAssistant(message, i, options));
    else if (message.role === 'tool') push('user', [encodeToolResult(message, path, options)]);
    else push('user', encodeContentBlocks(message.content, path, options));
  });
  turns.forEach((turn, t) => {
    if (turn.role === 'user') turn.content = orderToolResults(turn.content, turns[t - 1]);
  });
  trimPrefill(turns);
  return { system, messages: turns };
}

function encodeSystem(message: Message, path: string, options: ContentOptions): JsonObject[] {
  if (message.content === null) return [];
  if (typeof message.content === 'string') return encodeTextBlock(message.content, {}, options);
  return message.content.flatMap((part, j) => {
    if (part.type === 'text') return encodeTextBlock(part.text, part, options);
    options.context.drop(`${path}[${j}]`, 'Anthropic system prompts take text only');
    return [];
  });
}

function encodeAssistant(message: Message, i: number, options: ContentOptions): JsonObject[] {
  const blocks = encodeThinkingBlocks(message);
  const path = `messages[${i}].content`;
  if (typeof message.content === 'string') blocks.push(...encodeTextBlock(message.content, {}, options));
  else if (message.content !== null) {
    message.content.forEach((part, j) => blocks.push(...encodePartBlocks(part, `${path}[${j}]`, options)));
  }
  message.toolCalls?.forEach((call, j) => {
    blocks.push({
      type: 'tool_use',
      id: encodeToolUseId(call.id),
      name: call.name,
      input: decodeArguments(call.arguments, `messages[${i}].tool_calls[${j}].function.arguments`, options),
    });
  });
  return blocks;
}

/**
 * Anthropic takes tool_use ids matching `^[a-zA-Z0-9_-]+$`; ids minted by other providers may
 * not. The same deterministic replacement on both sides keeps calls and results paired.
 */
function encodeToolUseId(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/** Tool-call arguments as the object Anthropic requires: empty → `{}`; not a JSON object → `{}` with a warning. */
function decodeArguments(text: string, path: string, options: ContentOptions): JsonObject {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (isRecord(value)) return value;
  } catch {
    // Handled below: a truncated call (finish_reason "length") still lets the conversation go on.
  }
  options.context.drop(path, 'not a JSON object, sent to Anthropic as {}');
  return {};
}

function encodeToolResult(message: Message, path: string, options: ContentOptions): JsonObject {
  const block: JsonObject = { type: 'tool_result', tool_use_id: encodeToolUseId(message.toolCallId ?? '') };
  if (typeof message.content === 'string') {
    // `content` is optional: an empty result is sent without it rather than as an empty text.
    if (message.content.length > 0) block.content = message.content;
  } else {
    const blocks = encodeContentBlocks(message.content, path, options);
    if (blocks.length > 0) block.content = blocks;
  }
  return block;
}

/** Tool results first, in the order of the calls of the assistant turn before; other blocks after. */
function orderToolResults(blocks: JsonObject[], previous: Turn | undefined): JsonObject[] {
  const results = blocks.filter((b) => b.type === 'tool_result');
  if (results.length === 0) return blocks;
  const order = new Map<unknown, number>();
  previous?.content.forEach((b) => {
    if (b.type === 'tool_use') order.set(b.id, order.size);
  });
  const rank = (b: JsonObject): number => order.get(b.tool_use_id) ?? order.size;
  const sorted = results.map((b, i) => ({ b, i })).sort((x, y) => rank(x.b) - rank(y.b) || x.i - y.i).map((x) => x.b);
  return [...sorted, ...blocks.filter((b) => b.type !== 'tool_result')];
}

/** Anthropic rejects a final assistant message ending in whitespace ("prefill"). */
function trimPrefill(turns: Turn[]): void {
  const last = turns.at(-1);
  if (last?.role !== 'assistant') return;
  const block = last.content.at(-1);
  if (block?.type !== 'text' || typeof block.text !== 'string') return;
  const text = block.text.trimEnd();
  if (text.length > 0) block.text = text;
  else last.content.pop();
  if (last.content.length === 0) turns.pop();
}
