/**
 * OpenAI `POST /v1/chat/completions` request body ↔ canonical ChatRequest. Decoding validates
 * while it reads (one pass, no second schema walk); unknown top-level fields go to `extra`.
 */
import { GatewayError } from '../../core/errors.js';
import {
  invalidParam, isRecord, optionalBoolean, optionalInteger, optionalNumber, optionalString, pickUnknown,
  requireArray, requireRecord, requireString, type JsonObject, setIfDefined,
} from '../../core/parse.js';
import type { ChatRequest, ResponseFormat, ToolChoice, ToolDefinition } from '../../core/types.js';
import { decodeOpenAIMessages, encodeOpenAIMessages } from './messages.js';

const REQUEST_FIELDS = new Set([
  'model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'temperature',
  'top_p', 'n', 'stop', 'seed', 'presence_penalty', 'frequency_penalty', 'tools', 'tool_choice',
  'parallel_tool_calls', 'response_format', 'reasoning_effort', 'user',
]);

/** Decodes and validates a chat request body. Throws GatewayError(400) naming the bad param. */
export function decodeOpenAIChatRequest(body: unknown): ChatRequest {
  const raw = requireRecord(body, 'body');
  const request: ChatRequest = {
    model: requireString(raw.model, 'model'),
    messages: decodeOpenAIMessages(raw.messages),
    stream: optionalBoolean(raw.stream, 'stream') ?? false,
    includeUsage: false,
    dialect: 'openai',
  };
  readStreamOptions(raw, request);
  readSampling(raw, request);
  readTools(raw, request);
  if (raw.response_format !== undefined && raw.response_format !== null) {
    request.responseFormat = decodeResponseFormat(raw.response_format);
  }
  const effort = optionalString(raw.reasoning_effort, 'reasoning_effort');
  if (effort !== undefined) request.reasoningEffort = effort;
  const user = optionalString(raw.user, 'user');
  if (user !== undefined) request.user = user;
  const extra = pickUnknown(raw, REQUEST_FIELDS);
  // Merge: readStreamOptions may already have kept unknown `stream_options` fields here.
  if (extra) request.extra = { ...request.extra, ...extra };
  return request;
}

function readStreamOptions(raw: JsonObject, request: ChatRequest): void {
  if (raw.stream_options === undefined || raw.stream_options === null) return;
  const options = requireRecord(raw.stream_options, 'stream_options');
  request.includeUsage = optionalBoolean(options.include_usage, 'stream_options.include_usage') ?? false;
  const rest = pickUnknown(options, new Set(['include_usage']));
  if (rest) (request.extra ??= {}).stream_options = rest;
}

function readSampling(raw: JsonObject, request: ChatRequest): void {
  const maxCompletion = optionalInteger(raw.max_completion_tokens, 'max_completion_tokens', 1);
  const maxTokens = optionalInteger(raw.max_tokens, 'max_tokens', 1);
  if (maxCompletion !== undefined) {
    request.maxTokens = maxCompletion;
    request.maxTokensField = 'max_completion_tokens';
  } else if (maxTokens !== undefined) {
    request.maxTokens = maxTokens;
    request.maxTokensField = 'max_tokens';
  }
  const temperature = optionalNumber(raw.temperature, 'temperature');
  const topP = optionalNumber(raw.top_p, 'top_p');
  const n = optionalInteger(raw.n, 'n', 1);
  const seed = optionalInteger(raw.seed, 'seed', Number.MIN_SAFE_INTEGER);
  const presence = optionalNumber(raw.presence_penalty, 'presence_penalty');
  const frequency = optionalNumber(raw.frequency_penalty, 'frequency_penalty');
  if (temperature !== undefined) request.temperature = temperature;
  if (topP !== undefined) request.topP = topP;
  if (n !== undefined) request.n = n;
  if (seed !== undefined) request.seed = seed;
  if (presence !== undefined) request.presencePenalty = presence;
  if (frequency !== undefined) request.frequencyPenalty = frequency;
  if (raw.stop !== undefined && raw.stop !== null) {
    if (typeof raw.stop === 'string') request.stop = [raw.stop];
    else request.stop = requireArray(raw.stop, 'stop').map((s, i) => requireString(s, `stop[${i}]`));
  }
}

function readTools(raw: JsonObject, request: ChatRequest): void {
  if (raw.tools !== undefined && raw.tools !== null) {
    request.tools = requireArray(raw.tools, 'tools').map((tool, i) => decodeTool(tool, `tools[${i}]`));
  }
  if (raw.tool_choice !== undefined && raw.tool_choice !== null) request.toolChoice = decodeToolChoice(raw.tool_choice);
  const parallel = optionalBoolean(raw.parallel_tool_calls, 'parallel_tool_calls');
  if (parallel !== undefined) request.parallelToolCalls = parallel;
}

function decodeTool(value: unknown, path: string): ToolDefinition {
  const raw = requireRecord(value, path);
  if (raw.type !== 'function') {
    throw new GatewayError('invalid_request', `Unsupported tool type at '${path}.type': only 'function' tools are supported.`, {
      param: `${path}.type`,
    });
  }
  const fn = requireRecord(raw.function, `${path}.function`);
  const tool: ToolDefinition = { name: requireString(fn.name, `${path}.function.name`) };
  const description = optionalString(fn.description, `${path}.function.description`);
  if (description !== undefined) tool.description = description;
  if (fn.parameters !== undefined) tool.parameters = requireRecord(fn.parameters, `${path}.function.parameters`);
  const strict = optionalBoolean(fn.strict, `${path}.function.strict`);
  if (strict !== undefined) tool.strict = strict;
  return tool;
}

function decodeToolChoice(value: unknown): ToolChoice {
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  if (isRecord(value) && value.type === 'function' && isRecord(value.function)) {
    return { name: requireString(value.function.name, 'tool_choice.function.name') };
  }
  return invalidParam('tool_choice', "'auto', 'none', 'required' or {type:'function',function:{name}}", value);
}

function decodeResponseFormat(value: unknown): ResponseFormat {
  const raw = requireRecord(value, 'response_format');
  if (raw.type === 'text' || raw.type === 'json_object') return { type: raw.type };
  if (raw.type !== 'json_schema') {
    return invalidParam('response_format.type', "'text', 'json_object' or 'json_schema'", raw.type);
  }
  const spec = requireRecord(raw.json_schema, 'response_format.json_schema');
  const format: ResponseFormat = { type: 'json_schema', name: requireString(spec.name, 'response_format.json_schema.name') };
  if (spec.schema !== undefined) format.schema = requireRecord(spec.schema, 'response_format.json_schema.schema');
  const strict = optionalBoolean(spec.strict, 'response_format.json_schema.strict');
  if (strict !== undefined) format.strict = strict;
  const description = optionalString(spec.description, 'response_format.json_schema.description');
  if (description !== undefined) format.description = description;
  return format;
}

export interface EncodeOpenAIChatOptions {
  /** The upstream's model id. */
  model: string;
  /** Whether OpenAI-only fields of the caller may pass through (caller spoke OpenAI too). */
  passthrough: boolean;
}

/** Builds an OpenAI-dialect upstream body from the allow-list plus, same-dialect, the caller's extras. */
export function encodeOpenAIChatRequest(request: ChatRequest, options: EncodeOpenAIChatOptions): JsonObject {
  const passthrough = options.passthrough && request.dialect === 'openai';
  const body: JsonObject = passthrough && request.extra ? { ...request.extra } : {};
  body.model = options.model;
  body.messages = encodeOpenAIMessages(request.messages, passthrough);
  if (request.stream) {
    // Usage is always requested upstream so it can be metered; the caller sees it only if asked.
    const rest = passthrough && isRecord(request.extra?.stream_options) ? request.extra.stream_options : undefined;
    body.stream = true;
    body.stream_options = { ...rest, include_usage: true };
  }
  if (request.maxTokens !== undefined) body[request.maxTokensField ?? 'max_completion_tokens'] = request.maxTokens;
  setIfDefined(body, 'temperature', request.temperature);
  setIfDefined(body, 'top_p', request.topP);
  setIfDefined(body, 'n', request.n);
  setIfDefined(body, 'stop', request.stop);
  setIfDefined(body, 'seed', request.seed);
  setIfDefined(body, 'presence_penalty', request.presencePenalty);
  setIfDefined(body, 'frequency_penalty', request.frequencyPenalty);
  if (request.tools) body.tools = request.tools.map(encodeTool);
  if (request.toolChoice !== undefined) body.tool_choice = encodeToolChoice(request.toolChoice);
  setIfDefined(body, 'parallel_tool_calls', request.parallelToolCalls);
  if (request.responseFormat) body.response_format = encodeResponseFormat(request.responseFormat);
  setIfDefined(body, 'reasoning_effort', request.reasoningEffort);
  setIfDefined(body, 'user', request.user);
  return body;
}


function encodeTool(tool: ToolDefinition): JsonObject {
  const fn: JsonObject = { name: tool.name };
  if (tool.description !== undefined) fn.description = tool.description;
  if (tool.parameters !== undefined) fn.parameters = tool.parameters;
  if (tool.strict !== undefined) fn.strict = tool.strict;
  return { type: 'function', function: fn };
}

function encodeToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function encodeResponseFormat(format: ResponseFormat): JsonObject {
  if (format.type !== 'json_schema') return { type: format.type };
  const { type, ...spec } = format;
  return { type, json_schema: spec };
}
