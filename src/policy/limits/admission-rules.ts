/**
 * The admission decision, shared by the memory backend (and mirrored in the Redis Lua script):
 * given what a key has used, does one more request with this estimate fit every limit? The
 * first failing dimension is reported (a spent budget before anything else, since no retry
 * helps), and the retry delay is the longest wait among the failing ones.
 */
import type { KeyLimits } from './key-limits.js';
import type { LimitDimension, LimitSnapshot } from './limiter.js';

/** What one key has used, in each dimension, at the moment of the check. */
export interface UsageView {
  concurrent: number;
  minuteRequests: number;
  minuteTokens: number;
  dayRequests: number;
  dayTokens: number;
  spentNanos: number;
  /** Waits until the sliding windows make room for `need` more under `limit`. */
  minuteRequestWaitMs(limit: number): number;
  minuteTokenWaitMs(need: number, limit: number): number;
  minuteRequestResetMs(): number;
  minuteTokenResetMs(): number;
  /** Until the calendar day ends, and until the budget period ends (Infinity for `never`). */
  dayEndsInMs: number;
  periodEndsInMs: number;
}

export interface Verdict {
  dimension: LimitDimension;
  retryAfterMs: number | undefined;
}

/** Returns the refusal, or undefined when the request fits. */
export function judgeAdmission(limits: KeyLimits, view: UsageView, tokens: number, costNanos: number): Verdict | undefined {
  const failing: Array<[LimitDimension, number]> = [];
  if (limits.budget_usd !== undefined && view.spentNanos + costNanos > Math.round(limits.budget_usd * 1e9)) {
    failing.push(['budget', view.periodEndsInMs]);
  }
  if (limits.concurrency !== undefined && view.concurrent >= limits.concurrency) failing.push(['concurrency', 1_000]);
  if (limits.rpm !== undefined && view.minuteRequests + 1 > limits.rpm) failing.push(['rpm', view.minuteRequestWaitMs(limits.rpm)]);
  if (limits.rpd !== undefined && view.dayRequests + 1 > limits.rpd) failing.push(['rpd', view.dayEndsInMs]);
  if (limits.tpm !== undefined && view.minuteTokens + tokens > limits.tpm) failing.push(['tpm', view.minuteTokenWaitMs(tokens, limits.tpm)]);
  if (limits.tpd !== undefined && view.dayTokens + tokens > limits.tpd) failing.push(['tpd', view.dayEndsInMs]);
  const first = failing[0];
  if (!first) return undefined;
  const longest = Math.max(...failing.map(([, wait]) => wait));
  return { dimension: first[0], retryAfterMs: Number.isFinite(longest) ? Math.max(1, Math.ceil(longest)) : undefined };
}

/** The header windows after the decision (per-minute when set, else per-day). */
export function snapshotOf(limits: KeyLimits, view: UsageView): LimitSnapshot {
  const snapshot: LimitSnapshot = {};
  if (limits.rpm !== undefined) {
    snapshot.requests = { limit: limits.rpm, remaining: Math.max(0, limits.rpm - view.minuteRequests), resetMs: view.minuteRequestResetMs() };
  } else if (limits.rpd !== undefined) {
    snapshot.requests = { limit: limits.rpd, remaining: Math.max(0, limits.rpd - view.dayRequests), resetMs: view.dayRequests > 0 ? view.dayEndsInMs : 0 };
  }
  if (limits.tpm !== undefined) {
    snapshot.tokens = { limit: limits.tpm, remaining: Math.max(0, limits.tpm - view.minuteTokens), resetMs: view.minuteTokenResetMs() };
  } else if (limits.tpd !== undefined) {
    snapshot.tokens = { limit: limits.tpd, remaining: Math.max(0, limits.tpd - view.dayTokens), resetMs: view.dayTokens > 0 ? view.dayEndsInMs : 0 };
  }
  return snapshot;
}
