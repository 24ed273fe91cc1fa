/**
 * Successes and failures counted in fixed time buckets over a sliding span: a ring of
 * `buckets` slots of `bucketMs` each. Adding is O(1); totals cost one pass over the span's
 * buckets. Time comes from the caller, so tests drive it with a fake clock.
 */

export interface OutcomeTotals {
  requests: number;
  errors: number;
}

export interface OutcomeWindow {
  add(now: number, failed: boolean): void;
  /** Totals over the last `spanMs` (rounded up to whole buckets, the current partial one included). */
  totals(now: number, spanMs: number): OutcomeTotals;
  clear(): void;
}

export interface OutcomeWindowOptions {
  bucketMs: number;
  /** Ring size: the longest span that can be asked for is `bucketMs × buckets`. */
  buckets: number;
}

/** Creates an empty window. */
export function createOutcomeWindow(options: OutcomeWindowOptions): OutcomeWindow {
  const { bucketMs, buckets } = options;
  // Which absolute bucket each slot currently holds; a stale slot is reset when reused.
  const stamps = new Float64Array(buckets).fill(-1);
  const requests = new Uint32Array(buckets);
  const errors = new Uint32Array(buckets);

  return {
    add(now, failed) {
      const bucket = Math.floor(now / bucketMs);
      const slot = bucket % buckets;
      if (stamps[slot] !== bucket) {
        stamps[slot] = bucket;
        requests[slot] = 0;
        errors[slot] = 0;
      }
      requests[slot] = (requests[slot] ?? 0) + 1;
      if (failed) errors[slot] = (errors[slot] ?? 0) + 1;
    },
    totals(now, spanMs) {
      const current = Math.floor(now / bucketMs);
      const span = Math.min(buckets, Math.max(1, Math.ceil(spanMs / bucketMs)));
      const out: OutcomeTotals = { requests: 0, errors: 0 };
      for (let k = 0; k < span; k++) {
        const bucket = current - k;
        const slot = bucket % buckets;
        if (bucket < 0 || stamps[slot] !== bucket) continue;
        out.requests += requests[slot] ?? 0;
        out.errors += errors[slot] ?? 0;
      }
      return out;
    },
    clear() {
      stamps.fill(-1);
    },
  };
}
