/**
 * Anthropic usage → canonical Usage (PROTOCOLS §2.3, §9.2). Anthropic's `input_tokens` counts
 * only uncached input: the prompt total is input + cache writes + cache reads. `output_tokens`
 * already includes thinking; `output_tokens_details.thinking_tokens` is its breakdown.
 */
import { isRecord } from '../../core/parse.js';
import type { Usage } from '../../core/types.js';

/** Raw Anthropic counts, as read from `message_start` and refined by `message_delta`. */
export interface AnthropicUsageCounts {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  thinking?: number;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Reads the counts of a `usage` object onto `into`: a field that is absent or null keeps the
 * earlier value (a stream's `message_delta` repeats only some fields, and they are cumulative).
 */
export function readAnthropicUsageCounts(value: unknown, into: AnthropicUsageCounts = {}): AnthropicUsageCounts {
  if (!isRecord(value)) return into;
  const details = isRecord(value.output_tokens_details) ? value.output_tokens_details : {};
  into.input = count(value.input_tokens) ?? into.input;
  into.output = count(value.output_tokens) ?? into.output;
  into.cacheRead = count(value.cache_read_input_tokens) ?? into.cacheRead;
  into.cacheWrite = count(value.cache_creation_input_tokens) ?? into.cacheWrite;
  into.thinking = count(details.thinking_tokens) ?? into.thinking;
  return into;
}

/** Normalises counts: prompt = input + cache writes + cache reads. Undefined when nothing was counted. */
export function buildAnthropicUsage(counts: AnthropicUsageCounts): Usage | undefined {
  if (counts.input === undefined && counts.output === undefined) return undefined;
  const cacheRead = counts.cacheRead ?? 0;
  const cacheWrite = counts.cacheWrite ?? 0;
  const usage: Usage = { inputTokens: (counts.input ?? 0) + cacheRead + cacheWrite, outputTokens: counts.output ?? 0 };
  if (counts.cacheRead !== undefined) usage.cacheReadTokens = counts.cacheRead;
  if (counts.cacheWrite !== undefined) usage.cacheWriteTokens = counts.cacheWrite;
  if (counts.thinking !== undefined) usage.reasoningTokens = counts.thinking;
  return usage;
}

/** Decodes a whole `usage` object (non-streamed responses). */
export function decodeAnthropicUsage(value: unknown): Usage | undefined {
  return buildAnthropicUsage(readAnthropicUsageCounts(value));
}
