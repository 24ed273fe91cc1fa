/**
 * Canonical ChatRequest → Anthropic `POST /v1/messages` body (PROTOCOLS §2.2, §2.6). The body is
 * built from an allow-list; what Anthropic cannot express is reported through the build context
 * (a warning header, or a 400 in strict mode). Only a caller that itself spoke Anthropic gets
 * its unknown fields passed through.
 */
import { GatewayError } from '../../core/errors.js';
import type { JsonObject } from '../../core/parse.js';
import type { ChatRequest, ToolChoice, ToolDefinition } from '../../core/types.js';
import type { BuildContext } from '../../providers/adapter.js';
import { ANTHROPIC_JSON_TOOL_NAME, buildAnthropicJsonTool } from './json-tool.js';
import { encodeAnthropicPrompt, type AnthropicPrompt } from './messages.js';

/** Output limit sent when neither the request nor the provider config gives one (Anthropic requires it). */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/**
 * Thinking budgets for OpenAI's `reasoning_effort`, the same as LiteLLM's so code moving from it
 * behaves alike. 1024 is Anthropic's minimum budget. `none` (or no effort) leaves thinking off.
 */
export const ANTHROPIC_THINKING_BUDGETS: Readonly<Record<string, number>> = {
  minimal: 1024, low: 1024, medium: 2048, high: 4096, xhigh: 8192, max: 16384,
};

export interface EncodeAnthropicRequestOptions {
  /** The upstream model id. */
  model: string;
  /** Output limit when the request gives none (config `default_max_tokens`, else 4096). */
  defaultMaxTokens?: number;
  context: BuildContext;
}

/** Builds the Messages API body. Throws a 400 for what cannot be sent at all (`n` > 1, logprobs, audio). */
export function encodeAnthropicRequest(request: ChatRequest, options: EncodeAnthropicRequestOptions): JsonObject {
  const { context } = options;
  const passthrough = request.dialect === 'anthropic';
  if (!passthrough) reportUnsupported(request, context);
  const prompt = encodeAnthropicPrompt(request.messages, { context, passthrough });
  const body: JsonObject = passthrough && request.extra ? { ...request.extra } : {};
  body.model = options.model;
  let maxTokens = request.maxTokens ?? options.defaultMaxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS;
  body.messages = prompt.messages;
  if (prompt.system.length > 0) body.system = prompt.system;
  if (request.stream) body.stream = true;
  const forced = encodeTools(request, body);
  const budget = thinkingBudget(request, { forced, prompt, context });
  if (budget !== undefined) {
    // Anthropic counts thinking inside max_tokens and needs budget < max_tokens: the budget is
    // added on top of the caller's limit, as the Vercel AI SDK does.
    body.thinking = { type: 'enabled', budget_tokens: budget };
    maxTokens += budget;
  }
  body.max_tokens = maxTokens;
  encodeSampling(request, body, { thinking: budget !== undefined, context });
  const user = request.user ?? (typeof request.extra?.safety_identifier === 'string' ? request.extra.safety_identifier : undefined);
  if (user !== undefined && !passthrough) body.metadata = { user_id: user };
  return body;
}

function encodeSampling(request: ChatRequest, body: JsonObject, options: { thinking: boolean; context: BuildContext }): void {
  // Anthropic refuses sampling changes while thinking (https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility).
  if (options.thinking) {
    if (request.temperature !== undefined) options.context.drop('temperature', 'Anthropic does not allow it while thinking');
    if (request.topP !== undefined) options.context.drop('top_p', 'Anthropic does not allow it while thinking');
  } else {
    // OpenAI's range is 0–2, Anthropic's 0–1 (a larger value is a 400 there): clamped.
    if (request.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, request.temperature));
    if (request.topP !== undefined) body.top_p = request.topP;
  }
  if (request.stop !== undefined) {
    // Anthropic refuses stop sequences made only of whitespace.
    const stops = request.stop.filter((s) => s.trim() !== '');
    if (stops.length < request.stop.length) options.context.drop('stop', 'Anthropic refuses whitespace-only stop sequences');
    if (stops.length > 0) body.stop_sequences = stops;
  }
}

function encodeTool(tool: ToolDefinition): JsonObject {
  const out: JsonObject = { name: tool.name };
  if (tool.description !== undefined) out.description = tool.description;
  // `input_schema` is required and must be an object schema; OpenAI allows leaving it out.
  const schema = tool.parameters ?? { type: 'object', properties: {} };
  out.input_schema = schema.type === undefined ? { type: 'object', ...schema } : schema;
  if (tool.strict !== undefined) out.strict = tool.strict;
  return out;
}

function encodeToolChoice(choice: ToolChoice): JsonObject {
  if (choice === 'required') return { type: 'any' };
  if (choice === 'auto' || choice === 'none') return { type: choice };
  return { type: 'tool', name: choice.name };
}

/** Sets `tools` and `tool_choice`; returns whether a tool use is forced. */
function encodeTools(request: ChatRequest, body: JsonObject): boolean {
  const callerTools = request.tools ?? [];
  const jsonTool = buildAnthropicJsonTool(request.responseFormat);
  const tools = callerTools.map(encodeTool);
  if (jsonTool) tools.push(jsonTool);
  if (tools.length === 0) return false;
  body.tools = tools;
  let choice: JsonObject | undefined;
  if (jsonTool) {
    // The JSON tool must be the answer unless the caller's tools may be called first.
    if (typeof request.toolChoice === 'object') choice = encodeToolChoice(request.toolChoice);
    else if (callerTools.length > 0 && request.toolChoice !== 'none') choice = { type: 'any' };
    else choice = { type: 'tool', name: ANTHROPIC_JSON_TOOL_NAME };
  } else if (request.toolChoice !== undefined) choice = encodeToolChoice(request.toolChoice);
  // `disable_parallel_tool_use` lives on tool_choice, so `parallel_tool_calls: false` needs one.
  if (request.parallelToolCalls === false && choice?.type !== 'none') choice = { ...(choice ?? { type: 'auto' }), disable_parallel_tool_use: true };
  if (choice) body.tool_choice = choice;
  return choice?.type === 'any' || choice?.type === 'tool';
}

/** The thinking budget for the request's effort, or undefined when thinking stays off. */
function thinkingBudget(request: ChatRequest, options: { forced: boolean; prompt: AnthropicPrompt; context: BuildContext }): number | undefined {
  const effort = request.reasoningEffort;
  if (effort === undefined || effort === 'none') return undefined;
  const budget = ANTHROPIC_THINKING_BUDGETS[effort];
  if (budget === undefined) {
    options.context.drop('reasoning_effort', `'${effort}' has no Anthropic thinking budget`);
    return undefined;
  }
  if (options.forced) {
    options.context.drop('reasoning_effort', 'Anthropic cannot think while a tool use is forced (tool_choice or response_format)');
    return undefined;
  }
  // Continuing a tool turn with thinking on needs that turn's signed thinking (else a 400):
  // a client that did not send it back gets the turn finished without thinking instead.
  const last = options.prompt.messages.filter((m) => m.role === 'assistant').at(-1);
  if (last && last.content.some((b) => b.type === 'tool_use') && !last.content.some((b) => b.type === 'thinking' || b.type === 'redacted_thinking')) {
    options.context.drop('reasoning_effort', 'the tool turn being continued came back without its thinking_blocks');
    return undefined;
  }
  return budget;
}

/** Reports what an OpenAI-dialect request asks for that Anthropic cannot do. */
function reportUnsupported(request: ChatRequest, context: BuildContext): void {
  if (request.n !== undefined && request.n > 1) {
    throw new GatewayError('unsupported', 'Anthropic returns one choice per request: n must be 1.', { param: 'n' });
  }
  if (request.seed !== undefined) context.drop('seed', 'Anthropic has no sampling seed');
  if (request.presencePenalty !== undefined) context.drop('presence_penalty', 'Anthropic has no presence penalty');
  if (request.frequencyPenalty !== undefined) context.drop('frequency_penalty', 'Anthropic has no frequency penalty');
  if (request.tools?.some((t) => t.name === ANTHROPIC_JSON_TOOL_NAME)) {
    throw new GatewayError('invalid_request', `The tool name '${ANTHROPIC_JSON_TOOL_NAME}' is reserved by Switchyard.`, { param: 'tools' });
  }
  for (const [key, value] of Object.entries(request.extra ?? {})) {
    // `stream_options` only shapes OpenAI's stream framing, which Switchyard produces itself.
    if (value === undefined || value === null || value === false || key === 'stream_options' || key === 'safety_identifier') continue;
    if (key === 'logprobs') throw new GatewayError('unsupported', 'Anthropic does not return log probabilities.', { param: 'logprobs' });
    context.drop(key, 'not supported by Anthropic');
  }
}
