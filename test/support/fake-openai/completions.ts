/** Legacy `POST /v1/completions` (`text_completion`, PROTOCOLS §1.8), stream and non-stream. */
import { missingParameter } from './errors.js';
import { FAKE_SYSTEM_FINGERPRINT } from './chat.js';
import { countTokens, isRecord, splitIntoPieces } from './text.js';
import type { FakeContext, FakePlan, FakeUsage } from './types.js';

/** OpenAI's default `max_tokens` for the legacy endpoint. */
const LEGACY_DEFAULT_MAX_TOKENS = 16;

/** Plans the response to a legacy completion request body. */
export function planCompletion(body: Record<string, unknown>, ctx: FakeContext): FakePlan {
  if (typeof body.model !== 'string') return missingParameter('model');
  if (body.prompt === undefined) return missingParameter('prompt');
  const prompt = promptText(body.prompt);
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : LEGACY_DEFAULT_MAX_TOKENS;
  const reply = ctx.reply && 'text' in ctx.reply ? ctx.reply : undefined;
  let pieces = splitIntoPieces(reply ? reply.text : `Hello from fake OpenAI: ${prompt}`);
  let finishReason = reply?.finishReason ?? 'stop';
  if (!reply && pieces.length > maxTokens) {
    pieces = pieces.slice(0, maxTokens);
    finishReason = 'length';
  }
  const usage = reply?.usage ?? { promptTokens: countTokens(prompt), completionTokens: pieces.length };
  const base = { id: `cmpl-fake${ctx.seq}`, object: 'text_completion', created: ctx.created, model: body.model };
  const choice = (text: string, finish: string | null): unknown => ({ text, index: 0, logprobs: null, finish_reason: finish });

  if (body.stream !== true) {
    const completion = { ...base, choices: [choice(pieces.join(''), finishReason)], usage: buildLegacyUsage(usage) };
    return { kind: 'json', status: 200, body: { ...completion, system_fingerprint: FAKE_SYSTEM_FINGERPRINT } };
  }
  const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
  const extra = (usageValue: unknown): Record<string, unknown> => ({
    system_fingerprint: FAKE_SYSTEM_FINGERPRINT,
    ...(includeUsage ? { usage: usageValue } : {}),
  });
  const events: unknown[] = pieces.map((piece) => ({ ...base, choices: [choice(piece, null)], ...extra(null) }));
  events.push({ ...base, choices: [choice('', finishReason)], ...extra(null) });
  if (includeUsage) events.push({ ...base, choices: [], ...extra(buildLegacyUsage(usage)) });
  return { kind: 'sse', events };
}

function promptText(prompt: unknown): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && typeof prompt[0] === 'string') return prompt[0];
  return '';
}

function buildLegacyUsage(usage: FakeUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
  };
}
