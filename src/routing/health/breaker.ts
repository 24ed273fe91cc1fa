/**
 * One target's circuit breaker. closed → open when the windowed error rate reaches the
 * threshold (with a minimum number of requests) → half-open after the cool-down, where one
 * probe at a time is let through → closed when a probe succeeds, open again when it fails.
 * A rejected provider key (401/403) or an exhausted provider quota opens it at once; a 429 with
 * Retry-After "cools" it: open for that long, then straight back to closed.
 */
import { createOutcomeWindow } from './outcome-window.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  /** Error share (0–1) that opens the breaker. */
  errorRate: number;
  /** Fewer requests than this in the window never open it. */
  minRequests: number;
  windowMs: number;
  /** How long an opened breaker stays open before a probe is let through. */
  cooldownMs: number;
}

/** The shared part of a breaker (what the Redis state replicates between instances). */
export interface BreakerStatus {
  state: BreakerState;
  /** Why it is not closed (`bad key (HTTP 401)`, `error rate 80% …`); null when closed. */
  reason: string | null;
  /** When this state began (ms since the epoch); newer wins when instances disagree. */
  since: number;
  /** While open: when it stops being open. */
  until: number | null;
  /** While open: what follows (`half-open` after a trip, `closed` after a Retry-After cool-down). */
  next: 'half-open' | 'closed';
}

/** What went wrong with an attempt, as far as the target's health is concerned. */
export type TargetFailure =
  | { kind: 'error'; code: string }
  | { kind: 'bad-key'; status: number }
  | { kind: 'quota-exhausted' }
  | { kind: 'cool'; retryAfterMs: number };

export interface BreakerView {
  state: BreakerState;
  /** May a request be sent now? (closed, or half-open with no probe under way) */
  available: boolean;
  reason: string | null;
  since: number;
  until: number | null;
}

export interface Breaker {
  view(now: number): BreakerView;
  /** The replicable status (after applying any cool-down that has run out). */
  status(now: number): BreakerStatus;
  /** Returns true when the state changed. */
  recordSuccess(now: number): boolean;
  recordFailure(failure: TargetFailure, now: number): boolean;
  /** A half-open probe starts; no other is let through until it ends (or a cool-down passes). */
  beginProbe(now: number): void;
  endProbe(): void;
  /** Adopts a newer status from another instance; returns true if it was applied. */
  adopt(status: BreakerStatus): boolean;
}

const CLOSED_AT = (since: number): BreakerStatus => ({ state: 'closed', reason: null, since, until: null, next: 'half-open' });

/** Creates a closed breaker. */
export function createBreaker(settings: BreakerSettings): Breaker {
  // Ten buckets per window: the rate is measured at a tenth of the window's resolution.
  const window = createOutcomeWindow({ bucketMs: Math.max(1, Math.ceil(settings.windowMs / 10)), buckets: 11 });
  let status: BreakerStatus = CLOSED_AT(0);
  let probeStartedAt: number | undefined;

  const settle = (now: number): void => {
    if (status.state === 'open' && status.until !== null && now >= status.until) {
      status = status.next === 'closed' ? CLOSED_AT(status.until) : { ...status, state: 'half-open', since: status.until, until: null };
      probeStartedAt = undefined;
      if (status.state === 'closed') window.clear();
    }
  };
  const open = (reason: string, now: number, ms: number, next: BreakerStatus['next']): boolean => {
    status = { state: 'open', reason, since: now, until: now + ms, next };
    probeStartedAt = undefined;
    return true;
  };

  return {
    view(now) {
      settle(now);
      const probing = probeStartedAt !== undefined && now - probeStartedAt < settings.cooldownMs;
      const available = status.state === 'closed' || (status.state === 'half-open' && !probing);
      return { state: status.state, available, reason: status.reason, since: status.since, until: status.until };
    },
    status(now) {
      settle(now);
      return status;
    },
    recordSuccess(now) {
      settle(now);
      if (status.state === 'half-open') {
        status = CLOSED_AT(now);
        probeStartedAt = undefined;
        window.clear();
        return true;
      }
      if (status.state === 'closed') window.add(now, false);
      return false;
    },
    recordFailure(failure, now) {
      settle(now);
      switch (failure.kind) {
        case 'bad-key':
          return open(`bad key (HTTP ${failure.status})`, now, settings.cooldownMs, 'half-open');
        case 'quota-exhausted':
          return open('provider quota exhausted', now, settings.cooldownMs, 'half-open');
        case 'cool':
          if (status.state === 'open' && status.until !== null && status.until >= now + failure.retryAfterMs) return false;
          return open(`rate limited (Retry-After ${formatSeconds(failure.retryAfterMs)})`, now, failure.retryAfterMs,
            status.state === 'closed' ? 'closed' : 'half-open');
        case 'error':
          return recordError(failure.code, now);
      }
    },
    beginProbe(now) {
      settle(now);
      if (status.state === 'half-open') probeStartedAt = now;
    },
    endProbe() {
      probeStartedAt = undefined;
    },
    adopt(remote) {
      if (remote.since <= status.since) return false;
      status = remote;
      probeStartedAt = undefined;
      if (remote.state === 'closed') window.clear();
      return true;
    },
  };

  function recordError(code: string, now: number): boolean {
    if (status.state === 'half-open') return open(`probe failed (${code})`, now, settings.cooldownMs, 'half-open');
    if (status.state !== 'closed') return false;
    window.add(now, true);
    const { requests, errors } = window.totals(now, settings.windowMs);
    if (requests < settings.minRequests || errors / requests < settings.errorRate) return false;
    const reason = `error rate ${Math.round((errors / requests) * 100)}% (${errors} of ${requests} requests in ${formatSeconds(settings.windowMs)}; last: ${code})`;
    return open(reason, now, settings.cooldownMs, 'half-open');
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
