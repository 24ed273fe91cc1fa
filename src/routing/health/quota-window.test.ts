import { describe, expect, it } from 'vitest';
import { checkQuota, createQuotaCounter, type QuotaUsage } from './quota-window.js';

const NOON = Date.parse('2026-08-01T12:00:00Z');
const MIDNIGHT = Date.parse('2026-08-02T00:00:00Z');

describe('quota counter', () => {
  it('counts a sliding minute in one-second buckets', () => {
    const counter = createQuotaCounter();
    counter.add(NOON, { requests: 1, tokens: 100 });
    counter.add(NOON + 30_000, { requests: 2, tokens: 50 });
    expect(counter.usage(NOON + 59_999)).toEqual({ minute: { requests: 3, tokens: 150 }, day: { requests: 3, tokens: 150 }, oldestMs: NOON });
    expect(counter.usage(NOON + 60_000).minute).toEqual({ requests: 2, tokens: 50 });
    expect(counter.usage(NOON + 60_000).oldestMs).toBe(NOON + 30_000);
    expect(counter.usage(NOON + 90_000).minute).toEqual({ requests: 0, tokens: 0 });
  });

  it('counts the calendar day in UTC and starts over at midnight', () => {
    const counter = createQuotaCounter();
    counter.add(MIDNIGHT - 1_000, { requests: 5, tokens: 10 });
    expect(counter.usage(MIDNIGHT - 1).day).toEqual({ requests: 5, tokens: 10 });
    expect(counter.usage(MIDNIGHT).day).toEqual({ requests: 0, tokens: 0 });
    counter.add(MIDNIGHT + 1, { requests: 1, tokens: 0 });
    expect(counter.usage(MIDNIGHT + 2).day).toEqual({ requests: 1, tokens: 0 });
  });
});

describe('checkQuota', () => {
  const usage = (minute: [number, number], day: [number, number], oldestMs?: number): QuotaUsage => ({
    minute: { requests: minute[0], tokens: minute[1] }, day: { requests: day[0], tokens: day[1] }, oldestMs,
  });

  it('admits what fits', () => {
    expect(checkQuota({ rpm: 3, tpm: 1000, rpd: 10, tpd: 5000 }, usage([2, 500], [9, 4000]), { requests: 1, tokens: 500 }, NOON)).toEqual({ ok: true });
  });

  it('refuses the request that would go over rpm, until the oldest second leaves the minute', () => {
    expect(checkQuota({ rpm: 3 }, usage([3, 0], [3, 0], NOON - 45_000), { requests: 1, tokens: 0 }, NOON)).toEqual({ ok: false, limit: 'rpm', retryAfterMs: 15_000 });
  });

  it('refuses on tokens per minute using the estimate', () => {
    expect(checkQuota({ tpm: 1000 }, usage([1, 900], [1, 900], NOON - 1_000), { requests: 1, tokens: 101 }, NOON)).toMatchObject({ ok: false, limit: 'tpm' });
    expect(checkQuota({ tpm: 1000 }, usage([1, 900], [1, 900], NOON - 1_000), { requests: 1, tokens: 100 }, NOON)).toEqual({ ok: true });
  });

  it('refuses on daily limits until the next UTC midnight', () => {
    expect(checkQuota({ rpd: 10 }, usage([0, 0], [10, 0]), { requests: 1, tokens: 0 }, NOON)).toEqual({ ok: false, limit: 'rpd', retryAfterMs: 12 * 3_600_000 });
    expect(checkQuota({ tpd: 100 }, usage([0, 0], [1, 100]), { requests: 1, tokens: 1 }, NOON)).toMatchObject({ ok: false, limit: 'tpd' });
  });
});
