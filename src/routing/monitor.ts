/**
 * The routing monitor: what every call teaches the router. It orders a plan's targets by
 * health (breakers, provider quotas, recent latency), wraps each upstream attempt (quota
 * accounting, in-flight counts, timing, breaker outcome) and records how the answer ended
 * (call-tracking.ts). Everything here is O(1) per attempt and synchronous: nothing on the
 * request path waits for it.
 */
import type { GatewayError } from '../core/errors.js';
import type { Usage } from '../core/types.js';
import { CallTracking } from './call-tracking.js';
import { createStatsBook, type StatsBook } from './health/call-stats.js';
import type { QuotaLimits } from './health/quota-window.js';
import type { RoutingState } from './health/routing-state.js';
import type { RoutePlan, Target } from './plan.js';

export { classifyFailure } from './call-tracking.js';

/** Counters the monitor feeds (implemented in telemetry/metrics.ts). */
export interface RoutingMetrics {
  /** One upstream attempt ended: `ok`, `cancelled` or the error code. */
  attempt(provider: string, result: string): void;
  retry(provider: string): void;
  fallback(model: string): void;
  /** A target was not tried because its provider's quota would be exceeded. */
  quotaRefusal(provider: string, limit: string): void;
  cost(provider: string, model: string, usd: number): void;
}

export interface MonitorOptions {
  state: RoutingState;
  /** Provider id → its configured quota (`providers.<id>.limits`). */
  limits: ReadonlyMap<string, QuotaLimits>;
  metrics: RoutingMetrics;
  /** Wall clock (ms since the epoch) for windows, cool-downs and quotas; injected for tests. */
  now: () => number;
  /** Monotonic clock for durations (default `performance.now`). */
  clock?: () => number;
}

/** How a delivered answer ended. */
export interface SettleOutcome {
  usage?: Usage;
  /** A failure after the first event (a stream cut, an in-band upstream error). */
  error?: GatewayError;
  /** The caller went away first: says nothing about the target. */
  abandoned?: boolean;
}

/** One call's view of the monitor. */
export interface CallTracker {
  /** The targets to try, in order (strategy, then health). */
  order(random: () => number): Target[];
  /** Runs `run(target)` as one attempt; throws a 429-like error without calling when over its quota. */
  attempt<T>(target: Target, run: (target: Target) => Promise<T>, signal: AbortSignal): Promise<T>;
  /** The answer was delivered (streams: when the stream ended). Idempotent. */
  settle(outcome: SettleOutcome): void;
  /** Every target failed. */
  fail(error: GatewayError, signal: AbortSignal): void;
}

export interface RouteMonitor {
  begin(plan: RoutePlan, options: { stream: boolean; estimateTokens?: () => number }): CallTracker;
  readonly state: RoutingState;
  readonly limits: ReadonlyMap<string, QuotaLimits>;
  /** Per target (`provider/model`): attempts. */
  readonly targets: StatsBook;
  /** Per configured model group: whole calls. */
  readonly groups: StatsBook;
  /** Streams between their first event and their end. */
  inflightStreams(): number;
  now(): number;
  /** Forgets breakers, quota use and stats (tests; an operator's "reset health"). */
  reset(): void;
}

/** Creates the monitor for one gateway. */
export function createRouteMonitor(options: MonitorOptions): RouteMonitor {
  const context = {
    state: options.state,
    limits: options.limits,
    metrics: options.metrics,
    now: options.now,
    clock: options.clock ?? performance.now.bind(performance),
    targets: createStatsBook(),
    groups: createStatsBook(),
    streams: { count: 0 },
  };
  return {
    begin: (plan, call) => new CallTracking(context, plan, call),
    state: context.state,
    limits: context.limits,
    targets: context.targets,
    groups: context.groups,
    inflightStreams: () => context.streams.count,
    now: context.now,
    reset() {
      context.state.reset();
      context.targets.clear();
      context.groups.clear();
      context.streams.count = 0;
    },
  };
}
