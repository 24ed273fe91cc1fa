/**
 * Renders provider-neutral canned replies (test/conformance/harness.ts) as Gemini wire bodies:
 * one GenerateContentResponse, or the frames of a stream. Frames hold only new parts, every
 * frame repeats `usageMetadata` with cumulative counts, the last one carries `finishReason`,
 * and Gemini 3 models sign their turn (`thoughtSignature` on the first function call, or on a
 * trailing empty text part), exactly as recorded streams show (PROTOCOLS §3.3–3.4).
 */
import type { CannedReply, CannedUsage } from '../../conformance/harness.js';

type Json = Record<string, unknown>;
export type TextReply = Extract<CannedReply, { kind: 'text' }>;
export type ToolsReply = Extract<CannedReply, { kind: 'tools' }>;

export interface RenderContext {
  /** 1-based request number, for ids. */
  seq: number;
  /** The model id from the URL. */
  model: string;
  /** The request body (already validated). */
  body: Json;
  /** Gemini 3 and later sign their turns. */
  signs: boolean;
  /** Mints a signature and remembers it, so a replay can be checked. */
  issueSignature(): string;
}

interface Turn {
  thoughts: string[];
  texts: string[];
  calls: Json[];
  finishReason: string;
  usage: Json;
  blockedBySafety: boolean;
}

const SAFETY_RATINGS = [
  { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
];

const FINISH: Record<string, string> = { stop: 'STOP', length: 'MAX_TOKENS', content_filter: 'SAFETY' };

/** The reply the fake gives when nothing was queued: it echoes the last user text. */
export function defaultReply(body: Json): TextReply {
  return { kind: 'text', text: `Hello from fake Gemini: ${lastUserText(body)}` };
}

function lastUserText(body: Json): string {
  const contents = Array.isArray(body.contents) ? (body.contents as Json[]) : [];
  for (const content of [...contents].reverse()) {
    if (content.role === 'model') continue;
    const texts = ((content.parts as Json[]) ?? []).flatMap((p) => (typeof p.text === 'string' ? [p.text] : []));
    if (texts.length > 0) return texts.join(' ');
  }
  return '';
}

const words = (text: string): number => text.split(/\s+/).filter((w) => w !== '').length;

function promptWords(body: Json): number {
  return words(JSON.stringify([body.systemInstruction ?? null, body.contents ?? null]).replace(/[{}[\]",:]/g, ' '));
}

/** Canned usage is in OpenAI's sense; Gemini's `candidatesTokenCount` excludes thoughts. */
function buildUsage(usage: CannedUsage | undefined, fallback: { prompt: number; output: number }): Json {
  const input = usage?.input ?? fallback.prompt;
  const output = usage?.output ?? fallback.output;
  const thoughts = usage?.reasoning ?? 0;
  const meta: Json = { promptTokenCount: input, candidatesTokenCount: output - thoughts, totalTokenCount: input + output };
  meta.promptTokensDetails = [{ modality: 'TEXT', tokenCount: input }];
  if (thoughts > 0) meta.thoughtsTokenCount = thoughts;
  if (usage?.cacheRead !== undefined) {
    meta.cachedContentTokenCount = usage.cacheRead;
    meta.cacheTokensDetails = [{ modality: 'TEXT', tokenCount: usage.cacheRead }];
  }
  return meta;
}

function buildTurn(reply: TextReply | ToolsReply, ctx: RenderContext): Turn {
  if (reply.kind === 'tools') {
    const calls = reply.calls.map((call) => ({ name: call.name, args: call.arguments }));
    return { thoughts: [], texts: [], calls, finishReason: 'STOP', usage: buildUsage(reply.usage, { prompt: promptWords(ctx.body), output: 12 }), blockedBySafety: false };
  }
  const config = (ctx.body.generationConfig ?? {}) as Json;
  const thinking = (config.thinkingConfig ?? {}) as Json;
  // Thought summaries are only sent to callers who ask for them.
  const thoughts = reply.reasoning !== undefined && thinking.includeThoughts === true ? [reply.reasoning] : [];
  const finishReason = FINISH[reply.finish ?? 'stop'] ?? 'STOP';
  return {
    thoughts,
    texts: [reply.text],
    calls: [],
    finishReason,
    usage: buildUsage(reply.usage, { prompt: promptWords(ctx.body), output: words(reply.text) }),
    blockedBySafety: finishReason === 'SAFETY',
  };
}

function envelope(candidate: Json, usage: Json, ctx: RenderContext): Json {
  return { candidates: [candidate], usageMetadata: usage, modelVersion: ctx.model, responseId: `fakeGeminiResp${ctx.seq}` };
}

/** The whole reply as one `generateContent` body. */
export function renderResponse(reply: TextReply | ToolsReply, ctx: RenderContext): Json {
  const turn = buildTurn(reply, ctx);
  if (turn.blockedBySafety) {
    return envelope({ finishReason: 'SAFETY', index: 0, safetyRatings: SAFETY_RATINGS }, turn.usage, ctx);
  }
  const parts: Json[] = [
    ...turn.thoughts.map((text) => ({ text, thought: true })),
    ...turn.texts.map((text) => ({ text })),
    ...turn.calls.map((functionCall) => ({ functionCall })),
  ];
  if (ctx.signs && parts.length > 0) {
    // Signed: the first function call, else the last part of the turn.
    const target = turn.calls.length > 0 ? parts.find((p) => p.functionCall !== undefined) : parts[parts.length - 1];
    if (target) target.thoughtSignature = ctx.issueSignature();
  }
  return envelope({ content: { parts, role: 'model' }, finishReason: turn.finishReason, index: 0 }, turn.usage, ctx);
}

/** Splits text into about three pieces at spaces (never inside a character). */
export function splitText(text: string): string[] {
  const pieces = text.split(/(?<= )/);
  if (pieces.length <= 3) return pieces;
  const size = Math.ceil(pieces.length / 3);
  return [0, 1, 2].map((i) => pieces.slice(i * size, (i + 1) * size).join('')).filter((p) => p !== '');
}

/** The reply as the frames of `streamGenerateContent?alt=sse`. */
export function renderStream(reply: TextReply | ToolsReply, ctx: RenderContext): Json[] {
  const turn = buildTurn(reply, ctx);
  const total = Number(turn.usage.candidatesTokenCount);
  const pieces: Json[][] = [
    ...turn.thoughts.flatMap(splitText).map((text) => [{ text, thought: true }]),
    ...turn.texts.flatMap(splitText).map((text) => [{ text }]),
  ];
  if (turn.calls.length > 0) {
    const parts: Json[] = turn.calls.map((functionCall) => ({ functionCall }));
    if (ctx.signs) (parts[0] as Json).thoughtSignature = ctx.issueSignature();
    pieces.push(parts);
  }
  const frames = pieces.map((parts, i) => {
    // Cumulative, as Gemini reports it: the candidates count grows, the rest repeats.
    const usage = { ...turn.usage, candidatesTokenCount: Math.round((total * (i + 1)) / (pieces.length + 1)) };
    return envelope({ content: { parts, role: 'model' }, index: 0 }, usage, ctx);
  });
  const last: Json = turn.blockedBySafety
    ? { finishReason: 'SAFETY', index: 0, safetyRatings: SAFETY_RATINGS }
    : { content: { parts: [ctx.signs && turn.calls.length === 0 ? { text: '', thoughtSignature: ctx.issueSignature() } : { text: '' }], role: 'model' }, finishReason: turn.finishReason, index: 0 };
  frames.push(envelope(last, turn.usage, ctx));
  return frames;
}
