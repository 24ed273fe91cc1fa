/**
 * The routing monitor driven through dispatchCall with scripted targets and a fake clock:
 * breakers open, skip and recover; a bad key opens at once; provider quotas route around a
 * target before it would answer 429; retries, fallbacks and context-window fallbacks are counted.
 */
import { describe, expect, it } from 'vitest';
import { captureGatewayErrorAsync } from '../../test/unit/support/errors.js';
import { createFakeProvider } from '../../test/unit/support/fake-provider.js';
import { GatewayError, type ErrorCode } from '../core/errors.js';
import type { Provider } from '../providers/provider.js';
import { dispatchCall } from './dispatch.js';
import type { RetryPolicy } from './execute.js';
import { createMemoryRoutingState } from './health/routing-state.js';
import type { QuotaLimits } from './health/quota-window.js';
import { createRouteMonitor, type RoutingMetrics } from './monitor.js';
import { compileRouter, type Target } from './plan.js';

const T0 = Date.parse('2026-08-01T12:00:00Z');
const SETTINGS = { errorRate: 0.5, minRequests: 3, windowMs: 60_000, cooldownMs: 30_000 };

type Step = string | GatewayError;

function setup(options: { limits?: Record<string, QuotaLimits>; retries?: number } = {}) {
  const providers = new Map<string, Provider>(['a', 'b', 'c'].map((id) => [id, createFakeProvider(id)]));
  const router = compileRouter({
    groups: {
      chat: { strategy: 'fallback', targets: [{ provider: 'a', model: 'm' }, { provider: 'b', model: 'm' }] },
      small: { strategy: 'fallback', targets: [{ provider: 'a', model: 'small' }], context_window_fallbacks: ['big', 'unknown'] },
      big: { strategy: 'fallback', targets: [{ provider: 'c', model: 'big' }] },
    },
    providers,
    created: 0,
  });
  const clock = { now: T0 };
  const counted: string[] = [];
  const metrics: RoutingMetrics = {
    attempt: (provider, result) => counted.push(`attempt ${provider} ${result}`),
    retry: (provider) => counted.push(`retry ${provider}`),
    fallback: (model) => counted.push(`fallback ${model}`),
    quotaRefusal: (provider, limit) => counted.push(`quota ${provider} ${limit}`),
    cost: (provider, model, usd) => counted.push(`cost ${provider} ${model} ${usd}`),
  };
  const state = createMemoryRoutingState(SETTINGS);
  const monitor = createRouteMonitor({ state, limits: new Map(Object.entries(options.limits ?? {})), metrics, now: () => clock.now });
  const script: Record<string, Step[]> = {};
  const calls: string[] = [];
  const retry: RetryPolicy = {
    retries: options.retries ?? 0, maxRetryAfterMs: 5_000, baseDelayMs: 10, maxDelayMs: 100, random: () => 0.5,
    sleep: () => Promise.resolve(),
  };
  const call = (model: string, extra: { stream?: boolean; estimateTokens?: () => number } = {}) =>
    dispatchCall<string>({
      router, retry, monitor, principal: { kind: 'master' }, model, signal: new AbortController().signal, ...extra,
      attempt: (t: Target) => {
        calls.push(t.key);
        const step = script[t.key]?.shift() ?? `ok from ${t.key}`;
        return typeof step === 'string' ? Promise.resolve(step) : Promise.reject(step);
      },
    });
  return { monitor, clock, counted, script, calls, call };
}

const fail = (code: ErrorCode, options: ConstructorParameters<typeof GatewayError>[2] = {}): GatewayError =>
  new GatewayError(code, `${code} (test)`, { upstreamStatus: 500, ...options });

describe('breakers through dispatch', () => {
  it('opens after repeated failures, skips the target while open, probes after the cool-down and closes on success', async () => {
    const h = setup();
    h.script['a/m'] = [fail('upstream_unavailable'), fail('upstream_unavailable'), fail('upstream_unavailable')];
    for (let i = 0; i < 3; i++) expect((await h.call('chat')).result).toBe('ok from b/m');
    expect(h.monitor.state.breaker('a/m', h.clock.now)).toMatchObject({ state: 'open', available: false });
    expect(h.monitor.state.breaker('a/m', h.clock.now).reason).toMatch(/^error rate 100% \(3 of 3 requests/);

    h.calls.length = 0;
    expect((await h.call('chat')).result).toBe('ok from b/m');
    expect(h.calls).toEqual(['b/m']); // a is not even tried

    h.clock.now += 30_000;
    expect(h.monitor.state.breaker('a/m', h.clock.now).state).toBe('half-open');
    h.calls.length = 0;
    expect((await h.call('chat')).result).toBe('ok from a/m');
    expect(h.calls).toEqual(['a/m']);
    expect(h.monitor.state.breaker('a/m', h.clock.now)).toMatchObject({ state: 'closed', reason: null });
  });

  it('opens at once on an upstream 401 and reports it as a bad key', async () => {
    const h = setup();
    h.script['a/m'] = [fail('upstream_auth_failed', { upstreamStatus: 401 })];
    expect((await h.call('chat')).result).toBe('ok from b/m');
    expect(h.monitor.state.breaker('a/m', h.clock.now)).toMatchObject({ state: 'open', reason: 'bad key (HTTP 401)' });
  });

  it('cools a target for its Retry-After', async () => {
    const h = setup();
    h.script['a/m'] = [fail('rate_limit_exceeded', { upstreamStatus: 429, retryAfterMs: 60_000 })];
    await h.call('chat');
    h.clock.now += 59_000;
    h.calls.length = 0;
    await h.call('chat');
    expect(h.calls).toEqual(['b/m']);
    h.clock.now += 1_000;
    h.calls.length = 0;
    await h.call('chat');
    expect(h.calls).toEqual(['a/m']);
  });

  it('does not count the caller\'s own errors against the target', async () => {
    const h = setup();
    h.script['a/m'] = Array.from({ length: 5 }, () => fail('invalid_request', { upstreamStatus: 400 }));
    for (let i = 0; i < 5; i++) await captureGatewayErrorAsync(h.call('chat'));
    expect(h.monitor.state.breaker('a/m', h.clock.now).state).toBe('closed');
  });

  it('records a stream failure after the first event at settle, and an abandoned stream as nothing', async () => {
    const h = setup();
    for (let i = 0; i < 3; i++) {
      const answer = await h.call('chat', { stream: true });
      expect(h.monitor.inflightStreams()).toBe(1);
      answer.settle({ error: new GatewayError('upstream_error', 'cut'), usage: { inputTokens: 1, outputTokens: 1 } });
      answer.settle({}); // idempotent
    }
    expect(h.monitor.inflightStreams()).toBe(0);
    expect(h.monitor.state.breaker('a/m', h.clock.now).state).toBe('open');
    expect(h.monitor.targets.get('a/m')?.inflight).toBe(0);
    const abandoned = await h.call('chat', { stream: true });
    abandoned.settle({ abandoned: true });
    expect(h.monitor.targets.get('b/m')?.outcomes.totals(h.clock.now, 60_000)).toEqual({ requests: 0, errors: 0 });
  });
});

describe('provider quotas through dispatch', () => {
  it('skips a target whose provider is at its rpm limit before it would answer 429', async () => {
    const h = setup({ limits: { a: { rpm: 2 } } });
    await h.call('chat');
    await h.call('chat');
    h.calls.length = 0;
    expect((await h.call('chat')).result).toBe('ok from b/m');
    expect(h.calls).toEqual(['b/m']);
    h.clock.now += 60_000;
    expect((await h.call('chat')).result).toBe('ok from a/m');
  });

  it('answers 429 with the wait until room frees when every target is over its quota', async () => {
    const h = setup({ limits: { a: { rpm: 1 }, b: { rpm: 1 } } });
    await h.call('chat');
    h.script['a/m'] = [fail('upstream_unavailable')];
    await h.call('chat'); // a fails (counted), b answers
    h.clock.now += 10_000;
    h.calls.length = 0;
    const error = await captureGatewayErrorAsync(h.call('chat'));
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(50_000);
    expect(h.calls).toEqual([]); // nothing was sent upstream
    expect(h.counted.filter((c) => c.startsWith('quota'))).toEqual(['quota a rpm', 'quota b rpm']);
  });

  it('counts reported tokens against tpm and refuses a request whose prompt estimate would not fit', async () => {
    const h = setup({ limits: { a: { tpm: 1_000 } } });
    const answer = await h.call('chat', { estimateTokens: () => 100 });
    answer.settle({ usage: { inputTokens: 700, outputTokens: 200 } });
    h.calls.length = 0;
    await h.call('chat', { estimateTokens: () => 101 });
    expect(h.calls).toEqual(['b/m']);
  });
});

describe('accounting of retries and fallbacks', () => {
  it('counts a retry of the same target and a move to the next', async () => {
    const h = setup({ retries: 1 });
    h.script['a/m'] = [fail('upstream_error'), fail('upstream_error')];
    expect((await h.call('chat')).result).toBe('ok from b/m');
    expect(h.counted).toEqual([
      'attempt a upstream_error', 'retry a', 'attempt a upstream_error', 'fallback chat', 'attempt b ok',
    ]);
  });
});

describe('context window fallbacks', () => {
  it('moves a prompt that is too long to the listed group', async () => {
    const h = setup();
    h.script['a/small'] = [fail('context_length_exceeded', { upstreamStatus: 400 })];
    const answer = await h.call('small');
    expect(answer.result).toBe('ok from c/big');
    expect(answer.target.key).toBe('c/big');
  });

  it('gives the last fallback\'s error when every fallback fails too', async () => {
    const h = setup();
    h.script['a/small'] = [fail('context_length_exceeded', { upstreamStatus: 400 })];
    h.script['c/big'] = [fail('context_length_exceeded', { upstreamStatus: 400, param: 'messages' })];
    expect((await captureGatewayErrorAsync(h.call('small'))).code).toBe('context_length_exceeded');
    expect(h.calls).toEqual(['a/small', 'c/big']);
  });

  it('does not apply to other errors', async () => {
    const h = setup();
    h.script['a/small'] = [fail('invalid_request', { upstreamStatus: 400 })];
    expect((await captureGatewayErrorAsync(h.call('small'))).code).toBe('invalid_request');
    expect(h.calls).toEqual(['a/small']);
  });
});
