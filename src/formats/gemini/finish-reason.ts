/** Gemini `finishReason` / `promptFeedback.blockReason` → canonical finish reasons (PROTOCOLS §3.7, §9.1). */
import type { FinishReason } from '../../core/types.js';

// Candidates stopped by a safety, recitation or policy filter: OpenAI's `content_filter`.
const FILTERED = new Set([
  'SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * Maps a candidate's finish reason. Gemini says `STOP` when the model called functions, so the
 * caller tells whether the candidate holds function calls (PROTOCOLS §3.9). Unknown and
 * "model misbehaved" reasons (`MALFORMED_FUNCTION_CALL`, `OTHER`, `LANGUAGE` …) become `stop`;
 * the raw value is kept beside the mapped one.
 */
export function mapGeminiFinishReason(raw: string, hasToolCalls: boolean): FinishReason {
  if (raw === 'MAX_TOKENS') return 'length';
  if (FILTERED.has(raw)) return 'content_filter';
  if (raw === 'STOP' && hasToolCalls) return 'tool_calls';
  return 'stop';
}

/** A prompt blocked before generation (HTTP 200, no candidates) is always a content filter. */
export function mapGeminiBlockReason(_raw: string): FinishReason {
  return 'content_filter';
}
