/**
 * Ollama's response bodies, byte-faithful: Go's `encoding/json` (HTML characters and U+2028/9
 * escaped), RFC 3339 timestamps with trailing zeros trimmed, field order of `api.ChatResponse`
 * (model, created_at, message, done_reason, done, metrics), `omitempty` counts.
 */
import type { FakeOllamaReply } from './types.js';

/** `JSON.stringify` as Go's `json.Marshal` writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A Go `time.Time` in RFC 3339 with nanoseconds, trailing zeros trimmed (`…19.19314Z`). */
export function goTimestamp(base: number, step: number): string {
  const ms = base + step * 37;
  const nanos = String((step * 104729) % 1_000_000).padStart(6, '0');
  const iso = new Date(ms).toISOString().slice(0, -1) + nanos;
  return `${iso.replace(/\.?0+$/, '')}Z`;
}

/** Ollama splits generated text into tokens; the fake uses words with their leading spaces. */
export function splitTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+$/gu) ?? (text === '' ? [] : [text]);
}

interface RenderContext {
  model: string;
  /** Unix ms of the first line. */
  base: number;
  promptEvalCount: number;
}

function metrics(reply: FakeOllamaReply, context: RenderContext, evalCount: number): Record<string, unknown> {
  const out: Record<string, unknown> = { total_duration: 498521375, load_duration: 33480792 };
  const prompt = reply.promptEvalCount === undefined ? context.promptEvalCount : reply.promptEvalCount;
  if (prompt !== null && prompt !== 0) {
    out.prompt_eval_count = prompt;
    out.prompt_eval_duration = 105962125;
  }
  const output = reply.evalCount === undefined ? evalCount : reply.evalCount;
  if (output !== null && output !== 0) out.eval_count = output;
  out.eval_duration = 358417083;
  return out;
}

function toolCalls(reply: FakeOllamaReply): Array<Record<string, unknown>> {
  return (reply.toolCalls ?? []).map((call, index) => ({
    ...(call.id === undefined ? {} : { id: call.id }),
    function: { ...(call.id === undefined ? {} : { index }), name: call.name, arguments: call.arguments },
  }));
}

/** The NDJSON lines of a streamed answer: thinking tokens, text tokens, one tool-call line, `done`. */
export function renderChatLines(reply: FakeOllamaReply, context: RenderContext): string[] {
  const lines: string[] = [];
  let step = 0;
  const line = (message: Record<string, unknown>): void => {
    lines.push(goJson({ model: context.model, created_at: goTimestamp(context.base, step++), message: { role: 'assistant', ...message }, done: false }));
  };
  const thinking = splitTokens(reply.thinking ?? '');
  const text = splitTokens(reply.text ?? '');
  for (const token of thinking) line({ content: '', thinking: token });
  for (const token of text) line({ content: token });
  if (reply.toolCalls && reply.toolCalls.length > 0) line({ content: '', tool_calls: toolCalls(reply) });
  lines.push(goJson({
    model: context.model,
    created_at: goTimestamp(context.base, step),
    message: { role: 'assistant', content: '' },
    done_reason: reply.doneReason ?? 'stop',
    done: true,
    ...metrics(reply, context, thinking.length + text.length + (reply.toolCalls?.length ?? 0) * 8),
  }));
  return lines;
}

/** The single JSON object of a `stream: false` answer. */
export function renderChatBody(reply: FakeOllamaReply, context: RenderContext): string {
  const message: Record<string, unknown> = { role: 'assistant', content: reply.text ?? '' };
  if (reply.thinking !== undefined && reply.thinking !== '') message.thinking = reply.thinking;
  if (reply.toolCalls && reply.toolCalls.length > 0) message.tool_calls = toolCalls(reply);
  const tokens = splitTokens(reply.text ?? '').length + splitTokens(reply.thinking ?? '').length + (reply.toolCalls?.length ?? 0) * 8;
  return goJson({
    model: context.model,
    created_at: goTimestamp(context.base, 0),
    message,
    done_reason: reply.doneReason ?? 'stop',
    done: true,
    ...metrics(reply, context, tokens),
  });
}

/** A deterministic unit-ish vector for `text` (8 dimensions), so equal inputs embed equally. */
export function buildFakeEmbedding(text: string): number[] {
  const out: number[] = [];
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619);
  for (let i = 0; i < 8; i++) {
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
    out.push(Math.fround(((h >>> 0) / 4294967296) * 2 - 1));
  }
  return out;
}
