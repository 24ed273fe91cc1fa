/**
 * The in-process limiter (one instance, the default). Everything is synchronous: a reservation
 * is a few array operations, with no await and no allocation beyond the reservation itself.
 * Every dimension is tracked for every limited key, so a limit added later by PATCH starts from
 * the real recent usage.
 */
import { judgeAdmission, snapshotOf, type UsageView } from './admission-rules.js';
import type { Calendar } from './calendar.js';
import type { KeyLimits } from './key-limits.js';
import type { Admission, Limiter, Reservation, ReserveRequest } from './limiter.js';
import { SlidingWindow } from './sliding-window.js';

interface KeyState {
  minuteRequests: SlidingWindow;
  minuteTokens: SlidingWindow;
  day: string;
  dayRequests: number;
  dayTokens: number;
  /** Budget period key (`monthly:2026-08`), and what was spent in it. */
  period: string;
  spentNanos: number;
  concurrent: number;
}

/** Usage already recorded before this process started (from the usage log), to carry limits across restarts. */
export interface LimitSeed {
  day: string;
  dayRequests: number;
  dayTokens: number;
  period: string;
  spentNanos: number;
}

export interface MemoryLimiter extends Limiter {
  reserve(request: ReserveRequest): Admission;
  settle(reservation: Reservation, actual: { tokens: number; costNanos: number }): void;
  /** Starts a key's day and budget counters from recorded usage. */
  seed(keyId: string, seed: LimitSeed): void;
}

/** The budget period key for `limits` at `now` ('' when the key has no budget). */
export function budgetPeriodKey(calendar: Calendar, limits: KeyLimits, now: number): { key: string; endsAt: number } {
  if (limits.budget_usd === undefined) return { key: '', endsAt: Number.POSITIVE_INFINITY };
  const kind = limits.budget_period ?? 'monthly';
  const period = calendar.budget(kind, now);
  return { key: `${kind}:${period.key}`, endsAt: period.endsAt };
}

export function createMemoryLimiter(options: { calendar: Calendar; now?: () => number }): MemoryLimiter {
  const now = options.now ?? Date.now;
  const { calendar } = options;
  const states = new Map<string, KeyState>();
  let sequence = 0;

  function stateOf(keyId: string): KeyState {
    let state = states.get(keyId);
    if (!state) {
      state = {
        minuteRequests: new SlidingWindow(), minuteTokens: new SlidingWindow(),
        day: '', dayRequests: 0, dayTokens: 0, period: '', spentNanos: 0, concurrent: 0,
      };
      states.set(keyId, state);
    }
    return state;
  }

  function viewOf(state: KeyState, at: number, dayEndsAt: number, periodEndsAt: number): UsageView {
    return {
      concurrent: state.concurrent,
      minuteRequests: state.minuteRequests.total,
      minuteTokens: state.minuteTokens.total,
      dayRequests: state.dayRequests,
      dayTokens: state.dayTokens,
      spentNanos: state.spentNanos,
      minuteRequestWaitMs: (limit) => state.minuteRequests.waitMs(1, limit, at),
      minuteTokenWaitMs: (need, limit) => state.minuteTokens.waitMs(need, limit, at),
      minuteRequestResetMs: () => state.minuteRequests.resetMs(at),
      minuteTokenResetMs: () => state.minuteTokens.resetMs(at),
      dayEndsInMs: dayEndsAt - at,
      periodEndsInMs: periodEndsAt - at,
    };
  }

  return {
    kind: 'memory',
    reserve(request) {
      const at = now();
      const second = Math.floor(at / 1000);
      const state = stateOf(request.keyId);
      const day = calendar.day(at);
      if (state.day !== day.key) {
        state.day = day.key;
        state.dayRequests = 0;
        state.dayTokens = 0;
      }
      const period = budgetPeriodKey(calendar, request.limits, at);
      if (state.period !== period.key) {
        state.period = period.key;
        state.spentNanos = 0;
      }
      state.minuteRequests.advance(second);
      state.minuteTokens.advance(second);
      const verdict = judgeAdmission(request.limits, viewOf(state, at, day.endsAt, period.endsAt), request.tokens, request.costNanos);
      if (verdict) return { admitted: false, ...verdict, snapshot: snapshotOf(request.limits, viewOf(state, at, day.endsAt, period.endsAt)) };
      state.minuteRequests.add(second, 1);
      state.minuteTokens.add(second, request.tokens);
      state.dayRequests += 1;
      state.dayTokens += request.tokens;
      state.spentNanos += request.costNanos;
      state.concurrent += 1;
      const reservation: Reservation = {
        id: `mem-${++sequence}`, keyId: request.keyId, limits: request.limits, tokens: request.tokens, costNanos: request.costNanos,
        at, day: day.key, period: period.key, periodEndsAt: period.endsAt, slot: true,
      };
      return { admitted: true, reservation, snapshot: snapshotOf(request.limits, viewOf(state, at, day.endsAt, period.endsAt)) };
    },
    settle(reservation, actual) {
      const state = states.get(reservation.keyId);
      if (!state) return;
      if (reservation.slot) {
        reservation.slot = false;
        state.concurrent = Math.max(0, state.concurrent - 1);
      }
      const tokenDelta = actual.tokens - reservation.tokens;
      if (tokenDelta !== 0) {
        state.minuteTokens.advance(Math.floor(now() / 1000));
        state.minuteTokens.add(Math.floor(reservation.at / 1000), tokenDelta);
        if (state.day === reservation.day) state.dayTokens += tokenDelta;
      }
      if (state.period === reservation.period) state.spentNanos += actual.costNanos - reservation.costNanos;
    },
    seed(keyId, seed) {
      const state = stateOf(keyId);
      if (state.day === '' || state.day === seed.day) {
        state.day = seed.day;
        state.dayRequests += seed.dayRequests;
        state.dayTokens += seed.dayTokens;
      }
      if (seed.period !== '' && (state.period === '' || state.period === seed.period)) {
        state.period = seed.period;
        state.spentNanos += seed.spentNanos;
      }
    },
    close: () => Promise.resolve(),
  };
}
