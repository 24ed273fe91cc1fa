/** Gemini `usageMetadata` → canonical Usage (PROTOCOLS §3.3, §9.2). */
import { isRecord } from '../../core/parse.js';
import type { Usage } from '../../core/types.js';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Normalises Gemini usage: `promptTokenCount` already includes cached tokens, tool-use prompt
 * tokens are added to the input; `candidatesTokenCount` excludes thoughts, so thoughts are added
 * to the output. Undefined when absent or without a prompt count.
 */
export function decodeGeminiUsage(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined;
  const prompt = count(value.promptTokenCount);
  if (prompt === undefined) return undefined;
  const toolPrompt = count(value.toolUsePromptTokenCount) ?? 0;
  const candidates = count(value.candidatesTokenCount) ?? 0;
  const thoughts = count(value.thoughtsTokenCount);
  const usage: Usage = { inputTokens: prompt + toolPrompt, outputTokens: candidates + (thoughts ?? 0) };
  const cached = count(value.cachedContentTokenCount);
  if (cached !== undefined) usage.cacheReadTokens = cached;
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  return usage;
}
