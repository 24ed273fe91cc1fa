/** Anthropic `stop_reason` → canonical finish reason (PROTOCOLS §2.7, §9.1). */
import type { FinishReason } from '../../core/types.js';

/**
 * Maps an Anthropic stop reason; the raw value is kept beside it by the callers. `tool_use` of
 * Switchyard's own JSON-output tool is not a tool call for the client: pass `jsonOnly` and it
 * maps to `stop`. Unknown and server-loop reasons (`pause_turn`, `compaction`) map to `stop`.
 */
export function mapAnthropicStopReason(raw: string, options: { jsonOnly?: boolean } = {}): FinishReason {
  switch (raw) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return options.jsonOnly ? 'stop' : 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}
