/**
 * JSON output through a forced tool: Anthropic's documented way to get JSON matching a schema
 * from every Claude model (https://docs.claude.com/en/docs/agents-and-tools/tool-use/implement-tool-use#json-mode).
 * `response_format` becomes one extra tool whose input schema is the requested schema, forced
 * by `tool_choice`; the decoders recognise the tool by its reserved name and return its input
 * as the message text, with finish reason `stop`.
 */
import type { JsonObject } from '../../core/parse.js';
import type { ResponseFormat } from '../../core/types.js';

/** The reserved name of the JSON-output tool (callers' own tools must not use it). */
export const ANTHROPIC_JSON_TOOL_NAME = 'switchyard_json_response';

/** The tool for a JSON `response_format`; undefined for `text` or no format. */
export function buildAnthropicJsonTool(format: ResponseFormat | undefined): JsonObject | undefined {
  if (format === undefined || format.type === 'text') return undefined;
  const schema = format.type === 'json_schema' && format.schema ? format.schema : { type: 'object' };
  const purpose = format.type === 'json_schema'
    ? `'${format.name}'${format.description ? `: ${format.description}` : ''}`
    : 'a JSON object';
  // No `strict`: the fallback is meant to work on every model, also those without structured outputs.
  return {
    name: ANTHROPIC_JSON_TOOL_NAME,
    description: `Give your final answer by calling this tool: its input is the answer, as ${purpose}.`,
    input_schema: schema,
  };
}
