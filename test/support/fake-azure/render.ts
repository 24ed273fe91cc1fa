/**
 * Azure OpenAI's bodies and stream chunks (PROTOCOLS §8.3; shapes of
 * src/formats/azure/__fixtures__): OpenAI's, with keys in Azure's alphabetical order, a
 * `prompt_filter_results` chunk (`choices: []`, empty id) first, `content_filter_results` on
 * every choice, and optional asynchronous-filter chunks without `delta`.
 */
import type { AzureFakeReply, AzureFakeUsage } from './types.js';

type Json = Record<string, unknown>;
export type AzureAnswer = Extract<AzureFakeReply, { kind: 'text' } | { kind: 'tools' }>;

export interface AzureRenderContext {
  id: string;
  created: number;
  /** The deployment's model version. */
  model: string;
  promptTokens: number;
  includeUsage: boolean;
  seq: number;
}

const SAFE = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};
const FILTERED = { ...SAFE, violence: { filtered: true, severity: 'medium' } };
const PROMPT_FILTER = [{ prompt_index: 0, content_filter_results: { ...SAFE, jailbreak: { filtered: false, detected: false } } }];
const FINGERPRINT = 'fp_04751d0b65';

export function splitPieces(text: string): string[] {
  return text.split(/(?<=\s)/).filter((piece) => piece !== '');
}

function usageOf(answer: AzureAnswer, ctx: AzureRenderContext): Json {
  const fallback: AzureFakeUsage = { prompt: ctx.promptTokens, completion: answer.kind === 'text' ? splitPieces(answer.text).length : 9 * answer.calls.length };
  const u = answer.usage ?? fallback;
  return {
    completion_tokens: u.completion,
    completion_tokens_details: { accepted_prediction_tokens: 0, audio_tokens: 0, reasoning_tokens: u.reasoning ?? 0, rejected_prediction_tokens: 0 },
    prompt_tokens: u.prompt,
    prompt_tokens_details: { audio_tokens: 0, cached_tokens: u.cached ?? 0 },
    total_tokens: u.prompt + u.completion,
  };
}

function callsOf(answer: Extract<AzureAnswer, { kind: 'tools' }>, seq: number): Array<{ id: string; name: string; arguments: string }> {
  return answer.calls.map((call, i) => ({ id: call.id ?? `call_az${seq}x${i}QkT3mN8pL2vR5wY7`, name: call.name, arguments: call.arguments }));
}

const finishOf = (answer: AzureAnswer): string => (answer.kind === 'tools' ? 'tool_calls' : answer.finish ?? 'stop');

/** The non-stream `chat.completion` body. */
export function renderAzureCompletion(answer: AzureAnswer, ctx: AzureRenderContext): Json {
  const message: Json = { annotations: [], content: null, refusal: null, role: 'assistant' };
  if (answer.kind === 'tools') {
    message.tool_calls = callsOf(answer, ctx.seq).map((c) => ({ function: { arguments: c.arguments, name: c.name }, id: c.id, type: 'function' }));
  } else {
    message.content = answer.text;
    if (answer.reasoning !== undefined) message.reasoning_content = answer.reasoning;
  }
  const finish = finishOf(answer);
  return {
    choices: [{ content_filter_results: finish === 'content_filter' ? FILTERED : SAFE, finish_reason: finish, index: 0, logprobs: null, message }],
    created: ctx.created, id: ctx.id, model: ctx.model, object: 'chat.completion',
    prompt_filter_results: PROMPT_FILTER, system_fingerprint: FINGERPRINT, usage: usageOf(answer, ctx),
  };
}

/** The stream's chunk objects, without `[DONE]`. */
export function renderAzureChunks(answer: AzureAnswer, ctx: AzureRenderContext): Json[] {
  const chunk = (delta: Json, finish: string | null = null, filter: Json = SAFE): Json => ({
    choices: [{ content_filter_results: filter, delta, finish_reason: finish, index: 0, logprobs: null }],
    created: ctx.created, id: ctx.id, model: ctx.model, object: 'chat.completion.chunk', system_fingerprint: FINGERPRINT,
  });
  const annotation = (offset: number): Json => ({
    choices: [{ content_filter_offsets: { check_offset: offset, start_offset: offset, end_offset: offset + 8 }, content_filter_results: SAFE, finish_reason: null, index: 0 }],
    created: 0, id: '', model: '', object: '',
  });
  const out: Json[] = [{ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: PROMPT_FILTER }];
  out.push(chunk({ content: answer.kind === 'tools' ? null : '', refusal: null, role: 'assistant' }, null, {}));
  if (answer.kind === 'tools') {
    callsOf(answer, ctx.seq).forEach((call, index) => {
      out.push(chunk({ tool_calls: [{ function: { arguments: '', name: call.name }, id: call.id, index, type: 'function' }] }, null, {}));
      const half = Math.ceil(call.arguments.length / 2);
      for (const part of [call.arguments.slice(0, half), call.arguments.slice(half)]) {
        if (part !== '') out.push(chunk({ tool_calls: [{ function: { arguments: part }, index }] }, null, {}));
      }
    });
  } else {
    for (const piece of splitPieces(answer.reasoning ?? '')) out.push(chunk({ reasoning_content: piece }, null, {}));
    splitPieces(answer.text).forEach((piece, i) => {
      out.push(chunk({ content: piece }));
      if (answer.asyncFilter === true && i % 2 === 1) out.push(annotation(i * 8));
    });
  }
  const finish = finishOf(answer);
  out.push(chunk({}, finish, finish === 'content_filter' ? FILTERED : {}));
  if (answer.kind === 'text' && answer.asyncFilter === true) out.push(annotation(999));
  if (ctx.includeUsage) {
    out.push({ choices: [], created: ctx.created, id: ctx.id, model: ctx.model, object: 'chat.completion.chunk', system_fingerprint: FINGERPRINT, usage: usageOf(answer, ctx) });
  }
  return out;
}

export function renderAzureEmbeddings(vectors: number[][], ctx: { model: string; base64: boolean; promptTokens: number }): Json {
  return {
    data: vectors.map((vector, index) => ({
      embedding: ctx.base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
      index,
      object: 'embedding',
    })),
    model: ctx.model,
    object: 'list',
    usage: { prompt_tokens: ctx.promptTokens, total_tokens: ctx.promptTokens },
  };
}

export type AzureErrorKind = 'auth' | 'rate_limit' | 'overloaded' | 'context_length' | 'invalid_request' | 'server' | 'content_filter';

/** Azure's error bodies: OpenAI's envelope, `code` often a status string, `type: null` on filter refusals. */
export function renderAzureError(kind: AzureErrorKind, message: string): { status: number; body: Json } {
  switch (kind) {
    case 'auth':
      return { status: 401, body: { error: { code: '401', message } } };
    case 'rate_limit':
      return { status: 429, body: { error: { code: '429', message } } };
    case 'overloaded':
      return { status: 503, body: { error: { code: 'ServiceUnavailable', message } } };
    case 'context_length':
      return { status: 400, body: { error: { message, type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } } };
    case 'invalid_request':
      return { status: 400, body: { error: { message, type: 'invalid_request_error', param: null, code: null } } };
    case 'server':
      return { status: 500, body: { error: { code: 'InternalServerError', message } } };
    case 'content_filter':
      return {
        status: 400,
        body: {
          error: {
            message, type: null, param: 'prompt', code: 'content_filter', status: 400,
            innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { ...FILTERED, jailbreak: { filtered: false, detected: false } } },
          },
        },
      };
  }
}
