import type { FinishReason } from '../../core/types.js';

/** Maps an OpenAI-family finish reason; unknown values become `stop`, the raw value is kept beside it. */
export function mapOpenAIFinishReason(raw: string): FinishReason {
  switch (raw) {
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return raw;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'stop';
  }
}

/** The OpenAI finish reason for a canonical one; `error` has no OpenAI value and is sent as `stop`. */
export function encodeOpenAIFinishReason(reason: FinishReason | null): string | null {
  return reason === 'error' ? 'stop' : reason;
}
