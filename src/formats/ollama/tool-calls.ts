/**
 * Ollama tool calls → canonical ones. Ollama sends each call whole, with `arguments` as a JSON
 * object (OpenAI: a JSON string), and an `id` only in recent versions (PROTOCOLS §4.2, §9.5).
 */
import { createHash } from 'node:crypto';
import { isRecord } from '../../core/parse.js';
import type { ToolCall } from '../../core/types.js';

export interface OllamaToolCallContext {
  /** The `created_at` of the chunk or response that carried the call. */
  createdAt: unknown;
  /** The call's 0-based ordinal among the reply's tool calls. */
  ordinal: number;
}

/**
 * Decodes one tool call. A missing id is derived from the reply (timestamp, ordinal, name and
 * arguments), so decoding the same reply twice — streamed or not — gives the same id; Ollama
 * pairs results by `tool_name`, so the id only has to be stable for the caller (PROTOCOLS §0.7).
 */
export function decodeOllamaToolCall(value: unknown, context: OllamaToolCallContext): ToolCall {
  const raw = isRecord(value) ? value : {};
  const fn = isRecord(raw.function) ? raw.function : {};
  const name = typeof fn.name === 'string' ? fn.name : '';
  // Objects natively; a string (some proxies) is already JSON text and is kept as sent.
  const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
  const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : buildOllamaToolCallId({ ...context, name, args });
  return { id, name, arguments: args };
}

/** Decodes a `tool_calls` array (anything else: none), numbering calls from `firstOrdinal`. */
export function decodeOllamaToolCalls(value: unknown, createdAt: unknown, firstOrdinal = 0): ToolCall[] {
  if (!Array.isArray(value)) return [];
  return value.map((call, i) => decodeOllamaToolCall(call, { createdAt, ordinal: firstOrdinal + i }));
}

/** A deterministic `call_…` id (24 hex digits of a SHA-256) for a call that came without one. */
export function buildOllamaToolCallId(input: OllamaToolCallContext & { name: string; args: string }): string {
  const seed = `${String(input.createdAt)}\n${input.ordinal}\n${input.name}\n${input.args}`;
  return `call_${createHash('sha256').update(seed).digest('hex').slice(0, 24)}`;
}
