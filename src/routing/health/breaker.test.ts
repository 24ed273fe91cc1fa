import { describe, expect, it } from 'vitest';
import { createBreaker, type BreakerSettings } from './breaker.js';

const SETTINGS: BreakerSettings = { errorRate: 0.5, minRequests: 4, windowMs: 60_000, cooldownMs: 30_000 };
const T0 = Date.parse('2026-08-01T12:00:00Z');
const error = { kind: 'error', code: 'upstream_unavailable' } as const;

describe('breaker', () => {
  it('stays closed below the minimum number of requests, however bad', () => {
    const breaker = createBreaker(SETTINGS);
    for (let i = 0; i < 3; i++) expect(breaker.recordFailure(error, T0 + i)).toBe(false);
    expect(breaker.view(T0 + 3)).toMatchObject({ state: 'closed', available: true, reason: null });
  });

  it('opens when the windowed error rate reaches the threshold, saying why', () => {
    const breaker = createBreaker(SETTINGS);
    breaker.recordSuccess(T0);
    breaker.recordSuccess(T0 + 1);
    breaker.recordFailure(error, T0 + 2);
    expect(breaker.recordFailure(error, T0 + 3)).toBe(true);
    const view = breaker.view(T0 + 4);
    expect(view).toMatchObject({ state: 'open', available: false, since: T0 + 3, until: T0 + 3 + 30_000 });
    expect(view.reason).toBe('error rate 50% (2 of 4 requests in 60 s; last: upstream_unavailable)');
  });

  it('forgets failures that left the window', () => {
    const breaker = createBreaker(SETTINGS);
    for (let i = 0; i < 3; i++) breaker.recordFailure(error, T0);
    breaker.recordFailure(error, T0 + 120_000);
    expect(breaker.view(T0 + 120_000).state).toBe('closed');
  });

  it('goes half-open after the cool-down, lets one probe through, and closes when it succeeds', () => {
    const breaker = createBreaker(SETTINGS);
    for (let i = 0; i < 4; i++) breaker.recordFailure(error, T0);
    expect(breaker.view(T0 + 29_999).available).toBe(false);
    expect(breaker.view(T0 + 30_000)).toMatchObject({ state: 'half-open', available: true });
    breaker.beginProbe(T0 + 30_000);
    expect(breaker.view(T0 + 30_001)).toMatchObject({ state: 'half-open', available: false });
    expect(breaker.recordSuccess(T0 + 30_500)).toBe(true);
    expect(breaker.view(T0 + 30_501)).toMatchObject({ state: 'closed', available: true, reason: null, since: T0 + 30_500 });
    // The window starts afresh: one failure does not reopen it.
    expect(breaker.recordFailure(error, T0 + 31_000)).toBe(false);
  });

  it('opens again when the probe fails', () => {
    const breaker = createBreaker(SETTINGS);
    for (let i = 0; i < 4; i++) breaker.recordFailure(error, T0);
    breaker.beginProbe(T0 + 30_000);
    expect(breaker.recordFailure({ kind: 'error', code: 'upstream_timeout' }, T0 + 31_000)).toBe(true);
    expect(breaker.view(T0 + 31_000)).toMatchObject({ state: 'open', reason: 'probe failed (upstream_timeout)', until: T0 + 61_000 });
  });

  it('lets another probe through when one never reports back within a cool-down', () => {
    const breaker = createBreaker(SETTINGS);
    for (let i = 0; i < 4; i++) breaker.recordFailure(error, T0);
    breaker.beginProbe(T0 + 30_000);
    expect(breaker.view(T0 + 59_999).available).toBe(false);
    expect(breaker.view(T0 + 60_000).available).toBe(true);
  });

  it('opens at once on a rejected key, reported as a bad key', () => {
    const breaker = createBreaker(SETTINGS);
    expect(breaker.recordFailure({ kind: 'bad-key', status: 403 }, T0)).toBe(true);
    expect(breaker.view(T0)).toMatchObject({ state: 'open', available: false, reason: 'bad key (HTTP 403)' });
    expect(breaker.view(T0 + 30_000).state).toBe('half-open');
  });

  it('cools for exactly the Retry-After of a 429, then closes without a probe', () => {
    const breaker = createBreaker(SETTINGS);
    expect(breaker.recordFailure({ kind: 'cool', retryAfterMs: 20_000 }, T0)).toBe(true);
    expect(breaker.view(T0 + 19_999)).toMatchObject({ state: 'open', reason: 'rate limited (Retry-After 20 s)' });
    expect(breaker.view(T0 + 20_000)).toMatchObject({ state: 'closed', available: true, reason: null });
    // A shorter Retry-After does not shorten a longer cool-down.
    breaker.recordFailure({ kind: 'cool', retryAfterMs: 10_000 }, T0 + 20_000);
    expect(breaker.recordFailure({ kind: 'cool', retryAfterMs: 1_000 }, T0 + 20_001)).toBe(false);
    expect(breaker.view(T0 + 25_000).state).toBe('open');
  });

  it('adopts a newer status from another instance, never an older one', () => {
    const breaker = createBreaker(SETTINGS);
    breaker.recordFailure({ kind: 'bad-key', status: 401 }, T0);
    expect(breaker.adopt({ state: 'closed', reason: null, since: T0 - 1, until: null, next: 'half-open' })).toBe(false);
    expect(breaker.view(T0).state).toBe('open');
    expect(breaker.adopt({ state: 'closed', reason: null, since: T0 + 5, until: null, next: 'half-open' })).toBe(true);
    expect(breaker.view(T0 + 5)).toMatchObject({ state: 'closed', available: true });
  });
});
