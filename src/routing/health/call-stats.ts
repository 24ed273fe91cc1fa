/**
 * Recent traffic per target and per model group, for `/status` and least-latency routing:
 * requests in flight, outcomes per minute over the last hour, latency and time-to-first-token
 * samples, and a moving average of time to first token. Every update is O(1).
 */
import { createLatencySamples, type LatencySamples } from './latency-samples.js';
import { createOutcomeWindow, type OutcomeWindow } from './outcome-window.js';

export interface StatsEntry {
  inflight: number;
  /** One-minute buckets over the last hour. */
  outcomes: OutcomeWindow;
  /** Whole answer (non-streamed) or whole stream, in ms. */
  latency: LatencySamples;
  /** Until the first event of a stream, or the whole answer when not streamed, in ms. */
  ttft: LatencySamples;
  /** Exponential moving average of `ttft` (recent samples weigh most); undefined before any. */
  ttftAverageMs: number | undefined;
}

export interface StatsBook {
  entry(key: string): StatsEntry;
  get(key: string): StatsEntry | undefined;
  entries(): IterableIterator<[string, StatsEntry]>;
  clear(): void;
}

/** Weight of the newest sample in the moving average. */
const EWMA_WEIGHT = 0.3;

/** Adds a time-to-first-token sample to the ring and the moving average. */
export function recordTtft(entry: StatsEntry, now: number, ms: number): void {
  entry.ttft.add(now, ms);
  entry.ttftAverageMs = entry.ttftAverageMs === undefined ? ms : entry.ttftAverageMs + EWMA_WEIGHT * (ms - entry.ttftAverageMs);
}

/** Creates an empty book; entries appear on first use. */
export function createStatsBook(): StatsBook {
  const entries = new Map<string, StatsEntry>();
  return {
    entry(key) {
      let entry = entries.get(key);
      if (!entry) {
        entry = {
          inflight: 0,
          outcomes: createOutcomeWindow({ bucketMs: 60_000, buckets: 61 }),
          latency: createLatencySamples(),
          ttft: createLatencySamples(),
          ttftAverageMs: undefined,
        };
        entries.set(key, entry);
      }
      return entry;
    },
    get: (key) => entries.get(key),
    entries: () => entries.entries(),
    clear: () => entries.clear(),
  };
}
