/**
 * The most recent latency samples in a fixed ring (O(1) to add, nothing allocated); percentiles
 * are computed only when someone asks (`/status`), over the samples still inside the span.
 */

export interface Percentiles {
  p50: number;
  p95: number;
  count: number;
}

export interface LatencySamples {
  add(now: number, ms: number): void;
  /** p50/p95 of the samples taken in the last `spanMs`; undefined when there are none. */
  percentiles(now: number, spanMs: number): Percentiles | undefined;
  /** Raw samples in the span, for merging several rings (a provider's targets). */
  values(now: number, spanMs: number): number[];
}

/** Creates a ring holding the last `capacity` samples. */
export function createLatencySamples(capacity = 256): LatencySamples {
  const times = new Float64Array(capacity).fill(Number.NEGATIVE_INFINITY);
  const values = new Float64Array(capacity);
  let next = 0;

  const inSpan = (now: number, spanMs: number): number[] => {
    const out: number[] = [];
    for (let i = 0; i < capacity; i++) if ((times[i] ?? Number.NEGATIVE_INFINITY) > now - spanMs) out.push(values[i] ?? 0);
    return out;
  };

  return {
    add(now, ms) {
      times[next] = now;
      values[next] = ms;
      next = (next + 1) % capacity;
    },
    percentiles: (now, spanMs) => computePercentiles(inSpan(now, spanMs)),
    values: inSpan,
  };
}

/** Nearest-rank p50 and p95 of `samples` (any order); undefined for none. */
export function computePercentiles(samples: number[]): Percentiles | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { p50: rank(0.5), p95: rank(0.95), count: sorted.length };
}
