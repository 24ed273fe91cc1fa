/**
 * Upstream faults through the official `openai` SDK against fake upstreams whose faults are
 * switched per test: 429 with Retry-After, 500 and 529, hangs before the first byte, streams
 * cut mid-way, malformed bodies. None may hang the client or end as if it had finished, and the
 * retries and fallbacks show in /metrics as they happen.
 */
import OpenAI from 'openai';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeErrors } from '../support/fake-openai.js';
import { startE2EStack, UPSTREAM_KEY, type E2EStack } from '../support/e2e-stack.js';
import { drain, metricValue, readMetrics, rejection, startRawUpstream } from '../support/resilience.js';

const HELLO = [{ role: 'user' as const, content: 'hello' }];
const GREETING = 'Hello from fake OpenAI: hello';

function backupOf(stack: E2EStack): NonNullable<E2EStack['backup']> {
  if (!stack.backup) throw new Error('no backup fake');
  return stack.backup;
}

describe('retries and fallback (instant, recorded waits)', () => {
  let stack: E2EStack;
  beforeAll(async () => {
    stack = await startE2EStack({
      backup: true,
      config: () => ({ models: { resilient: { targets: [{ provider: 'up', model: 'gpt-4o-mini' }, { provider: 'backup', model: 'gpt-4.1-nano' }] } } }),
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.fake.reset();
    backupOf(stack).reset();
    stack.sleeps.length = 0;
    stack.gw.gateway.monitor.reset();
  });

  it('waits out a 429\'s Retry-After on the same target, then succeeds there', async () => {
    stack.fake.script(fakeErrors.rateLimited(2));
    const completion = await stack.client.chat.completions.create({ model: 'chat', messages: HELLO });
    expect(completion.choices[0]?.message.content).toBe(GREETING);
    expect(stack.fake.requests).toHaveLength(2);
    expect(stack.sleeps).toEqual([2000]);
  });

  it('prefers retry-after-ms, to the millisecond', async () => {
    stack.fake.script({ status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '9' } });
    await stack.client.chat.completions.create({ model: 'chat', messages: HELLO });
    expect(stack.sleeps).toEqual([1500]);
  });

  it('answers from the second target when the first keeps failing with 500 (not streamed)', async () => {
    stack.fake.script(fakeErrors.serverError(), { times: Infinity });
    const count = async (name: string, labels: Record<string, string>): Promise<number> => metricValue(await readMetrics(stack.gw), name, labels) ?? 0;
    const before = [
      await count('switchyard_retries_total', { provider: 'up' }),
      await count('switchyard_fallbacks_total', { model: 'resilient' }),
      await count('switchyard_upstream_attempts_total', { provider: 'up', result: 'upstream_error' }),
    ];
    const completion = await stack.client.chat.completions.create({ model: 'resilient', messages: HELLO });
    expect(completion.choices[0]?.message.content).toBe(GREETING);
    expect(stack.fake.requests).toHaveLength(3);
    expect(backupOf(stack).requests).toHaveLength(1);
    expect(await count('switchyard_retries_total', { provider: 'up' })).toBe((before[0] ?? 0) + 2);
    expect(await count('switchyard_fallbacks_total', { model: 'resilient' })).toBe((before[1] ?? 0) + 1);
    expect(await count('switchyard_upstream_attempts_total', { provider: 'up', result: 'upstream_error' })).toBe((before[2] ?? 0) + 3);
  });

  it('answers from the second target when the first keeps failing with 500 (streamed)', async () => {
    stack.fake.script(fakeErrors.serverError(), { times: Infinity });
    const stream = await stack.client.chat.completions.create({ model: 'resilient', messages: HELLO, stream: true });
    const { items, error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(items.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(GREETING);
    expect(items.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(backupOf(stack).requests[0]?.body).toMatchObject({ model: 'gpt-4.1-nano', stream: true });
  });

  it('retries a 529 and never shows it: once → the retry answers; always → 503', async () => {
    stack.fake.script({ status: 529 });
    expect((await stack.client.chat.completions.create({ model: 'chat', messages: HELLO })).choices[0]?.message.content).toBe(GREETING);
    expect(stack.fake.requests).toHaveLength(2);

    stack.fake.script({ status: 529 }, { times: Infinity });
    const error = await rejection(stack.client.chat.completions.create({ model: 'chat', messages: HELLO }));
    expect(error.status).toBe(503);
    expect(error.status).not.toBe(529);
  });

  it('makes the SDK\'s stream throw when the upstream cuts it after a few chunks (never a clean end)', async () => {
    stack.fake.script({ stream: { cutAfter: 3 } });
    const stream = await stack.client.chat.completions.create({ model: 'resilient', messages: [{ role: 'user', content: 'a b c d e f g' }], stream: true });
    const { items, error } = await drain(stream);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(items.length).toBeGreaterThan(0);
    expect(items.some((c) => c.choices[0]?.finish_reason)).toBe(false);
    // Content had reached the client: no fallback after the first byte.
    expect(backupOf(stack).requests).toHaveLength(0);
  });

  it('retries a stream whose first chunk is malformed, and throws on one malformed mid-stream', async () => {
    stack.fake.script({ stream: { chunks: ['data: {not json\n\n'] } }, { times: Infinity });
    const first = await rejection(stack.client.chat.completions.create({ model: 'chat', messages: HELLO, stream: true }));
    expect(first.status).toBe(502);
    expect(stack.fake.requests).toHaveLength(3);

    stack.fake.reset();
    const good = { id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] };
    stack.fake.script({ stream: { chunks: [good, 'data: {"id": oops\n\n'] } });
    const { items, error } = await drain(await stack.client.chat.completions.create({ model: 'chat', messages: HELLO, stream: true }));
    expect(items.map((c) => c.choices[0]?.delta.content).join('')).toBe('Hi');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(String((error as Error).message)).toMatch(/malformed/);
  });
});

describe('malformed JSON from the upstream', () => {
  it('becomes a 5xx OpenAI error after the retries (not a crash, not a 200)', async () => {
    const broken = await startRawUpstream(200, '{"id": "chatcmpl-1", "object": "chat.completion", "choices": [');
    const stack = await startE2EStack({ config: () => ({ providers: { broken: { type: 'openai-compatible', base_url: broken.url, api_key: UPSTREAM_KEY } } }) });
    try {
      const error = await rejection(stack.client.chat.completions.create({ model: 'broken/gpt-4o-mini', messages: HELLO }));
      expect(error.status).toBe(502);
      expect(error.type).toBe('api_error');
      expect(error.code).toBe('upstream_error');
      expect(error.message).toMatch(/not valid JSON/);
      expect(broken.hits()).toBe(3);
    } finally {
      await stack.close();
      await broken.close();
    }
  });
});

describe('Retry-After really waited for', () => {
  it('sleeps the upstream\'s retry-after-ms before trying again', async () => {
    const stack = await startE2EStack({
      deps: { sleep: (ms, signal) => sleep(ms, undefined, { signal }) },
    });
    try {
      stack.fake.script({ status: 429, headers: { 'retry-after-ms': '200' } });
      const started = performance.now();
      await stack.client.chat.completions.create({ model: 'chat', messages: HELLO });
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(195);
      expect(elapsed).toBeLessThan(2_000);
      expect(stack.fake.requests).toHaveLength(2);
    } finally {
      await stack.close();
    }
  });
});

describe('a hang before the first byte', () => {
  let stack: E2EStack;
  beforeAll(async () => {
    stack = await startE2EStack({
      backup: true,
      config: ({ fake }) => ({
        providers: { up: { type: 'openai-compatible', base_url: fake, api_key: UPSTREAM_KEY, first_byte_timeout_ms: 150 } },
        models: { resilient: { targets: [{ provider: 'up', model: 'gpt-4o-mini' }, { provider: 'backup', model: 'gpt-4.1-nano' }] } },
        // One attempt per target: undici enforces first-byte and idle timeouts to about a second.
        routing: { retries: 0 },
      }),
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.fake.reset();
    backupOf(stack).reset();
    stack.gw.gateway.monitor.reset();
  });

  it('falls back to the next target once the first-byte timeout fires (and drops the hung call)', async () => {
    stack.fake.script({ delayMs: 10_000 }, { times: Infinity });
    const started = performance.now();
    const completion = await stack.client.chat.completions.create({ model: 'resilient', messages: HELLO });
    expect(completion.choices[0]?.message.content).toBe(GREETING);
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(stack.fake.requests).toHaveLength(1);
    expect(backupOf(stack).requests).toHaveLength(1);
    await stack.fake.waitForClose(1);
  });

  it('answers 504 within the bound when there is nothing to fall back to (stream too)', async () => {
    stack.fake.script({ delayMs: 10_000 }, { times: Infinity });
    for (const stream of [false, true]) {
      const started = performance.now();
      const error = await rejection(stack.client.chat.completions.create({ model: 'up/gpt-4o-mini', messages: HELLO, stream }));
      // 150 ms, enforced to within undici's timer resolution (about a second).
      expect(performance.now() - started).toBeLessThan(2_500);
      expect(error.status).toBe(504);
      expect(error.code).toBe('upstream_timeout');
    }
  });
});
