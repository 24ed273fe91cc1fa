/** The Redis limiter against the real Redis: the shared contract, plus leases that outlive a crash by at most their length. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisNamespace, describeWithServices } from '../../../test/support/services.js';
import { runLimiterContract } from '../../../test/unit/support/limiter-contract.js';
import { createCalendar } from './calendar.js';
import { createRedisLimiter } from './redis-limiter.js';

const describeRedis = await describeWithServices(['redis']);

describeRedis('redis limiter', () => {
  let ns: Awaited<ReturnType<typeof createRedisNamespace>>;
  beforeAll(async () => {
    ns = await createRedisNamespace();
  });
  afterAll(async () => {
    await ns.clean();
  });

  let run = 0;
  runLimiterContract(({ calendar, now }) => {
    // A fresh prefix per test: counters never leak between cases.
    const limiter = createRedisLimiter({ redis: ns.redis, prefix: `${ns.prefix}${++run}:`, calendar, leaseMs: 30_000, now });
    return { limiter, setNow: () => undefined, close: () => limiter.close() };
  });

  it('settles many reservations together, each exactly once', async () => {
    const now = Date.parse('2026-08-01T10:00:00.000Z');
    const limiter = createRedisLimiter({ redis: ns.redis, prefix: `${ns.prefix}batch:`, calendar: createCalendar('UTC'), leaseMs: 30_000, now: () => now });
    const limits = { concurrency: 300, tpm: 100_000 };
    const admissions = await Promise.all(Array.from({ length: 250 }, () => limiter.reserve({ keyId: 'k', limits, tokens: 100, costNanos: 0 })));
    const reservations = admissions.flatMap((a) => (a.admitted ? [a.reservation] : []));
    expect(reservations).toHaveLength(250);
    // 250 settles: more than one call's worth, sent in order.
    await Promise.all(reservations.map((r) => limiter.settle(r, { tokens: 40, costNanos: 0 })));
    const after = await limiter.reserve({ keyId: 'k', limits, tokens: 0, costNanos: 0 });
    expect(after).toMatchObject({ admitted: true, snapshot: { tokens: { remaining: 100_000 - 250 * 40 } } });
    expect(await ns.redis.zcard(`${ns.prefix}batch:limits:{k}:conc`)).toBe(1);
    await limiter.close();
  });

  it('frees the slots of a crashed instance when their lease runs out', async () => {
    let now = Date.parse('2026-08-01T10:00:00.000Z');
    const calendar = createCalendar('UTC');
    const options = { redis: ns.redis, prefix: `${ns.prefix}lease:`, calendar, leaseMs: 2_000, now: () => now };
    const crashed = createRedisLimiter(options);
    const survivor = createRedisLimiter(options);
    const limits = { concurrency: 1 };
    expect((await crashed.reserve({ keyId: 'k', limits, tokens: 0, costNanos: 0 })).admitted).toBe(true);
    // The crashed instance stops renewing (its timer is gone) and never settles.
    await crashed.close();
    now += 1_999;
    expect(await survivor.reserve({ keyId: 'k', limits, tokens: 0, costNanos: 0 })).toMatchObject({ admitted: false, dimension: 'concurrency' });
    now += 2;
    expect((await survivor.reserve({ keyId: 'k', limits, tokens: 0, costNanos: 0 })).admitted).toBe(true);
    await survivor.close();
  });

  it('renews the leases of open requests while they run', async () => {
    let now = Date.parse('2026-08-01T10:00:00.000Z');
    const options = { redis: ns.redis, prefix: `${ns.prefix}renew:`, calendar: createCalendar('UTC'), leaseMs: 1_000, now: () => now };
    const holder = createRedisLimiter(options);
    const other = createRedisLimiter(options);
    const limits = { concurrency: 1 };
    const held = await holder.reserve({ keyId: 'k', limits, tokens: 0, costNanos: 0 });
    expect(held.admitted).toBe(true);
    // Three lease lengths pass; the holder renews every third of one (real time), so the slot stays taken.
    for (let i = 0; i < 6; i++) {
      now += 500;
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await other.reserve({ keyId: 'k', limits, tokens: 0, costNanos: 0 })).toMatchObject({ admitted: false, dimension: 'concurrency' });
    }
    if (held.admitted) await holder.settle(held.reservation, { tokens: 0, costNanos: 0 });
    expect((await other.reserve({ keyId: 'k', limits, tokens: 0, costNanos: 0 })).admitted).toBe(true);
    await holder.close();
    await other.close();
  });
});
