/**
 * The shared limiter (`storage.redis`): every instance admits against the same counters, one
 * Lua script round trip per admission; settles are gathered for a few milliseconds and sent as
 * one script call (at most one round trip per settle, usually far fewer: on a busy gateway the
 * socket write, not Redis, is the cost). Concurrency slots carry a lease:
 * this instance renews the leases of its open requests (one batched call per third of the
 * lease), so the slots of an instance that crashed expire by themselves.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { defineRedisScript } from '../../store/redis.js';
import type { Calendar } from './calendar.js';
import type { Admission, ActualUsage, Limiter, LimitSnapshot, Reservation, ReserveRequest } from './limiter.js';
import { budgetPeriodKey } from './memory-limiter.js';
import { DIMENSIONS, RENEW_SCRIPT, RESERVE_SCRIPT, SETTLE_SCRIPT } from './redis-scripts.js';

export interface RedisLimiterOptions {
  redis: Redis;
  /** Prefix of every key (`switchyard:`). */
  prefix: string;
  calendar: Calendar;
  leaseMs: number;
  now?: () => number;
}

const reserveScript = defineRedisScript(RESERVE_SCRIPT);
const settleScript = defineRedisScript(SETTLE_SCRIPT);
const renewScript = defineRedisScript(RENEW_SCRIPT);
const RENEW_BATCH = 500;
/** How long settles wait to share a call; a slot or a refund arrives at most this much later. */
const SETTLE_BATCH_MS = 5;
const SETTLE_BATCH_MAX = 200;

interface PendingSettle {
  keys: string[];
  args: Array<string | number>;
  done: { resolve: () => void; reject: (error: unknown) => void };
}

/** The key names of one API key's counters; `{id}` is a cluster hash tag. */
function keyNames(prefix: string, keyId: string, day: string, period: string): {
  rpm: string; tpm: string; rpd: string; tpd: string; conc: string; budget: string;
} {
  const base = `${prefix}limits:{${keyId}}`;
  return {
    rpm: `${base}:rpm`, tpm: `${base}:tpm`, rpd: `${base}:rpd:${day}`, tpd: `${base}:tpd:${day}`, conc: `${base}:conc`,
    budget: `${base}:budget:${period}`,
  };
}

function decodeSnapshot(reply: number[]): LimitSnapshot {
  const [, , , reqLimit = 0, reqRemaining = 0, reqReset = 0, tokLimit = 0, tokRemaining = 0, tokReset = 0] = reply;
  const snapshot: LimitSnapshot = {};
  if (reqLimit > 0) snapshot.requests = { limit: reqLimit, remaining: reqRemaining, resetMs: reqReset };
  if (tokLimit > 0) snapshot.tokens = { limit: tokLimit, remaining: tokRemaining, resetMs: tokReset };
  return snapshot;
}

export function createRedisLimiter(options: RedisLimiterOptions): Limiter {
  const { redis, prefix, calendar, leaseMs } = options;
  const now = options.now ?? Date.now;
  const instance = randomBytes(6).toString('hex');
  let sequence = 0;
  /** Open reservations holding a slot: id → their concurrency set. */
  const leases = new Map<string, string>();

  async function renewLeases(): Promise<void> {
    const entries = [...leases];
    const expiry = String(now() + leaseMs);
    for (let i = 0; i < entries.length; i += RENEW_BATCH) {
      const batch = entries.slice(i, i + RENEW_BATCH);
      await renewScript.run(redis, batch.map(([, key]) => key), [expiry, leaseMs, ...batch.map(([id]) => id)]);
    }
  }
  let settles: PendingSettle[] = [];
  let settleTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  async function sendSettles(batch: PendingSettle[]): Promise<void> {
    try {
      await settleScript.run(redis, batch.flatMap((s) => s.keys), batch.flatMap((s) => s.args));
      for (const s of batch) s.done.resolve();
    } catch (error) {
      for (const s of batch) s.done.reject(error);
    }
  }

  function flushSettles(): Promise<void> {
    if (settleTimer) clearTimeout(settleTimer);
    settleTimer = undefined;
    const pending = settles;
    settles = [];
    for (let i = 0; i < pending.length; i += SETTLE_BATCH_MAX) flushing = flushing.then(() => sendSettles(pending.slice(i, i + SETTLE_BATCH_MAX)));
    return flushing;
  }

  function queueSettle(keys: string[], args: Array<string | number>): Promise<void> {
    return new Promise((resolve, reject) => {
      settles.push({ keys, args, done: { resolve, reject } });
      if (settles.length >= SETTLE_BATCH_MAX) void flushSettles();
      else settleTimer ??= setTimeout(() => void flushSettles(), SETTLE_BATCH_MS);
    });
  }

  // A missed renewal is retried at the next tick; the lease outlives two of them.
  const timer = setInterval(() => void renewLeases().catch(() => undefined), Math.max(250, Math.floor(leaseMs / 3)));
  timer.unref();

  return {
    kind: 'redis',
    async reserve(request: ReserveRequest): Promise<Admission> {
      const at = now();
      const { limits } = request;
      const day = calendar.day(at);
      const period = budgetPeriodKey(calendar, limits, at);
      const keys = keyNames(prefix, request.keyId, day.key, period.key);
      const id = `${instance}-${++sequence}`;
      const reply = (await reserveScript.run(redis, [keys.rpm, keys.tpm, keys.rpd, keys.tpd, keys.conc, keys.budget], [
        at, limits.rpm ?? 0, limits.rpd ?? 0, limits.tpm ?? 0, limits.tpd ?? 0, limits.concurrency ?? 0,
        limits.budget_usd === undefined ? 0 : Math.round(limits.budget_usd * 1e9), request.tokens, request.costNanos,
        id, leaseMs, day.endsAt - at, Number.isFinite(period.endsAt) ? period.endsAt - at : -1,
      ])) as number[];
      const snapshot = decodeSnapshot(reply);
      if (reply[0] !== 1) {
        const retry = reply[2] ?? -1;
        return { admitted: false, dimension: DIMENSIONS[(reply[1] ?? 1) - 1] ?? 'rpm', retryAfterMs: retry < 0 ? undefined : Math.max(1, retry), snapshot };
      }
      const slot = limits.concurrency !== undefined;
      if (slot) leases.set(id, keys.conc);
      const reservation: Reservation = {
        id, keyId: request.keyId, limits, tokens: request.tokens, costNanos: request.costNanos,
        at, day: day.key, period: period.key, periodEndsAt: period.endsAt, slot,
      };
      return { admitted: true, reservation, snapshot };
    },
    async settle(reservation: Reservation, actual: ActualUsage): Promise<void> {
      const { limits } = reservation;
      const held = reservation.slot;
      reservation.slot = false;
      leases.delete(reservation.id);
      const tokenDelta = actual.tokens - reservation.tokens;
      const costDelta = actual.costNanos - reservation.costNanos;
      const trackBudget = limits.budget_usd !== undefined;
      if (!held && tokenDelta === 0 && (costDelta === 0 || !trackBudget)) return;
      const at = now();
      const keys = keyNames(prefix, reservation.keyId, reservation.day, reservation.period);
      const budgetTtl = !Number.isFinite(reservation.periodEndsAt) ? -1 : Math.max(0, reservation.periodEndsAt - at + 86_400_000);
      await queueSettle([keys.tpm, keys.tpd, keys.budget, keys.conc], [
        Math.floor(reservation.at / 1000), tokenDelta, costDelta, reservation.id, at,
        limits.tpm !== undefined ? 1 : 0, limits.tpd !== undefined ? 1 : 0, trackBudget ? 1 : 0, held ? 1 : 0, budgetTtl,
      ]);
    },
    async close() {
      clearInterval(timer);
      await flushSettles();
    },
  };
}
