/**
 * A provider's own quota (its free tier, its plan): requests and tokens per sliding minute
 * (one-second buckets) and per calendar day (UTC). Switchyard counts what it sends to each
 * provider and routes around one that would go over, instead of waiting for its 429.
 */

export interface QuotaLimits {
  rpm?: number;
  tpm?: number;
  rpd?: number;
  tpd?: number;
}

export interface QuotaUse {
  requests: number;
  tokens: number;
}

export interface QuotaUsage {
  minute: QuotaUse;
  day: QuotaUse;
  /** Start (ms) of the oldest one-second bucket still counted in the minute, if any. */
  oldestMs: number | undefined;
}

export type QuotaCheck = { ok: true } | { ok: false; limit: keyof QuotaLimits; retryAfterMs: number };

const DAY_MS = 86_400_000;
const SECOND_MS = 1000;
const MINUTE_BUCKETS = 60;

/** Index of the UTC calendar day containing `now`. */
export function utcDayIndex(now: number): number {
  return Math.floor(now / DAY_MS);
}

/**
 * Would `cost` more go over `limits`? Pure. A refusal says which limit and how long until
 * there is room again: the oldest second leaving the minute, or the next UTC midnight.
 */
export function checkQuota(limits: QuotaLimits, usage: QuotaUsage, cost: QuotaUse, now: number): QuotaCheck {
  const untilMinuteFrees = Math.max(SECOND_MS, (usage.oldestMs ?? now) + 60 * SECOND_MS - now);
  const untilMidnight = Math.max(SECOND_MS, (utcDayIndex(now) + 1) * DAY_MS - now);
  if (limits.rpd !== undefined && usage.day.requests + cost.requests > limits.rpd) return { ok: false, limit: 'rpd', retryAfterMs: untilMidnight };
  if (limits.tpd !== undefined && cost.tokens > 0 && usage.day.tokens + cost.tokens > limits.tpd) {
    return { ok: false, limit: 'tpd', retryAfterMs: untilMidnight };
  }
  if (limits.rpm !== undefined && usage.minute.requests + cost.requests > limits.rpm) return { ok: false, limit: 'rpm', retryAfterMs: untilMinuteFrees };
  if (limits.tpm !== undefined && cost.tokens > 0 && usage.minute.tokens + cost.tokens > limits.tpm) {
    return { ok: false, limit: 'tpm', retryAfterMs: untilMinuteFrees };
  }
  return { ok: true };
}

export interface QuotaCounter {
  add(now: number, use: QuotaUse): void;
  usage(now: number): QuotaUsage;
}

/** Creates one provider's counter (in memory; the Redis state adds other instances' counts). */
export function createQuotaCounter(): QuotaCounter {
  const stamps = new Float64Array(MINUTE_BUCKETS).fill(-1);
  const requests = new Float64Array(MINUTE_BUCKETS);
  const tokens = new Float64Array(MINUTE_BUCKETS);
  const day = { index: -1, requests: 0, tokens: 0 };

  return {
    add(now, use) {
      const second = Math.floor(now / SECOND_MS);
      const slot = second % MINUTE_BUCKETS;
      if (stamps[slot] !== second) {
        stamps[slot] = second;
        requests[slot] = 0;
        tokens[slot] = 0;
      }
      requests[slot] = (requests[slot] ?? 0) + use.requests;
      tokens[slot] = (tokens[slot] ?? 0) + use.tokens;
      const today = utcDayIndex(now);
      if (day.index !== today) Object.assign(day, { index: today, requests: 0, tokens: 0 });
      day.requests += use.requests;
      day.tokens += use.tokens;
    },
    usage(now) {
      const current = Math.floor(now / SECOND_MS);
      const minute: QuotaUse = { requests: 0, tokens: 0 };
      let oldest: number | undefined;
      for (let k = 0; k < MINUTE_BUCKETS; k++) {
        const second = current - k;
        const slot = second % MINUTE_BUCKETS;
        if (second < 0 || stamps[slot] !== second) continue;
        minute.requests += requests[slot] ?? 0;
        minute.tokens += tokens[slot] ?? 0;
        oldest = second * SECOND_MS;
      }
      const today = utcDayIndex(now) === day.index ? { requests: day.requests, tokens: day.tokens } : { requests: 0, tokens: 0 };
      return { minute, day: today, oldestMs: oldest };
    },
  };
}
