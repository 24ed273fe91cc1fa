/**
 * The shared health/quota state against the real Redis: two instances (as two gateways would
 * be) see each other's breaker transitions and provider quota use. Skipped with a clear message
 * when Redis is missing — and failed under CI=true.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { describeWithServices, REDIS_URL } from '../../../test/support/services.js';
import { createRedisRoutingState, parseBreakerStatus } from './redis-routing-state.js';
import type { RoutingState } from './routing-state.js';

const describeRedis = await describeWithServices(['redis']);
const SETTINGS = { errorRate: 0.5, minRequests: 3, windowMs: 60_000, cooldownMs: 30_000 };

describeRedis('createRedisRoutingState', () => {
  const open: RoutingState[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  async function pair(now: () => number, quotaProviders: string[] = []): Promise<[RoutingState, RoutingState]> {
    const prefix = `switchyard-test:${randomUUID()}:`;
    const make = (): Promise<RoutingState> => createRedisRoutingState({ url: REDIS_URL, settings: SETTINGS, quotaProviders, now, prefix, syncIntervalMs: 60_000 });
    const states: [RoutingState, RoutingState] = [await make(), await make()];
    open.push(...states);
    return states;
  }

  it('shares a breaker opened by one instance (bad key) with the other, and its closing', async () => {
    let now = Date.now();
    const [a, b] = await pair(() => now);
    a.recordFailure('openai/gpt-4o-mini', { kind: 'bad-key', status: 401 }, now);
    await a.sync();
    expect(b.breaker('openai/gpt-4o-mini', now).state).toBe('closed');
    await b.sync();
    expect(b.breaker('openai/gpt-4o-mini', now)).toMatchObject({ state: 'open', available: false, reason: 'bad key (HTTP 401)' });

    now += 30_000;
    expect(b.breaker('openai/gpt-4o-mini', now).state).toBe('half-open');
    b.beginProbe('openai/gpt-4o-mini', now);
    b.recordSuccess('openai/gpt-4o-mini', now + 10);
    await b.sync();
    await a.sync();
    expect(a.breaker('openai/gpt-4o-mini', now + 20)).toMatchObject({ state: 'closed', reason: null });
  });

  it('adds up provider quota use across instances, per minute and per day', async () => {
    const now = Date.now();
    const [a, b] = await pair(() => now, ['groq']);
    a.addQuotaUse('groq', { requests: 3, tokens: 300 }, now);
    b.addQuotaUse('groq', { requests: 2, tokens: 50 }, now);
    // Before syncing, each sees only its own use.
    expect(a.quotaUsage('groq', now).minute).toEqual({ requests: 3, tokens: 300 });
    await a.sync();
    await b.sync();
    expect(b.quotaUsage('groq', now).minute).toEqual({ requests: 5, tokens: 350 });
    await a.sync();
    expect(a.quotaUsage('groq', now)).toMatchObject({ minute: { requests: 5, tokens: 350 }, day: { requests: 5, tokens: 350 } });
    // Local use after the sync is added on top of the shared count at once.
    a.addQuotaUse('groq', { requests: 1, tokens: 0 }, now);
    expect(a.quotaUsage('groq', now).minute.requests).toBe(6);
  });

  it('forgets other instances\' requests once they leave the minute', async () => {
    let now = Date.now();
    const [a, b] = await pair(() => now, ['groq']);
    a.addQuotaUse('groq', { requests: 4, tokens: 0 }, now);
    await a.sync();
    now += 61_000;
    await b.sync();
    expect(b.quotaUsage('groq', now)).toMatchObject({ minute: { requests: 0, tokens: 0 }, day: { requests: 4 } });
  });
});

describe('parseBreakerStatus', () => {
  it('accepts a well-formed status and refuses anything else', () => {
    expect(parseBreakerStatus('{"state":"open","reason":"bad key (HTTP 401)","since":1,"until":2,"next":"half-open"}'))
      .toEqual({ state: 'open', reason: 'bad key (HTTP 401)', since: 1, until: 2, next: 'half-open' });
    for (const text of ['nope', '{}', '{"state":"ajar","since":1,"next":"closed"}', '{"state":"open","since":"1","next":"closed"}']) {
      expect(parseBreakerStatus(text)).toBeUndefined();
    }
  });
});
