/** OpenAI `usage` ↔ canonical Usage (PROTOCOLS §0.4, §9.2). */
import { isRecord, type JsonObject } from '../../core/parse.js';
import type { Usage } from '../../core/types.js';

const USAGE_FIELDS = new Set(['prompt_tokens', 'completion_tokens', 'total_tokens']);

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Decodes an upstream OpenAI-family usage object; undefined when absent or malformed. */
export function decodeOpenAIUsage(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined;
  const input = count(value.prompt_tokens) ?? count(value.input_tokens);
  if (input === undefined) return undefined;
  let output = count(value.completion_tokens) ?? count(value.output_tokens) ?? 0;
  const promptDetails = isRecord(value.prompt_tokens_details) ? value.prompt_tokens_details : undefined;
  const completionDetails = isRecord(value.completion_tokens_details) ? value.completion_tokens_details : undefined;
  const reasoning = count(completionDetails?.reasoning_tokens);
  // Some OpenAI-compatible servers (xAI) leave reasoning out of completion_tokens; their
  // total gives it away: total = prompt + completion + reasoning. Add it back (PROTOCOLS §9.2).
  const total = count(value.total_tokens);
  if (reasoning !== undefined && reasoning > 0 && total === input + output + reasoning) output += reasoning;
  const usage: Usage = { inputTokens: input, outputTokens: output };
  const cached = count(promptDetails?.cached_tokens);
  const cacheWrite = count(promptDetails?.cache_write_tokens);
  if (cached !== undefined) usage.cacheReadTokens = cached;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  const extra: JsonObject = {};
  let hasExtra = false;
  for (const key in value) {
    if (USAGE_FIELDS.has(key)) continue;
    extra[key] = value[key];
    hasExtra = true;
  }
  if (hasExtra) usage.extra = extra;
  return usage;
}

/**
 * Encodes usage as OpenAI's `CompletionUsage`. With `passthrough`, the upstream's own detail
 * fields (audio tokens, prediction tokens …) are kept; the normalised counts always win.
 */
export function encodeOpenAIUsage(usage: Usage, passthrough: boolean): JsonObject {
  const extra = passthrough ? usage.extra : undefined;
  const promptDetails: JsonObject = { ...(isRecord(extra?.prompt_tokens_details) ? extra.prompt_tokens_details : undefined) };
  const completionDetails: JsonObject = {
    ...(isRecord(extra?.completion_tokens_details) ? extra.completion_tokens_details : undefined),
  };
  promptDetails.cached_tokens = usage.cacheReadTokens ?? 0;
  if (usage.cacheWriteTokens !== undefined) promptDetails.cache_write_tokens = usage.cacheWriteTokens;
  completionDetails.reasoning_tokens = usage.reasoningTokens ?? 0;
  return {
    ...extra,
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: completionDetails,
  };
}
