/**
 * Canonical ChatRequest → Cohere v2 `POST /v2/chat` body (PROTOCOLS §7 mapping table). Built
 * from an allow-list: Cohere refuses fields it does not know, and the caller's OpenAI-only
 * fields are reported through the build context instead of being forwarded.
 */
import { GatewayError } from '../../core/errors.js';
import { isRecord, setIfDefined, type JsonObject } from '../../core/parse.js';
import type { ChatRequest, ResponseFormat, ToolDefinition } from '../../core/types.js';
import { encodeCohereMessages, type DropField } from './messages.js';

/**
 * Cohere-native fields a caller may add to an OpenAI request body (`extra_body` in the SDKs):
 * they pass through unchanged. `top_k` is the name OpenAI-style clients use for Cohere's `k`.
 */
const NATIVE_EXTRAS = ['k', 'safety_mode', 'documents', 'citation_options', 'thinking', 'strict_tools'] as const;

export interface EncodeCohereChatOptions {
  /** The upstream model id. */
  model: string;
  /** BuildContext.drop: a field Cohere cannot express (a warning, or a 400 in strict mode). */
  drop: DropField;
}

/** Builds the Cohere chat body. Throws GatewayError(400) for a `tool_choice` naming an unknown tool. */
export function encodeCohereChatRequest(request: ChatRequest, options: EncodeCohereChatOptions): JsonObject {
  const { drop } = options;
  const body: JsonObject = { model: options.model, messages: encodeCohereMessages(request.messages, drop) };
  if (request.stream) body.stream = true;
  setIfDefined(body, 'max_tokens', request.maxTokens);
  setIfDefined(body, 'temperature', request.temperature);
  setIfDefined(body, 'p', request.topP);
  setIfDefined(body, 'seed', request.seed);
  setIfDefined(body, 'stop_sequences', request.stop);
  setIfDefined(body, 'frequency_penalty', request.frequencyPenalty);
  setIfDefined(body, 'presence_penalty', request.presencePenalty);
  encodeTools(request, body);
  if (request.responseFormat) {
    const format = encodeResponseFormat(request.responseFormat);
    if (format) body.response_format = format;
  }
  if (request.reasoningEffort !== undefined) {
    // Cohere has an on/off switch and a token budget, not effort levels.
    body.thinking = { type: request.reasoningEffort === 'none' ? 'disabled' : 'enabled' };
  }
  if (request.n !== undefined && request.n > 1) drop('n', 'Cohere returns one choice per request');
  if (request.parallelToolCalls === false) drop('parallel_tool_calls', 'Cohere cannot be told to call one tool at a time');
  if (request.user !== undefined) drop('user', 'Cohere has no end-user field');
  copyExtras(request, body, drop);
  return body;
}


/**
 * Tools keep OpenAI's shape. `tool_choice`: auto → omitted, none → NONE, required → REQUIRED,
 * a named function → only that tool is offered, with REQUIRED (Cohere cannot name one).
 */
function encodeTools(request: ChatRequest, body: JsonObject): void {
  let tools = request.tools;
  if (!tools || tools.length === 0) return;
  const choice = request.toolChoice;
  if (typeof choice === 'object') {
    tools = tools.filter((tool) => tool.name === choice.name);
    if (tools.length === 0) {
      throw new GatewayError('invalid_request', `tool_choice names '${choice.name}', which is not in 'tools'.`, { param: 'tool_choice' });
    }
    body.tool_choice = 'REQUIRED';
  } else if (choice === 'required') body.tool_choice = 'REQUIRED';
  else if (choice === 'none') body.tool_choice = 'NONE';
  body.tools = tools.map(encodeTool);
  // Cohere's strictness is per request, not per tool: asked for when any tool asks for it.
  if (tools.some((tool) => tool.strict === true)) body.strict_tools = true;
}

function encodeTool(tool: ToolDefinition): JsonObject {
  const fn: JsonObject = { name: tool.name };
  if (tool.description !== undefined) fn.description = tool.description;
  fn.parameters = tool.parameters ?? { type: 'object', properties: {} };
  return { type: 'function', function: fn };
}

/** `json_schema` becomes Cohere's `json_object` with the bare schema (its name has no Cohere home). */
function encodeResponseFormat(format: ResponseFormat): JsonObject | undefined {
  if (format.type === 'text') return undefined;
  if (format.type === 'json_schema' && format.schema) return { type: 'json_object', json_schema: format.schema };
  return { type: 'json_object' };
}

function copyExtras(request: ChatRequest, body: JsonObject, drop: DropField): void {
  const extra = request.extra;
  if (!extra) return;
  for (const [key, value] of Object.entries(extra)) {
    if ((NATIVE_EXTRAS as readonly string[]).includes(key)) body[key] = value;
    else if (key === 'top_k') body.k = value;
    else if (!(key === 'stream_options' && isRecord(value) && Object.keys(value).length === 0)) {
      drop(key, 'not a Cohere chat parameter');
    }
  }
}
