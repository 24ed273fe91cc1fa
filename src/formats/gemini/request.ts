/**
 * Canonical ChatRequest → Gemini `generateContent` body (PROTOCOLS §3.2, §3.6). Built from an
 * allow-list: every canonical field is mapped or reported as dropped; the caller's unknown
 * fields (`extra`) have no Gemini meaning and are reported too, never copied.
 */
import type { JsonObject } from '../../core/parse.js';
import type { ChatRequest, ResponseFormat, ToolChoice, ToolDefinition } from '../../core/types.js';
import { encodeGeminiContents } from './contents.js';
import { sanitizeGeminiJsonSchema } from './schema.js';

export interface EncodeGeminiChatOptions {
  /** The upstream model id (without `models/`). */
  model: string;
  /** Reports a field Gemini cannot express (a warning, or a 400 in strict mode). */
  drop: (field: string, reason: string) => void;
}

/** Builds the body for `:generateContent` / `:streamGenerateContent` (the same body for both). */
export function encodeGeminiChatRequest(request: ChatRequest, options: EncodeGeminiChatOptions): JsonObject {
  const { drop } = options;
  const { systemInstruction, contents } = encodeGeminiContents(request.messages, {
    drop,
    requireThoughtSignatures: geminiMajorVersion(options.model) >= 3,
  });
  const body: JsonObject = {};
  if (systemInstruction) body.systemInstruction = systemInstruction;
  body.contents = contents;
  if (request.tools && request.tools.length > 0) {
    body.tools = [{ functionDeclarations: request.tools.map((tool, i) => encodeTool(tool, i, drop)) }];
    if (request.toolChoice !== undefined) body.toolConfig = { functionCallingConfig: encodeToolChoice(request.toolChoice) };
  }
  if (request.parallelToolCalls === false) drop('parallel_tool_calls', 'Gemini has no switch to turn off parallel function calls');
  const generationConfig = encodeGenerationConfig(request, options.model);
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  if (request.user !== undefined) drop('user', 'Gemini has no end-user field');
  for (const key of Object.keys(request.extra ?? {})) drop(key, 'not supported by Gemini');
  return body;
}

/** `gemini-3-pro-preview` → 3; other model families → 0. */
export function geminiMajorVersion(model: string): number {
  const match = /(?:^|\/)gemini-(\d+)/.exec(model);
  return match ? Number(match[1]) : 0;
}

function encodeTool(tool: ToolDefinition, index: number, drop: EncodeGeminiChatOptions['drop']): JsonObject {
  const declaration: JsonObject = { name: tool.name };
  if (tool.description !== undefined) declaration.description = tool.description;
  // JSON Schema as given (minus keywords Gemini refuses), not the OpenAPI-subset `parameters`.
  if (tool.parameters !== undefined) declaration.parametersJsonSchema = sanitizeGeminiJsonSchema(tool.parameters);
  if (tool.strict === true) drop(`tools[${index}].function.strict`, 'Gemini does not guarantee schema-exact arguments');
  return declaration;
}

function encodeToolChoice(choice: ToolChoice): JsonObject {
  if (choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'required') return { mode: 'ANY' };
  return { mode: 'ANY', allowedFunctionNames: [choice.name] };
}

function encodeGenerationConfig(request: ChatRequest, model: string): JsonObject {
  const config: JsonObject = {};
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.n !== undefined) config.candidateCount = request.n;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty;
  if (request.responseFormat) Object.assign(config, encodeResponseFormat(request.responseFormat));
  if (request.reasoningEffort !== undefined) config.thinkingConfig = encodeThinking(request.reasoningEffort, model);
  return config;
}

function encodeResponseFormat(format: ResponseFormat): JsonObject {
  if (format.type === 'text') return {};
  if (format.type === 'json_object' || format.schema === undefined) return { responseMimeType: 'application/json' };
  return { responseMimeType: 'application/json', responseJsonSchema: sanitizeGeminiJsonSchema(format.schema) };
}

// Gemini 2.5 takes a token budget (Flash accepts 0 = off; Pro refuses it, which Gemini reports).
const BUDGETS: Record<string, number> = { none: 0, minimal: 512, low: 1024, medium: 8192, high: 24_576, xhigh: 32_768, max: 32_768 };
// Gemini 3 takes a level; it cannot turn thinking off, `minimal` is the closest.
const LEVELS: Record<string, string> = { none: 'minimal', minimal: 'minimal', low: 'low', medium: 'medium', high: 'high', xhigh: 'high', max: 'high' };

/**
 * `reasoning_effort` → `thinkingConfig`: a level for Gemini 3+, a budget for older models.
 * Thought summaries are asked for (`includeThoughts`) so they reach the caller as
 * `reasoning_content`, except when thinking was turned off.
 */
function encodeThinking(effort: string, model: string): JsonObject {
  const includeThoughts = effort !== 'none';
  if (geminiMajorVersion(model) >= 3) return { thinkingLevel: LEVELS[effort] ?? 'high', includeThoughts };
  return { thinkingBudget: BUDGETS[effort] ?? 8192, includeThoughts };
}
