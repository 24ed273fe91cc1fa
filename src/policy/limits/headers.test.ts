import { describe, expect, it } from 'vitest';
import { buildRateLimitHeaders, formatResetDuration } from './headers.js';

describe('formatResetDuration', () => {
  it.each<[number, string]>([
    [0, '0s'], [-5, '0s'], [1, '1ms'], [250.2, '251ms'], [999, '999ms'], [1_000, '1s'], [1_001, '2s'], [6_000, '6s'],
    [60_000, '1m0s'], [90_000, '1m30s'], [3_600_000, '1h0m0s'], [3_723_000, '1h2m3s'], [86_400_000, '24h0m0s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatResetDuration(ms)).toBe(text);
  });
});

describe('buildRateLimitHeaders', () => {
  it('writes OpenAI’s six headers for the windows present', () => {
    expect(buildRateLimitHeaders({ requests: { limit: 10, remaining: 3, resetMs: 6_000 }, tokens: { limit: 1000, remaining: 0, resetMs: 90_000 } })).toEqual([
      ['x-ratelimit-limit-requests', '10'], ['x-ratelimit-remaining-requests', '3'], ['x-ratelimit-reset-requests', '6s'],
      ['x-ratelimit-limit-tokens', '1000'], ['x-ratelimit-remaining-tokens', '0'], ['x-ratelimit-reset-tokens', '1m30s'],
    ]);
    expect(buildRateLimitHeaders({ tokens: { limit: 5, remaining: 5, resetMs: 0 } }).map(([name]) => name)).toEqual([
      'x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens',
    ]);
    expect(buildRateLimitHeaders({})).toEqual([]);
  });
});
