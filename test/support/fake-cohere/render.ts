/**
 * Cohere v2 chat answers as Cohere writes them: the `/v2/chat` JSON body, or the typed SSE
 * event sequence (`event: <type>` + `data: {"type": <type>, …}`), shaped after the recorded
 * fixtures in vercel/ai `packages/cohere/src/__fixtures__` (PROTOCOLS §7).
 */
import type { CohereFakeChat, CohereFakeUsage } from './types.js';

type Json = Record<string, unknown>;

/** Arguments are streamed in fragments of this many characters, so clients must reassemble. */
const ARGUMENT_FRAGMENT = 6;

export interface RenderContext {
  /** Deterministic per-request id (Cohere's are UUIDs). */
  id: string;
  /** Default usage when the answer gives none. */
  usage: CohereFakeUsage;
}

/** Splits at each whitespace run's start, so `pieces.join('') === text`. */
export function splitPieces(text: string): string[] {
  return text.split(/(?=\s)(?<!\s)/).filter((piece) => piece.length > 0);
}

function splitFixed(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function finishOf(answer: CohereFakeChat): string {
  return answer.finishReason ?? (answer.toolCalls && answer.toolCalls.length > 0 ? 'TOOL_CALL' : 'COMPLETE');
}

function renderUsage(usage: CohereFakeUsage): Json {
  // Billed units leave out Cohere's own system prompt: smaller than the token counts.
  const out: Json = {
    billed_units: { input_tokens: Math.max(1, Math.floor(usage.input / 2)), output_tokens: usage.output },
    tokens: { input_tokens: usage.input, output_tokens: usage.output },
  };
  if (usage.cached !== undefined) out.cached_tokens = usage.cached;
  return out;
}

function toolCallId(answer: CohereFakeChat, i: number): string {
  const call = answer.toolCalls?.[i];
  return call?.id ?? `${call?.name ?? 'tool'}_${String(i).padStart(4, '0')}fake`;
}

/** The non-stream `/v2/chat` response body. */
export function renderCohereChatBody(answer: CohereFakeChat, ctx: RenderContext): Json {
  const message: Json = { role: 'assistant' };
  const content: Json[] = [];
  if (answer.thinking !== undefined) content.push({ type: 'thinking', thinking: answer.thinking });
  if (answer.text !== undefined) content.push({ type: 'text', text: answer.text });
  if (content.length > 0) message.content = content;
  if (answer.toolPlan !== undefined) message.tool_plan = answer.toolPlan;
  if (answer.toolCalls && answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((call, i) => ({
      id: toolCallId(answer, i), type: 'function', function: { name: call.name, arguments: call.arguments },
    }));
  }
  return { id: ctx.id, message, finish_reason: finishOf(answer), usage: renderUsage(answer.usage ?? ctx.usage) };
}

/** The SSE event payloads of a streamed answer, in Cohere's order. */
export function renderCohereChatEvents(answer: CohereFakeChat, ctx: RenderContext): Json[] {
  const events: Json[] = [{
    id: ctx.id, type: 'message-start',
    delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } },
  }];
  for (const piece of splitPieces(answer.toolPlan ?? '')) events.push({ type: 'tool-plan-delta', delta: { message: { tool_plan: piece } } });
  let index = 0;
  const block = (kind: 'thinking' | 'text', text: string): void => {
    events.push({ type: 'content-start', index, delta: { message: { content: { type: kind, [kind]: '' } } } });
    for (const piece of splitPieces(text)) events.push({ type: 'content-delta', index, delta: { message: { content: { [kind]: piece } } } });
    events.push({ type: 'content-end', index });
    index++;
  };
  if (answer.thinking !== undefined) block('thinking', answer.thinking);
  if (answer.text !== undefined) block('text', answer.text);
  (answer.toolCalls ?? []).forEach((call, i) => {
    events.push({
      type: 'tool-call-start', index: i,
      delta: { message: { tool_calls: { id: toolCallId(answer, i), type: 'function', function: { name: call.name, arguments: '' } } } },
    });
    for (const fragment of splitFixed(call.arguments, ARGUMENT_FRAGMENT)) {
      events.push({ type: 'tool-call-delta', index: i, delta: { message: { tool_calls: { function: { arguments: fragment } } } } });
    }
    events.push({ type: 'tool-call-end', index: i });
  });
  const end: Json = { finish_reason: answer.endError === undefined ? finishOf(answer) : 'ERROR', usage: renderUsage(answer.usage ?? ctx.usage) };
  if (answer.endError !== undefined) end.error = answer.endError;
  events.push({ type: 'message-end', delta: end });
  return events;
}

/** One SSE frame: the event name line, then the JSON payload. */
export function renderSseFrame(event: Json): string {
  return `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
}
