/**
 * Health and provider-quota state, behind one interface so it can live in this process
 * (`createMemoryRoutingState`) or be shared by every instance through Redis
 * (`createRedisRoutingState`). Reads are synchronous — planning never waits on I/O — and
 * writes are O(1); the Redis implementation replicates in the background.
 */
import { createBreaker, type Breaker, type BreakerSettings, type BreakerStatus, type BreakerView, type TargetFailure } from './breaker.js';
import { createQuotaCounter, type QuotaCounter, type QuotaUsage, type QuotaUse } from './quota-window.js';

export interface RoutingState {
  /** The breaker of target `key` (`provider-id/upstream-model`) as planning sees it now. */
  breaker(key: string, now: number): BreakerView;
  /** Every target with a breaker so far, for `/status` and `/metrics`. */
  breakers(now: number): Array<[string, BreakerView]>;
  recordSuccess(key: string, now: number): void;
  recordFailure(key: string, failure: TargetFailure, now: number): void;
  beginProbe(key: string, now: number): void;
  endProbe(key: string): void;
  /** What this provider has used (all instances, as last seen, when shared). */
  quotaUsage(provider: string, now: number): QuotaUsage;
  addQuotaUse(provider: string, use: QuotaUse, now: number): void;
  /** Pushes local changes and pulls others' (no-op in memory). */
  sync(): Promise<void>;
  /** Forgets this instance's view (every breaker closed, no quota use); shared state is left alone. */
  reset(): void;
  close(): Promise<void>;
}

/** Hooks the shared implementation uses to learn what changed locally. */
export interface MemoryStateHooks {
  onTransition?(key: string, status: BreakerStatus): void;
  onQuotaUse?(provider: string, use: QuotaUse): void;
}

/** The in-process state, also adopted by the Redis implementation for other instances' changes. */
export interface MemoryRoutingState extends RoutingState {
  adoptBreaker(key: string, status: BreakerStatus): void;
  breakerStatus(key: string, now: number): BreakerStatus;
}

/** Creates state held in this process only. */
export function createMemoryRoutingState(settings: BreakerSettings, hooks: MemoryStateHooks = {}): MemoryRoutingState {
  const breakers = new Map<string, Breaker>();
  const quotas = new Map<string, QuotaCounter>();
  const breakerOf = (key: string): Breaker => {
    let breaker = breakers.get(key);
    if (!breaker) breakers.set(key, (breaker = createBreaker(settings)));
    return breaker;
  };
  const quotaOf = (provider: string): QuotaCounter => {
    let counter = quotas.get(provider);
    if (!counter) quotas.set(provider, (counter = createQuotaCounter()));
    return counter;
  };
  const changed = (key: string, breaker: Breaker, now: number): void => hooks.onTransition?.(key, breaker.status(now));

  return {
    breaker: (key, now) => breakerOf(key).view(now),
    breakers: (now) => [...breakers].map(([key, breaker]) => [key, breaker.view(now)]),
    recordSuccess(key, now) {
      const breaker = breakerOf(key);
      if (breaker.recordSuccess(now)) changed(key, breaker, now);
    },
    recordFailure(key, failure, now) {
      const breaker = breakerOf(key);
      if (breaker.recordFailure(failure, now)) changed(key, breaker, now);
    },
    beginProbe: (key, now) => breakerOf(key).beginProbe(now),
    endProbe: (key) => breakers.get(key)?.endProbe(),
    quotaUsage: (provider, now) => quotaOf(provider).usage(now),
    addQuotaUse(provider, use, now) {
      quotaOf(provider).add(now, use);
      hooks.onQuotaUse?.(provider, use);
    },
    adoptBreaker: (key, status) => void breakerOf(key).adopt(status),
    breakerStatus: (key, now) => breakerOf(key).status(now),
    sync: () => Promise.resolve(),
    reset() {
      breakers.clear();
      quotas.clear();
    },
    close: () => Promise.resolve(),
  };
}
