/** Mistral `usage` → canonical Usage (PROTOCOLS §9.2). */
import { isRecord } from '../../core/parse.js';
import type { Usage } from '../../core/types.js';
import { decodeOpenAIUsage } from '../openai/usage.js';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Mistral's counts have OpenAI's meaning (`prompt_tokens` includes cached tokens,
 * `completion_tokens` includes thinking); cached tokens come as
 * `prompt_tokens_details.cached_tokens`, or as `num_cached_tokens` / `prompt_token_details` on
 * some deployments (vercel/ai mistral-usage-details fixture). Mistral-only fields (`service_tier`,
 * `prompt_audio_seconds` …) are not kept: they have no OpenAI meaning.
 */
export function decodeMistralUsage(value: unknown): Usage | undefined {
  const usage = decodeOpenAIUsage(value);
  if (usage === undefined || !isRecord(value)) return undefined;
  delete usage.extra;
  if (usage.cacheReadTokens === undefined) {
    const legacy = isRecord(value.prompt_token_details) ? value.prompt_token_details : undefined;
    const cached = count(value.num_cached_tokens) ?? count(legacy?.cached_tokens);
    if (cached !== undefined) usage.cacheReadTokens = cached;
  }
  return usage;
}
