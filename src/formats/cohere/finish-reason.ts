/** Cohere v2 `finish_reason` → canonical (PROTOCOLS §7, §9.1). */
import type { FinishReason } from '../../core/types.js';

/**
 * Maps a Cohere finish reason. `ERROR` and `TIMEOUT` become `error` (sent to OpenAI callers as
 * `stop`, with the raw value kept beside it); unknown values become `stop`.
 */
export function mapCohereFinishReason(raw: string): FinishReason {
  switch (raw) {
    case 'MAX_TOKENS':
      return 'length';
    case 'TOOL_CALL':
      return 'tool_calls';
    case 'ERROR':
    case 'TIMEOUT':
      return 'error';
    default:
      // COMPLETE, STOP_SEQUENCE and anything newer.
      return 'stop';
  }
}
