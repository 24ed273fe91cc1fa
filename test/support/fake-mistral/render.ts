/**
 * Mistral's response bodies and stream chunks, in the shapes of the recorded fixtures in
 * src/formats/mistral/__fixtures__ (vercel/ai recordings): `data:` frames then `data: [DONE]`;
 * the first chunk carries the role; thinking and text as content-chunk arrays for reasoning
 * answers; each tool call whole in its own chunk without `index`; usage and the finish reason on
 * the last chunk, with no `stream_options` needed.
 */
import type { MistralFakeReply, MistralFakeUsage } from './types.js';

type Json = Record<string, unknown>;
export type MistralAnswer = Extract<MistralFakeReply, { kind: 'text' } | { kind: 'tools' }>;

export interface RenderContext {
  id: string;
  created: number;
  model: string;
  /** Used when the reply gives no usage. */
  promptTokens: number;
  seq: number;
}

/** Splits text into word pieces whose concatenation is the text. */
export function splitPieces(text: string): string[] {
  return text.split(/(?<=\s)/).filter((piece) => piece !== '');
}

function usageOf(answer: MistralAnswer, ctx: RenderContext): Json {
  const fallback: MistralFakeUsage = {
    prompt: ctx.promptTokens,
    completion: answer.kind === 'text' ? splitPieces(`${answer.reasoning ?? ''} ${answer.text}`).length : answer.calls.length * 8,
  };
  const usage = answer.usage ?? fallback;
  const out: Json = { prompt_tokens: usage.prompt, total_tokens: usage.prompt + usage.completion, completion_tokens: usage.completion };
  if (usage.cached !== undefined) out.prompt_tokens_details = { cached_tokens: usage.cached };
  return out;
}

function toolCallsOf(answer: Extract<MistralAnswer, { kind: 'tools' }>, ctx: RenderContext): Json[] {
  return answer.calls.map((call, i) => ({
    id: call.id ?? `t${String(ctx.seq * 10 + i).padStart(8, '0')}`,
    function: { name: call.name, arguments: call.arguments },
  }));
}

const finishOf = (answer: MistralAnswer): string => (answer.kind === 'tools' ? 'tool_calls' : answer.finish ?? 'stop');

/** The non-stream `chat.completion` body. */
export function renderMistralCompletion(answer: MistralAnswer, ctx: RenderContext): Json {
  const message: Json = { role: 'assistant' };
  if (answer.kind === 'tools') {
    message.tool_calls = toolCallsOf(answer, ctx);
  } else {
    message.tool_calls = null;
    message.content = answer.reasoning === undefined
      ? answer.text
      : [{ type: 'thinking', thinking: [{ type: 'text', text: answer.reasoning }] }, { type: 'text', text: answer.text }];
  }
  return {
    id: ctx.id, created: ctx.created, model: ctx.model, usage: usageOf(answer, ctx), object: 'chat.completion',
    choices: [{ index: 0, finish_reason: finishOf(answer), message }],
  };
}

/** The stream's chunk objects, without `[DONE]`. */
export function renderMistralChunks(answer: MistralAnswer, ctx: RenderContext): Json[] {
  const chunk = (delta: Json, finish: string | null = null, usage?: Json): Json => ({
    id: ctx.id, object: 'chat.completion.chunk', created: ctx.created, model: ctx.model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    ...(usage === undefined ? {} : { usage }),
  });
  const chunks: Json[] = [chunk({ role: 'assistant', content: '' })];
  if (answer.kind === 'tools') {
    const calls = toolCallsOf(answer, ctx);
    calls.forEach((call, i) => {
      const last = i === calls.length - 1;
      chunks.push(chunk({ content: null, tool_calls: [call] }, last ? 'tool_calls' : null, last ? usageOf(answer, ctx) : undefined));
    });
    return chunks;
  }
  const reasoning = answer.reasoning;
  if (reasoning !== undefined) {
    for (const piece of splitPieces(reasoning)) chunks.push(chunk({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: piece }] }] }));
  }
  for (const piece of splitPieces(answer.text)) {
    chunks.push(chunk({ content: reasoning === undefined ? piece : [{ type: 'text', text: piece }] }));
  }
  chunks.push(chunk({ content: '' }, finishOf(answer), usageOf(answer, ctx)));
  return chunks;
}

/** The embeddings list (float vectors, or base64 float32 when asked), as in mistral-embedding.json. */
export function renderMistralEmbeddings(vectors: number[][], ctx: { id: string; model: string; base64: boolean; promptTokens: number }): Json {
  return {
    id: ctx.id,
    object: 'list',
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      embedding: ctx.base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
      index,
    })),
    model: ctx.model,
    usage: {
      prompt_audio_seconds: null, prompt_tokens: ctx.promptTokens, total_tokens: ctx.promptTokens, completion_tokens: 0,
      request_count: null, prompt_tokens_details: null, prompt_token_details: null,
    },
  };
}

/** Mistral's error bodies by kind: its API's `{object:"error",…}`, its gateway's `{message, request_id}`. */
export function renderMistralError(kind: 'auth' | 'rate_limit' | 'overloaded' | 'invalid_request' | 'server', message: string, requestId: string): { status: number; body: Json } {
  switch (kind) {
    case 'auth':
      return { status: 401, body: { message, request_id: requestId } };
    case 'rate_limit':
      return { status: 429, body: { message, request_id: requestId } };
    case 'overloaded':
      return { status: 503, body: { object: 'error', message, type: 'service_unavailable', param: null, code: null } };
    case 'invalid_request':
      return { status: 400, body: { object: 'error', message, type: 'invalid_request_error', param: null, code: null } };
    case 'server':
      return { status: 500, body: { object: 'error', message, type: 'internal_server_error', param: null, code: null } };
  }
}
