/**
 * Health as clients and operators see it: a breaker opening after repeated failures and
 * closing after recovery (fake clock, no sleeping), a bad provider key reported as such,
 * provider quotas routed around before they answer 429, and `/status` and `/metrics` telling
 * the truth about all of it — without leaking keys or prompt text.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSeededRandom } from '../unit/support/streams.js';
import { fakeErrors } from '../support/fake-openai.js';
import { BACKUP_UPSTREAM_KEY, createClientKey, startE2EStack, UPSTREAM_KEY, type E2EStack } from '../support/e2e-stack.js';
import { createFakeClock, metricValue, readMetrics, readStatus, rejection } from '../support/resilience.js';

const HELLO = [{ role: 'user' as const, content: 'hello' }];
const SECRET_PROMPT = 'my-very-private-prompt-text-42';
const clock = createFakeClock();
let stack: E2EStack;

beforeAll(async () => {
  stack = await startE2EStack({
    backup: true,
    deps: { now: clock.now },
    config: () => ({
      routing: { retries: 0, breaker: { min_requests: 3, error_rate: 0.5, window_ms: 60_000, cooldown_ms: 30_000 } },
      providers: { quota: { type: 'openai-compatible', base_url: 'http://127.0.0.1:1/v1', api_key: 'unused-key', limits: { rpm: 2 } } },
      models: {
        resilient: { targets: [{ provider: 'up', model: 'gpt-4o-mini' }, { provider: 'backup', model: 'gpt-4.1-nano' }] },
        limited: { targets: [{ provider: 'quota', model: 'm' }, { provider: 'backup', model: 'gpt-4.1-nano' }] },
      },
    }),
  });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.fake.reset();
  stack.backup?.reset();
  stack.gw.gateway.monitor.reset();
});

const ask = (model = 'resilient', content = 'hello'): Promise<unknown> => stack.client.chat.completions.create({ model, messages: [{ role: 'user', content }] });

describe('circuit breaker', () => {
  it('opens after repeated failures, skips the target, probes after the cool-down and closes on recovery', async () => {
    stack.fake.script(fakeErrors.serverError(), { times: 3 });
    for (let i = 0; i < 3; i++) await ask();
    expect(stack.fake.requests).toHaveLength(3);
    expect(stack.backup?.requests).toHaveLength(3);

    let status = await readStatus(stack.gw);
    const up = status.providers.up?.targets.find((t) => t.model === 'gpt-4o-mini');
    expect(up?.breaker.state).toBe('open');
    expect(up?.breaker.reason).toMatch(/^error rate 100% \(3 of 3 requests/);
    expect(up?.status).toBe('down');
    expect(status.models.resilient?.status).toBe('degraded');
    expect(status.models.resilient?.error_rate_5m).toBe(0);
    expect(status.providers.up?.error_rate_5m).toBe(1);
    expect(status.status).toBe('degraded');
    expect(metricValue(await readMetrics(stack.gw), 'switchyard_breaker_state', { target: 'up/gpt-4o-mini' })).toBe(2);

    // Open: the next calls go straight to the backup.
    await ask();
    expect(stack.fake.requests).toHaveLength(3);

    clock.advance(30_000);
    status = await readStatus(stack.gw);
    expect(status.providers.up?.targets[0]?.breaker.state).toBe('half-open');
    expect(metricValue(await readMetrics(stack.gw), 'switchyard_breaker_state', { target: 'up/gpt-4o-mini' })).toBe(1);

    // The upstream has recovered: the probe succeeds and closes the breaker.
    await ask();
    expect(stack.fake.requests).toHaveLength(4);
    status = await readStatus(stack.gw);
    expect(status.providers.up?.targets[0]?.breaker).toMatchObject({ state: 'closed', reason: null });
    expect(metricValue(await readMetrics(stack.gw), 'switchyard_breaker_state', { target: 'up/gpt-4o-mini' })).toBe(0);
  });

  it('opens at once on a rejected provider key and says "bad key"', async () => {
    stack.fake.script({ status: 401 });
    await ask();
    const status = await readStatus(stack.gw);
    expect(status.providers.up?.targets[0]?.breaker).toMatchObject({ state: 'open', reason: 'bad key (HTTP 401)' });
    await ask();
    expect(stack.fake.requests).toHaveLength(1);
  });

  it('still tries a target whose breaker is open when it is the only one', async () => {
    stack.fake.script({ status: 403 });
    await rejection(ask('chat'));
    expect((await readStatus(stack.gw)).models.chat?.targets[0]?.breaker.state).toBe('open');
    await ask('chat');
    expect(stack.fake.requests).toHaveLength(2);
  });
});

describe('provider quotas', () => {
  it('routes around a provider at its rpm before it answers 429, and answers 429 with Retry-After when nothing is left', async () => {
    // `quota` points nowhere: were it tried, the call would fail with a 5xx, not a 429.
    const before = metricValue(await readMetrics(stack.gw), 'switchyard_limit_rejections_total', { provider: 'quota', limit: 'rpm' }) ?? 0;
    const monitor = stack.gw.gateway.monitor;
    monitor.state.addQuotaUse('quota', { requests: 2, tokens: 0 }, clock.now());
    await ask('limited');
    expect(stack.backup?.requests).toHaveLength(1);
    expect(metricValue(await readMetrics(stack.gw), 'switchyard_upstream_attempts_total', { provider: 'quota' })).toBeUndefined();
    const error = await rejection(ask('quota/m'));
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.message).toMatch(/configured rpm limit/);
    expect(Number(error.headers?.get('retry-after'))).toBe(60);
    const status = await readStatus(stack.gw);
    expect(status.providers.quota?.quota).toMatchObject({ limits: { rpm: 2 }, used: { rpm: 2 }, exhausted: 'rpm' });
    expect(status.providers.quota?.status).toBe('degraded');
    expect(metricValue(await readMetrics(stack.gw), 'switchyard_limit_rejections_total', { provider: 'quota', limit: 'rpm' })).toBe(before + 1);
    // An hour later the minute has long passed: the target is tried again (and fails: it points nowhere).
    clock.advance(3_600_000);
    expect((await rejection(ask('quota/m'))).status).toBe(503);
  });
});

describe('/status and /metrics', () => {
  it('report requests, latency, time to first token and tokens with OpenTelemetry GenAI names', async () => {
    await ask('resilient', SECRET_PROMPT);
    const stream = await stack.client.chat.completions.create({ model: 'resilient', messages: HELLO, stream: true });
    for await (const chunk of stream) void chunk;
    const status = await readStatus(stack.gw);
    const group = status.models.resilient;
    expect(group).toMatchObject({ status: 'up', strategy: 'fallback', in_flight: 0, requests_5m: 2, error_rate_5m: 0 });
    expect(group?.latency_ms?.samples).toBe(2);
    expect(group?.ttft_ms?.p50).toBeGreaterThan(0);
    expect(status.providers.up?.targets[0]).toMatchObject({ status: 'up', requests_5m: 2 });
    expect(status.in_flight).toEqual({ streams: 0, upstream_requests: 0 });

    const metrics = await readMetrics(stack.gw);
    expect(metricValue(metrics, 'switchyard_requests_total', { route: '/v1/chat/completions', model: 'resilient', provider: 'up', status: '200' })).toBeGreaterThanOrEqual(2);
    expect(metrics).toMatch(/^gen_ai_client_token_usage_bucket\{.*gen_ai_token_type="output"/m);
    expect(metrics).toMatch(/^gen_ai_server_time_to_first_token_seconds_count\{gen_ai_operation_name="chat",gen_ai_provider_name="up",gen_ai_request_model="resilient"\} [1-9]/m);
    expect(metrics).toMatch(/^gen_ai_server_request_duration_seconds_count\{/m);
    expect(metrics).toMatch(/^switchyard_tokens_total\{provider="up",model="resilient",type="input"\} [1-9]/m);
    expect(metrics).toMatch(/^switchyard_inflight_streams 0$/m);
    expect(metrics).toMatch(/^http_server_request_duration_seconds_count\{/m);
  });

  it('show a stream in flight while it runs', async () => {
    stack.fake.script({ stream: { chunkDelayMs: 100 } });
    const stream = await stack.client.chat.completions.create({ model: 'resilient', messages: [{ role: 'user', content: 'a b c' }], stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const during = await readStatus(stack.gw);
    expect(during.in_flight).toEqual({ streams: 1, upstream_requests: 1 });
    expect(during.models.resilient?.in_flight).toBe(1);
    expect(during.providers.up?.in_flight).toBe(1);
    expect(await readMetrics(stack.gw)).toMatch(/^switchyard_inflight_streams 1$/m);
    while (!(await iterator.next()).done) { /* drain */ }
    expect((await readStatus(stack.gw)).in_flight).toEqual({ streams: 0, upstream_requests: 0 });
  });

  it('never contain keys or prompt text', async () => {
    await ask('resilient', SECRET_PROMPT);
    stack.fake.script({ status: 401 });
    await ask('resilient', SECRET_PROMPT);
    const bodies = [JSON.stringify(await readStatus(stack.gw)), await readMetrics(stack.gw)];
    for (const body of bodies) {
      for (const secret of [SECRET_PROMPT, UPSTREAM_KEY, BACKUP_UPSTREAM_KEY, stack.gw.masterKey, 'unused-key']) expect(body).not.toContain(secret);
    }
  });

  it('does not turn unknown model names into labels', async () => {
    await rejection(ask('no-such-model-1234'));
    expect(await readMetrics(stack.gw)).not.toContain('no-such-model-1234');
  });

  it('are open by default; with server.protect_status they need the master key', async () => {
    expect((await fetch(`${stack.gw.origin}/status`)).status).toBe(200);
    const guarded = await startE2EStack({ config: () => ({ server: { protect_status: true } }) });
    try {
      for (const path of ['/status', '/metrics']) {
        expect((await fetch(`${guarded.gw.origin}${path}`)).status).toBe(401);
        const { key } = await createClientKey(guarded.gw, { name: 'app' });
        expect((await fetch(`${guarded.gw.origin}${path}`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);
        expect((await fetch(`${guarded.gw.origin}${path}`, { headers: { authorization: `Bearer ${guarded.gw.masterKey}` } })).status).toBe(200);
      }
    } finally {
      await guarded.close();
    }
  });
});

describe('strategies end to end', () => {
  it('weighted: spreads requests by weight within tolerance', async () => {
    const weighted = await startE2EStack({
      backup: true,
      deps: { random: createSeededRandom(7) },
      config: () => ({ models: { spread: { strategy: 'weighted', targets: [{ provider: 'up', model: 'a', weight: 1 }, { provider: 'backup', model: 'b', weight: 3 }] } } }),
    });
    try {
      const n = 400;
      for (let i = 0; i < n; i += 20) {
        await Promise.all(Array.from({ length: 20 }, () => weighted.client.chat.completions.create({ model: 'spread', messages: HELLO })));
      }
      const share = weighted.fake.requests.length / n;
      expect(share).toBeGreaterThan(0.18);
      expect(share).toBeLessThan(0.32);
      expect(weighted.fake.requests.length + (weighted.backup?.requests.length ?? 0)).toBe(n);
    } finally {
      await weighted.close();
    }
  });

  it('lowest-cost: the cheaper target answers first', async () => {
    const cheap = await startE2EStack({
      backup: true,
      config: () => ({ models: { thrifty: { strategy: 'lowest-cost', targets: [
        { provider: 'up', model: 'dear', price: { input: 5, output: 15 } },
        { provider: 'backup', model: 'cheap', price: { input: 0.1, output: 0.4 } },
      ] } } }),
    });
    try {
      await cheap.client.chat.completions.create({ model: 'thrifty', messages: HELLO });
      expect(cheap.backup?.requests[0]?.body).toMatchObject({ model: 'cheap' });
      expect(cheap.fake.requests).toHaveLength(0);
      expect(metricValue(await readMetrics(cheap.gw), 'switchyard_cost_usd_total', { provider: 'backup', model: 'cheap' })).toBeGreaterThan(0);
    } finally {
      await cheap.close();
    }
  });

  it('context_window_fallbacks: a prompt too long for the group moves to the listed one', async () => {
    const long = await startE2EStack({
      backup: true,
      config: () => ({ models: {
        short: { targets: [{ provider: 'up', model: 'gpt-4o-mini' }], context_window_fallbacks: ['long'] },
        long: { targets: [{ provider: 'backup', model: 'gpt-4.1' }] },
      } }),
    });
    try {
      long.fake.script(fakeErrors.contextLengthExceeded());
      const completion = await long.client.chat.completions.create({ model: 'short', messages: HELLO });
      expect(completion.choices[0]?.message.content).toBe('Hello from fake OpenAI: hello');
      expect(long.backup?.requests[0]?.body).toMatchObject({ model: 'gpt-4.1' });
    } finally {
      await long.close();
    }
  });
});
