/** Counts client aborts seen by a fake upstream, with a promise a test can await. */
export interface AbortCounter {
  note(): void;
  readonly count: number;
  /** Resolves once at least `count` aborts were seen. */
  waitFor(count: number): Promise<void>;
  /** Sets the count back to 0 (waiters keep waiting). */
  reset(): void;
}

export function createAbortCounter(): AbortCounter {
  let count = 0;
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  return {
    note() {
      count++;
      waiters = waiters.filter((waiter) => (count >= waiter.count ? (waiter.resolve(), false) : true));
    },
    get count() {
      return count;
    },
    waitFor(target) {
      if (count >= target) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push({ count: target, resolve }));
    },
    reset() {
      count = 0;
    },
  };
}
