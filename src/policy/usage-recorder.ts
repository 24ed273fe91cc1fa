/**
 * Usage events leave the hot path through a queue: `record` is an array push; a batch is
 * written when `batch_size` events wait or `flush_ms` after the first one, one write at a time.
 * A failed write keeps its events for the next attempt (up to a cap, then the oldest are
 * dropped and counted). `close` writes whatever is left: SIGTERM loses nothing.
 */
import type { UsageEvent, UsageRepository } from '../store/usage-repository.js';

export interface UsageRecorder {
  record(event: UsageEvent): void;
  /** Writes every queued event now (admin reads call it so they see this instance's latest requests). */
  flush(): Promise<void>;
  /** Events waiting to be written. */
  readonly pending: number;
  /** Events dropped because the database stayed unavailable. */
  readonly dropped: number;
  close(): Promise<void>;
}

export interface UsageRecorderOptions {
  repository: UsageRepository;
  flushMs: number;
  batchSize: number;
  /** Reports a failed write (the events are kept and retried). */
  onError?: (error: unknown) => void;
  /** Most events kept while writes fail. */
  maxQueued?: number;
}

export function createUsageRecorder(options: UsageRecorderOptions): UsageRecorder {
  const maxQueued = options.maxQueued ?? 100_000;
  let queue: UsageEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let immediate = false;
  let writing: Promise<void> = Promise.resolve();
  let dropped = 0;
  let closed = false;

  async function writeQueued(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.length <= options.batchSize ? queue : queue.slice(0, options.batchSize);
      queue = batch === queue ? [] : queue.slice(batch.length);
      try {
        await options.repository.insert(batch);
      } catch (error) {
        queue = batch.concat(queue);
        if (queue.length > maxQueued) {
          dropped += queue.length - maxQueued;
          queue = queue.slice(queue.length - maxQueued);
        }
        options.onError?.(error);
        if (!closed) schedule();
        return;
      }
    }
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    immediate = false;
    writing = writing.then(writeQueued);
    return writing;
  }

  function schedule(): void {
    if (timer || closed) return;
    // Unref'd: a pending flush never keeps the process alive; shutdown calls close().
    timer = setTimeout(() => void flush(), options.flushMs);
    timer.unref();
  }

  return {
    record(event) {
      queue.push(event);
      if (queue.length >= options.batchSize) {
        if (!immediate) {
          immediate = true;
          setImmediate(() => void flush());
        }
      } else {
        schedule();
      }
    },
    flush,
    get pending() {
      return queue.length;
    },
    get dropped() {
      return dropped;
    },
    async close() {
      closed = true;
      await flush();
    },
  };
}
