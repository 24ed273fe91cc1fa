/** Mistral finish reasons → canonical (PROTOCOLS §6.1, §9.1). */
import type { FinishReason } from '../../core/types.js';

/**
 * `model_length` (the context window ran out) is a `length` stop like `length` itself; `error`
 * (generation failed mid-way) is kept as `error`, which OpenAI callers see as `stop` while the
 * raw value stays beside it. Unknown values become `stop`.
 */
export function mapMistralFinishReason(raw: string): FinishReason {
  switch (raw) {
    case 'length':
    case 'model_length':
      return 'length';
    case 'tool_calls':
    case 'content_filter':
      return raw;
    case 'error':
      return 'error';
    default:
      return 'stop';
  }
}
