/**
 * Legacy completions ↔ Hugging Face's text-generation task (TGI), PROTOCOLS §5.2:
 * `POST {task base}/models/{model}` with `{inputs, parameters:{max_new_tokens, …,
 * return_full_text:false, details:true}}` → `[{generated_text, details}]`. A pure codec: the
 * adapter answers completions through the router's chat endpoint, which every provider serves;
 * this is for deployments that only have the task route (dedicated TGI endpoints).
 */
import { GatewayError } from '../../core/errors.js';
import { estimateTokens } from '../../core/estimate.js';
import { createId } from '../../core/ids.js';
import { isRecord, type JsonObject } from '../../core/parse.js';
import type { CompletionRequest, CompletionResponse, FinishReason, Usage } from '../../core/types.js';
import type { DropField } from './feature-extraction.js';

/** TGI parameters a caller may add to an OpenAI completions body; they go into `parameters`. */
const TGI_PARAMETERS = new Set(['top_k', 'repetition_penalty', 'frequency_penalty', 'typical_p', 'truncate', 'watermark']);

/**
 * Builds the TGI body. One prompt per call (TGI has no batch); `n > 1` is dropped. TGI refuses
 * `temperature: 0` and `top_p: 1` ("must be strictly positive" / "< 1"), so those mean greedy /
 * unset. Throws 400 for several prompts.
 */
export function encodeHFTextGenerationRequest(request: CompletionRequest, drop: DropField): JsonObject {
  const prompt = singlePrompt(request.prompt);
  const parameters: JsonObject = { return_full_text: false, details: true };
  if (request.maxTokens !== undefined) parameters.max_new_tokens = request.maxTokens;
  // OpenAI samples unless temperature is 0 (its default is 1); TGI is greedy unless told to sample.
  parameters.do_sample = request.temperature !== 0;
  if (request.temperature !== undefined && request.temperature > 0) parameters.temperature = request.temperature;
  if (request.topP !== undefined && request.topP > 0 && request.topP < 1) parameters.top_p = request.topP;
  if (request.stop !== undefined) parameters.stop = request.stop;
  if (request.seed !== undefined) parameters.seed = request.seed;
  if (request.n !== undefined && request.n > 1) drop('n', 'text-generation returns one sequence per request');
  for (const [key, value] of Object.entries(request.extra ?? {})) {
    if (TGI_PARAMETERS.has(key)) parameters[key] = value;
    else drop(key, 'not a text-generation parameter');
  }
  const body: JsonObject = { inputs: prompt, parameters };
  if (request.stream) body.stream = true;
  return body;
}

function singlePrompt(prompt: string | string[]): string {
  if (typeof prompt === 'string') return prompt;
  if (prompt.length === 1) return prompt[0] as string;
  throw new GatewayError('unsupported', 'The text-generation task takes one prompt per request; send the prompts separately.', { param: 'prompt' });
}

/** TGI finish reasons (PROTOCOLS §9.1): `length` → length; `eos_token`, `stop_sequence` and others → stop. */
export function mapTGIFinishReason(raw: string): FinishReason {
  return raw === 'length' ? 'length' : 'stop';
}

export interface DecodeTGIOptions {
  model?: string;
  /** The prompt sent, to estimate prompt tokens (TGI does not count them). */
  prompt?: string;
  now?: () => number;
}

/**
 * Usage from TGI's details: output tokens are counted (`generated_tokens`), prompt tokens are
 * estimated, so the whole is flagged `estimated`.
 */
export function decodeTGIUsage(details: JsonObject | undefined, text: string, prompt: string | undefined): Usage {
  const generated = typeof details?.generated_tokens === 'number' ? details.generated_tokens : estimateTokens(text);
  return { inputTokens: prompt === undefined ? 0 : estimateTokens(prompt), outputTokens: generated, estimated: true };
}

/** Decodes `[{generated_text, details?}]` (or the bare object). Throws `upstream_error` otherwise. */
export function decodeHFTextGenerationResponse(body: unknown, options: DecodeTGIOptions = {}): CompletionResponse {
  const first: unknown = Array.isArray(body) ? body[0] : body;
  if (!isRecord(first) || typeof first.generated_text !== 'string') {
    throw new GatewayError('upstream_error', 'Upstream returned a malformed text-generation response: no generated_text.');
  }
  const details = isRecord(first.details) ? first.details : undefined;
  const raw = typeof details?.finish_reason === 'string' ? details.finish_reason : null;
  return {
    id: createId('cmpl-'),
    model: options.model ?? '',
    created: options.now?.() ?? Math.floor(Date.now() / 1000),
    choices: [{ index: 0, text: first.generated_text, finishReason: raw === null ? 'stop' : mapTGIFinishReason(raw), rawFinishReason: raw }],
    usage: decodeTGIUsage(details, first.generated_text, options.prompt),
    dialect: 'huggingface',
  };
}
