/** Cohere v2 `usage` → canonical Usage (PROTOCOLS §7, §9.2). */
import { isRecord } from '../../core/parse.js';
import type { Usage } from '../../core/types.js';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Decodes `{tokens:{input_tokens,output_tokens}, billed_units, cached_tokens}`. The token counts
 * come from `tokens` (what the model processed); `billed_units` leaves out the system prompt
 * Cohere adds, so it is kept only in `extra` for cost reports. `cached_tokens` is a subset of
 * `tokens.input_tokens` (fixture: 507 input, 448 cached). Undefined when `tokens` is absent.
 */
export function decodeCohereUsage(value: unknown): Usage | undefined {
  if (!isRecord(value) || !isRecord(value.tokens)) return undefined;
  const input = count(value.tokens.input_tokens);
  const output = count(value.tokens.output_tokens);
  if (input === undefined && output === undefined) return undefined;
  const usage: Usage = { inputTokens: input ?? 0, outputTokens: output ?? 0 };
  const cached = count(value.cached_tokens);
  if (cached !== undefined) usage.cacheReadTokens = cached;
  if (isRecord(value.billed_units)) usage.extra = { billed_units: value.billed_units };
  return usage;
}
