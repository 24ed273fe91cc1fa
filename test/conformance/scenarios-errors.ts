/**
 * Upstream errors as the client sees them (PROTOCOLS §0 rule 5, §1.14): OpenAI's status set and
 * error body, Retry-After readable by the SDK, overload as 503 (never 529), a bad provider key
 * not blamed on the caller, and no retry (the matrix sets `routing.retries: 0`).
 */
import OpenAI from 'openai';
import { expect } from 'vitest';
import type { CannedReply } from './harness.js';
import { apiError, requestsSince, type Scenario, type ScenarioContext } from './support.js';

type UpstreamError = Extract<CannedReply, { kind: 'error' }>;

/** Queues `error`, makes one chat call that must fail, and checks the upstream saw exactly one request. */
async function failWith(ctx: ScenarioContext, error: UpstreamError, stream = false): Promise<InstanceType<typeof OpenAI.APIError>> {
  const before = ctx.h.requests().length;
  ctx.h.reply(error);
  const messages = [{ role: 'user' as const, content: 'hello' }];
  const failure = await apiError(stream
    ? ctx.client.chat.completions.create({ model: ctx.model, messages, stream: true })
    : ctx.client.chat.completions.create({ model: ctx.model, messages }));
  expect(requestsSince(ctx.h, before)).toHaveLength(1);
  expect(failure.error).toMatchObject({ message: expect.any(String), type: expect.any(String) });
  return failure;
}

const rateLimit: Scenario = {
  id: 'error rate_limit → 429 + retry-after',
  requires: ['errors'],
  async run(ctx) {
    const error = await failWith(ctx, { kind: 'error', error: 'rate_limit', message: 'Too many requests, slow down.', retryAfterSeconds: 7 });
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.status).toBe(429);
    expect(error.headers?.get('retry-after')).toBe('7');
  },
};

const overloaded: Scenario = {
  id: 'error overloaded → 503',
  requires: ['errors'],
  async run(ctx) {
    const error = await failWith(ctx, { kind: 'error', error: 'overloaded', message: 'Overloaded, try again later.' });
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(503);
  },
};

const auth: Scenario = {
  id: 'error auth → 502, key redacted',
  requires: ['errors'],
  async run(ctx) {
    const key = typeof ctx.h.provider.api_key === 'string' && ctx.h.provider.api_key.length >= 8 ? ctx.h.provider.api_key : undefined;
    // Upstreams echo (part of) the key in auth errors; the client must never see it.
    const message = `Invalid API key provided: ${key ?? 'none'}.`;
    const error = await failWith(ctx, { kind: 'error', error: 'auth', message });
    expect(error).not.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.status).toBe(502);
    if (key !== undefined) expect(JSON.stringify(error.error)).not.toContain(key);
  },
};

const contextLength: Scenario = {
  id: 'error context_length → 400 context_length_exceeded',
  requires: ['errors'],
  async run(ctx) {
    const error = await failWith(ctx, {
      kind: 'error', error: 'context_length',
      message: 'Prompt is too long: 130452 tokens exceed the maximum context length of 128000 tokens.',
    });
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('context_length_exceeded');
  },
};

const invalidRequest: Scenario = {
  id: 'error invalid_request → 400',
  requires: ['errors'],
  async run(ctx) {
    const error = await failWith(ctx, { kind: 'error', error: 'invalid_request', message: 'temperature: must be at most 2 (invalid-marker-9).' });
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toContain('invalid-marker-9');
  },
};

const server: Scenario = {
  id: 'error server → 502',
  requires: ['errors'],
  async run(ctx) {
    const error = await failWith(ctx, { kind: 'error', error: 'server', message: 'Internal failure.' });
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(502);
  },
};

const beforeStream: Scenario = {
  id: 'error before the first stream event → HTTP 429',
  requires: ['errors', 'stream'],
  async run(ctx) {
    const error = await failWith(ctx, { kind: 'error', error: 'rate_limit', message: 'Too many requests.', retryAfterSeconds: 3 }, true);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers?.get('retry-after')).toBe('3');
  },
};

export const ERROR_SCENARIOS: readonly Scenario[] = [rateLimit, overloaded, auth, contextLength, invalidRequest, server, beforeStream];
