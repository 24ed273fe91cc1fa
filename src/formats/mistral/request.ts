/**
 * Canonical requests → Mistral `POST /v1/chat/completions` and `/v1/embeddings` bodies
 * (PROTOCOLS §6.2). Mistral rejects any field it does not know with a 422 `extra_forbidden`, so
 * bodies are built only from its accepted fields (mistralai/client-ts `ChatCompletionRequest`);
 * everything else the caller sent is reported through `context.drop`.
 */
import { GatewayError } from '../../core/errors.js';
import { setIfDefined, type JsonObject } from '../../core/parse.js';
import type { ChatRequest, EmbeddingRequest, ResponseFormat, ToolChoice, ToolDefinition } from '../../core/types.js';
import type { BuildContext } from '../../providers/adapter.js';
import { encodeMistralMessages } from './messages.js';

/**
 * Mistral-only request fields an OpenAI-dialect caller may add (the SDK's `extra_body`):
 * `safe_prompt` prepends Mistral's safety prompt, `prompt_mode: "reasoning"` selects the
 * reasoning system prompt, the rest are documented request fields with no canonical meaning.
 */
const MISTRAL_EXTENSIONS = new Set(['safe_prompt', 'prompt_mode', 'prediction', 'metadata', 'document_image_limit', 'document_page_limit']);

/** Builds the chat body for `model`; throws only through `context.drop` in strict mode. */
export function encodeMistralChatRequest(request: ChatRequest, model: string, context: BuildContext): JsonObject {
  const body: JsonObject = { model, messages: encodeMistralMessages(request.messages, context) };
  // Usage comes on the last chunk by itself: Mistral has no `stream_options` (it would be a 422).
  if (request.stream) body.stream = true;
  setIfDefined(body, 'max_tokens', request.maxTokens);
  setIfDefined(body, 'temperature', request.temperature);
  setIfDefined(body, 'top_p', request.topP);
  setIfDefined(body, 'n', request.n);
  setIfDefined(body, 'stop', request.stop);
  setIfDefined(body, 'random_seed', request.seed);
  setIfDefined(body, 'presence_penalty', request.presencePenalty);
  setIfDefined(body, 'frequency_penalty', request.frequencyPenalty);
  if (request.tools) body.tools = request.tools.map(encodeTool);
  if (request.toolChoice !== undefined) body.tool_choice = encodeMistralToolChoice(request.toolChoice);
  setIfDefined(body, 'parallel_tool_calls', request.parallelToolCalls);
  if (request.responseFormat) body.response_format = encodeResponseFormat(request.responseFormat);
  setIfDefined(body, 'reasoning_effort', request.reasoningEffort);
  if (request.user !== undefined) context.drop('user', 'Mistral has no end-user field');
  for (const [key, value] of Object.entries(request.extra ?? {})) {
    if (request.dialect === 'openai' && MISTRAL_EXTENSIONS.has(key)) body[key] = value;
    else context.drop(key, 'not a Mistral chat field');
  }
  return body;
}


function encodeTool(tool: ToolDefinition): JsonObject {
  // `parameters` is required by Mistral's function schema: a tool without arguments gets an empty object schema.
  const fn: JsonObject = { name: tool.name, parameters: tool.parameters ?? { type: 'object', properties: {} } };
  if (tool.description !== undefined) fn.description = tool.description;
  if (tool.strict !== undefined) fn.strict = tool.strict;
  return { type: 'function', function: fn };
}

/** OpenAI's `required` is Mistral's `any` (its older API knew only `any`; both mean "call a tool"). */
export function encodeMistralToolChoice(choice: ToolChoice): unknown {
  if (choice === 'required') return 'any';
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function encodeResponseFormat(format: ResponseFormat): JsonObject {
  if (format.type !== 'json_schema') return { type: format.type };
  // Mistral's JsonSchema requires `schema`; OpenAI allows leaving it out.
  const spec: JsonObject = { name: format.name, schema: format.schema ?? {} };
  if (format.strict !== undefined) spec.strict = format.strict;
  if (format.description !== undefined) spec.description = format.description;
  return { type: 'json_schema', json_schema: spec };
}

/**
 * Builds the embeddings body. Floats are always asked for (the gateway encodes base64 itself);
 * OpenAI's `dimensions` is Mistral's `output_dimension`. Token-id input cannot be expressed.
 */
export function encodeMistralEmbeddingRequest(request: EmbeddingRequest, model: string, context: BuildContext): JsonObject {
  if (request.input.some((item) => typeof item !== 'string')) {
    throw new GatewayError('unsupported', 'Mistral embeddings take text input, not token ids.', { param: 'input' });
  }
  const body: JsonObject = { model, input: request.single ? request.input[0] : request.input, encoding_format: 'float' };
  if (request.dimensions !== undefined) body.output_dimension = request.dimensions;
  if (request.user !== undefined) context.drop('user', 'Mistral has no end-user field');
  for (const key of Object.keys(request.extra ?? {})) context.drop(key, 'not a Mistral embeddings field');
  return body;
}
