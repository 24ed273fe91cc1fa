/**
 * Small Ollama ↔ canonical mappings shared by the response and stream decoders: finish reason,
 * usage and timestamps (PROTOCOLS §4.7, §9.1, §9.2).
 */
import { isRecord } from '../../core/parse.js';
import type { FinishReason, Usage } from '../../core/types.js';

/**
 * Maps Ollama's `done_reason`. The native API says `stop` even when the model called tools (only
 * its OpenAI shim rewrites it, ollama PR #5995), and the calls arrive in an earlier chunk than
 * the `done` one — so the caller says whether any tool call was seen (LiteLLM #35663).
 * `load` / `unload` / empty (model (un)loading requests) and unknown values become `stop`.
 */
export function mapOllamaFinishReason(raw: string | null, sawToolCalls: boolean): FinishReason {
  if (raw === 'length') return 'length';
  return sawToolCalls ? 'tool_calls' : 'stop';
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Usage from a final (`done: true`) chunk or a whole response: `prompt_eval_count` is the input,
 * `eval_count` the output (thinking included: it is generated text). Ollama leaves a zero count
 * out (`omitempty`), e.g. `prompt_eval_count` when the prompt was fully cached, so a missing
 * count is 0 — but when both are missing there is no usage at all (undefined), and the gateway
 * estimates instead of billing nothing. Ollama reports no cache or reasoning subsets.
 */
export function decodeOllamaUsage(body: Record<string, unknown>): Usage | undefined {
  const input = count(body.prompt_eval_count);
  const output = count(body.eval_count);
  if (input === undefined && output === undefined) return undefined;
  return { inputTokens: input ?? 0, outputTokens: output ?? 0 };
}

/** Unix seconds from Ollama's RFC 3339 `created_at` (nanosecond fractions, any offset); now when absent or bad. */
export function decodeOllamaTimestamp(value: unknown, now: () => number = Date.now): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Math.floor((Number.isNaN(ms) ? now() : ms) / 1000);
}

/** The `message` object of a chat chunk or response (`{}` when absent or malformed). */
export function readOllamaMessage(body: Record<string, unknown>): Record<string, unknown> {
  return isRecord(body.message) ? body.message : {};
}
