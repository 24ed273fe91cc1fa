/**
 * The `/status` document: overall state, then each provider and each model group — up,
 * degraded or down, breaker state and why, p50/p95 latency and time to first token, error
 * rates over 5 and 60 minutes, requests in flight, provider quota use. Pure: built from the
 * monitor's state at `now`. Holds ids, model names and numbers only — no keys, no prompt text.
 */
import type { BreakerView } from '../routing/health/breaker.js';
import type { StatsEntry } from '../routing/health/call-stats.js';
import { computePercentiles } from '../routing/health/latency-samples.js';
import { checkQuota, type QuotaLimits } from '../routing/health/quota-window.js';
import type { RouteMonitor } from '../routing/monitor.js';

export type Health = 'up' | 'degraded' | 'down';

export interface StatusInput {
  monitor: RouteMonitor;
  /** Configured provider ids. */
  providers: readonly string[];
  /** Configured model groups: name → strategy and target keys (`provider/model`). */
  groups: ReadonlyMap<string, { strategy: string; targets: readonly string[] }>;
  startedAt: number;
}

/** A 5-minute error rate at or above this (with a few requests) marks a target or group degraded. */
const DEGRADED_ERROR_RATE = 0.25;
const FIVE_MINUTES = 300_000;
const HOUR = 3_600_000;

interface Traffic {
  in_flight: number;
  requests_5m: number;
  error_rate_5m: number | null;
  requests_60m: number;
  error_rate_60m: number | null;
  latency_ms: { p50: number; p95: number; samples: number } | null;
  ttft_ms: { p50: number; p95: number; samples: number } | null;
}

/** Builds the document. */
export function buildStatusReport(input: StatusInput): Record<string, unknown> {
  const { monitor } = input;
  const now = monitor.now();
  const breakers = new Map(monitor.state.breakers(now));
  const breakerOf = (key: string): BreakerView => breakers.get(key) ?? monitor.state.breaker(key, now);
  const targetReport = (key: string): Record<string, unknown> & { status: Health } => {
    const stats = monitor.targets.get(key);
    const traffic = summarise(stats ? [stats] : [], now);
    const breaker = breakerOf(key);
    const slash = key.indexOf('/');
    return { provider: key.slice(0, slash), model: key.slice(slash + 1), status: targetHealth(breaker, traffic), breaker: describeBreaker(breaker), ...traffic };
  };

  const providerKeys = new Map<string, Set<string>>(input.providers.map((id) => [id, new Set<string>()]));
  const allKeys = [...new Set([...[...input.groups.values()].flatMap((g) => g.targets), ...breakers.keys(), ...[...monitor.targets.entries()].map(([k]) => k)])];
  for (const key of allKeys) providerKeys.get(key.slice(0, key.indexOf('/')))?.add(key);

  const providers: Record<string, unknown> = {};
  const providerHealth: Health[] = [];
  for (const [id, keys] of providerKeys) {
    const targets = [...keys].map(targetReport);
    const traffic = summarise([...keys].flatMap((k) => monitor.targets.get(k) ?? []), now);
    const quota = describeQuota(monitor, id, now);
    const status = combine(targets.map((t) => t.status), traffic, quota?.exhausted !== undefined);
    providerHealth.push(status);
    providers[id] = { status, ...traffic, ...(quota ? { quota } : {}), targets };
  }

  const models: Record<string, unknown> = {};
  const groupHealth: Health[] = [];
  for (const [name, group] of input.groups) {
    const targets = group.targets.map(targetReport);
    const stats = monitor.groups.get(name);
    const traffic = summarise(stats ? [stats] : [], now);
    const status = combine(targets.map((t) => t.status), traffic, false);
    groupHealth.push(status);
    models[name] = { status, strategy: group.strategy, ...traffic, targets };
  }

  return {
    status: overall(providerHealth, groupHealth),
    time: new Date(now).toISOString(),
    uptime_s: Math.round((now - input.startedAt) / 1000),
    in_flight: { streams: monitor.inflightStreams(), upstream_requests: [...monitor.targets.entries()].reduce((n, [, e]) => n + e.inflight, 0) },
    providers,
    models,
  };
}

function summarise(entries: StatsEntry[], now: number): Traffic {
  let inFlight = 0;
  const five = { requests: 0, errors: 0 };
  const hour = { requests: 0, errors: 0 };
  const latency: number[] = [];
  const ttft: number[] = [];
  for (const entry of entries) {
    inFlight += entry.inflight;
    const f = entry.outcomes.totals(now, FIVE_MINUTES);
    const h = entry.outcomes.totals(now, HOUR);
    five.requests += f.requests;
    five.errors += f.errors;
    hour.requests += h.requests;
    hour.errors += h.errors;
    latency.push(...entry.latency.values(now, FIVE_MINUTES));
    ttft.push(...entry.ttft.values(now, FIVE_MINUTES));
  }
  const rate = (t: { requests: number; errors: number }): number | null => (t.requests === 0 ? null : round(t.errors / t.requests));
  const pct = (values: number[]): Traffic['latency_ms'] => {
    const p = computePercentiles(values);
    return p ? { p50: round(p.p50), p95: round(p.p95), samples: p.count } : null;
  };
  return {
    in_flight: inFlight,
    requests_5m: five.requests,
    error_rate_5m: rate(five),
    requests_60m: hour.requests,
    error_rate_60m: rate(hour),
    latency_ms: pct(latency),
    ttft_ms: pct(ttft),
  };
}

function targetHealth(breaker: BreakerView, traffic: Traffic): Health {
  if (breaker.state === 'open') return 'down';
  if (breaker.state === 'half-open' || isErroring(traffic)) return 'degraded';
  return 'up';
}

function isErroring(traffic: Traffic): boolean {
  return traffic.requests_5m >= 3 && (traffic.error_rate_5m ?? 0) >= DEGRADED_ERROR_RATE;
}

/** Down when every target is down; degraded when any is not up, errors are frequent, or a quota is spent. */
function combine(targets: Health[], traffic: Traffic, quotaExhausted: boolean): Health {
  if (targets.length > 0 && targets.every((t) => t === 'down')) return 'down';
  if (quotaExhausted || isErroring(traffic) || targets.some((t) => t !== 'up')) return 'degraded';
  return 'up';
}

function overall(providers: Health[], groups: Health[]): Health {
  if (providers.length > 0 && providers.every((p) => p === 'down')) return 'down';
  return [...providers, ...groups].some((h) => h !== 'up') ? 'degraded' : 'up';
}

function describeBreaker(view: BreakerView): Record<string, unknown> {
  return {
    state: view.state,
    reason: view.reason,
    since: view.since > 0 ? new Date(view.since).toISOString() : null,
    until: view.until === null ? null : new Date(view.until).toISOString(),
  };
}

function describeQuota(monitor: RouteMonitor, provider: string, now: number): { limits: QuotaLimits; used: Record<string, number>; exhausted?: string } | undefined {
  const limits = monitor.limits.get(provider);
  if (!limits) return undefined;
  const usage = monitor.state.quotaUsage(provider, now);
  const check = checkQuota(limits, usage, { requests: 1, tokens: 1 }, now);
  return {
    limits,
    used: { rpm: usage.minute.requests, tpm: usage.minute.tokens, rpd: usage.day.requests, tpd: usage.day.tokens },
    ...(check.ok ? {} : { exhausted: check.limit }),
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
