/**
 * The behaviour every limiter backend must show, run against the memory and the Redis limiter
 * with a fake clock: sliding minutes, calendar days in a time zone, token estimates replaced on
 * settle, concurrency slots, budgets and their periods, and exact counts under concurrency.
 */
import { expect, it } from 'vitest';
import { createCalendar, type Calendar } from '../../../src/policy/limits/calendar.js';
import type { KeyLimits } from '../../../src/policy/limits/key-limits.js';
import type { Admission, Limiter, Reservation } from '../../../src/policy/limits/limiter.js';

export interface LimiterFixture {
  limiter: Limiter;
  /** Sets the fake clock (epoch ms). */
  setNow(ms: number): void;
  close(): Promise<void>;
}

export type LimiterFactory = (options: { calendar: Calendar; now: () => number }) => Promise<LimiterFixture> | LimiterFixture;

const USD = 1e9;
const T0 = Date.parse('2026-08-01T10:00:00.000Z');

function admitted(admission: Admission): Reservation {
  if (!admission.admitted) throw new Error(`expected admission, got a refusal on ${admission.dimension}`);
  return admission.reservation;
}

/** Registers the contract tests for one backend. */
export function runLimiterContract(factory: LimiterFactory): void {
  async function setup(timeZone = 'UTC'): Promise<{ fixture: LimiterFixture; reserve: (keyId: string, limits: KeyLimits, tokens?: number, costNanos?: number) => Promise<Admission>; at: (ms: number) => void }> {
    let now = T0;
    const fixture = await factory({ calendar: createCalendar(timeZone), now: () => now });
    const at = (ms: number): void => {
      now = ms;
      fixture.setNow(ms);
    };
    at(T0);
    return {
      fixture,
      at,
      reserve: async (keyId, limits, tokens = 0, costNanos = 0) => fixture.limiter.reserve({ keyId, limits, tokens, costNanos }),
    };
  }

  it('admits rpm requests per sliding minute, then refuses with the wait until the oldest expires', async () => {
    const { fixture, reserve, at } = await setup();
    try {
      const limits = { rpm: 3 };
      admitted(await reserve('k', limits));
      admitted(await reserve('k', limits));
      at(T0 + 30_000);
      const third = await reserve('k', limits);
      expect(third).toMatchObject({ admitted: true, snapshot: { requests: { limit: 3, remaining: 0, resetMs: 60_000 } } });
      at(T0 + 59_500);
      const refused = await reserve('k', limits);
      expect(refused).toMatchObject({ admitted: false, dimension: 'rpm', retryAfterMs: 500, snapshot: { requests: { limit: 3, remaining: 0 } } });
      at(T0 + 60_000);
      // The two from T0 left the window; the one from T0+30s still counts.
      admitted(await reserve('k', limits));
      admitted(await reserve('k', limits));
      expect(await reserve('k', limits)).toMatchObject({ admitted: false, dimension: 'rpm', retryAfterMs: 30_000 });
      // Another key has its own window.
      admitted(await reserve('other', limits));
    } finally {
      await fixture.close();
    }
  });

  it('keeps a sliding minute exact over minutes of steady traffic, settles included', async () => {
    const { fixture, reserve, at } = await setup();
    try {
      const admittedAt: number[] = [];
      for (let second = 0; second < 150; second++) {
        at(T0 + second * 1_000 + 500);
        const admission = await reserve('steady', { rpm: 5, tpm: 50 }, 10);
        if (admission.admitted) {
          admittedAt.push(second);
          // Half of the estimate was used: the token window gets 5 back.
          await fixture.limiter.settle(admission.reservation, { tokens: 5, costNanos: 0 });
        }
      }
      expect(admittedAt).toEqual([0, 1, 2, 3, 4, 60, 61, 62, 63, 64, 120, 121, 122, 123, 124]);
      at(T0 + 124_600);
      expect(await reserve('steady', { tpm: 50 }, 26)).toMatchObject({ admitted: false, dimension: 'tpm', snapshot: { tokens: { remaining: 25 } } });
    } finally {
      await fixture.close();
    }
  });

  it('counts rpd per calendar day in the configured time zone', async () => {
    const { fixture, reserve, at } = await setup('Asia/Kolkata');
    try {
      // Midnight in Kolkata (UTC+5:30) is 18:30 UTC.
      at(Date.parse('2026-08-01T18:29:00.000Z'));
      const limits = { rpd: 2 };
      admitted(await reserve('k', limits));
      const second = await reserve('k', limits);
      expect(second).toMatchObject({ admitted: true, snapshot: { requests: { limit: 2, remaining: 0, resetMs: 60_000 } } });
      expect(await reserve('k', limits)).toMatchObject({ admitted: false, dimension: 'rpd', retryAfterMs: 60_000 });
      at(Date.parse('2026-08-01T18:30:00.000Z'));
      admitted(await reserve('k', limits));
    } finally {
      await fixture.close();
    }
  });

  it('reserves token estimates against tpm and replaces them with actual usage on settle', async () => {
    const { fixture, reserve, at } = await setup();
    try {
      const limits = { tpm: 1_000 };
      const first = admitted(await reserve('k', limits, 600));
      const refused = await reserve('k', limits, 600);
      expect(refused).toMatchObject({ admitted: false, dimension: 'tpm', snapshot: { tokens: { limit: 1_000, remaining: 400 } } });
      // The request actually used 100 tokens: 900 are free again.
      at(T0 + 1_000);
      await fixture.limiter.settle(first, { tokens: 100, costNanos: 0 });
      const second = await reserve('k', limits, 600);
      expect(second).toMatchObject({ admitted: true, snapshot: { tokens: { remaining: 300 } } });
      // Used more than estimated: the excess counts too.
      await fixture.limiter.settle(admitted(second), { tokens: 800, costNanos: 0 });
      expect(await reserve('k', limits, 200)).toMatchObject({ admitted: false, dimension: 'tpm', snapshot: { tokens: { remaining: 100 } } });
      at(T0 + 60_000);
      // The 100 settled into T0's second have expired; the 800 of T0+1s still count.
      expect(await reserve('k', limits, 200)).toMatchObject({ admitted: true, snapshot: { tokens: { remaining: 0 } } });
    } finally {
      await fixture.close();
    }
  });

  it('counts tpd per day, settled to actual usage', async () => {
    const { fixture, reserve, at } = await setup();
    try {
      const limits = { tpd: 500 };
      const first = admitted(await reserve('k', limits, 400));
      expect(await reserve('k', limits, 200)).toMatchObject({ admitted: false, dimension: 'tpd' });
      await fixture.limiter.settle(first, { tokens: 50, costNanos: 0 });
      admitted(await reserve('k', limits, 400));
      at(Date.parse('2026-08-02T00:00:00.000Z'));
      admitted(await reserve('k', limits, 500));
    } finally {
      await fixture.close();
    }
  });

  it('holds a concurrency slot until settle', async () => {
    const { fixture, reserve } = await setup();
    try {
      const limits = { concurrency: 2 };
      const a = admitted(await reserve('k', limits));
      admitted(await reserve('k', limits));
      expect(await reserve('k', limits)).toMatchObject({ admitted: false, dimension: 'concurrency' });
      await fixture.limiter.settle(a, { tokens: 0, costNanos: 0 });
      admitted(await reserve('k', limits));
      expect(await reserve('k', limits)).toMatchObject({ admitted: false, dimension: 'concurrency' });
    } finally {
      await fixture.close();
    }
  });

  it('reserves estimated cost against the budget, settles to actual cost, and resets with the period', async () => {
    const { fixture, reserve, at } = await setup();
    try {
      const limits: KeyLimits = { budget_usd: 1, budget_period: 'monthly' };
      const a = admitted(await reserve('k', limits, 0, 0.4 * USD));
      const b = admitted(await reserve('k', limits, 0, 0.4 * USD));
      const refused = await reserve('k', limits, 0, 0.4 * USD);
      expect(refused).toMatchObject({ admitted: false, dimension: 'budget' });
      // Until the month ends (2026-09-01T00:00Z).
      expect(refused.admitted ? 0 : refused.retryAfterMs).toBe(Date.parse('2026-09-01T00:00:00.000Z') - T0);
      await fixture.limiter.settle(a, { tokens: 0, costNanos: 0.1 * USD });
      await fixture.limiter.settle(b, { tokens: 0, costNanos: 0.1 * USD });
      admitted(await reserve('k', limits, 0, 0.4 * USD));
      admitted(await reserve('k', limits, 0, 0.4 * USD));
      expect(await reserve('k', limits, 0, 0.4 * USD)).toMatchObject({ admitted: false, dimension: 'budget' });
      at(Date.parse('2026-09-01T00:00:00.000Z'));
      admitted(await reserve('k', limits, 0, 0.9 * USD));
    } finally {
      await fixture.close();
    }
  });

  it('never resets a budget with period never, and gives no retry time', async () => {
    const { fixture, reserve, at } = await setup();
    try {
      const limits: KeyLimits = { budget_usd: 0.5, budget_period: 'never' };
      const a = admitted(await reserve('k', limits, 0, 0.3 * USD));
      await fixture.limiter.settle(a, { tokens: 0, costNanos: 0.5 * USD });
      at(Date.parse('2027-03-01T00:00:00.000Z'));
      const refused = await reserve('k', limits, 0, 1);
      expect(refused).toMatchObject({ admitted: false, dimension: 'budget' });
      expect(refused.admitted ? 0 : refused.retryAfterMs).toBeUndefined();
    } finally {
      await fixture.close();
    }
  });

  it('admits exactly rpm of many concurrent reservations', async () => {
    const { fixture, reserve } = await setup();
    try {
      const results = await Promise.all(Array.from({ length: 30 }, () => reserve('burst', { rpm: 10 })));
      expect(results.filter((r) => r.admitted)).toHaveLength(10);
      expect(results.filter((r) => !r.admitted).every((r) => !r.admitted && r.dimension === 'rpm')).toBe(true);
    } finally {
      await fixture.close();
    }
  });

  it('reports a spent budget before any rate limit', async () => {
    const { fixture, reserve } = await setup();
    try {
      const limits: KeyLimits = { rpm: 1, budget_usd: 0.1 };
      admitted(await reserve('k', limits, 0, 0.1 * USD));
      expect(await reserve('k', limits, 0, 1)).toMatchObject({ admitted: false, dimension: 'budget' });
    } finally {
      await fixture.close();
    }
  });
}
