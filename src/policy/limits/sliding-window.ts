/**
 * A sliding one-minute window of one-second buckets (60 of them, summed): a request counted at
 * second s stops counting at s + 60. Advancing is O(seconds elapsed), at most 60.
 */
export const WINDOW_SECONDS = 60;

export class SlidingWindow {
  private readonly counts = new Float64Array(WINDOW_SECONDS);
  /** The newest second the buckets describe. */
  private head = Number.NEGATIVE_INFINITY;
  /** Sum of every bucket in the window. */
  total = 0;

  /** Moves the window to `second`, dropping buckets that fell out of it. */
  advance(second: number): void {
    if (second <= this.head) return;
    if (second - this.head >= WINDOW_SECONDS) {
      this.counts.fill(0);
      this.total = 0;
    } else {
      for (let s = this.head + 1; s <= second; s++) {
        const i = s % WINDOW_SECONDS;
        this.total -= this.counts[i] ?? 0;
        this.counts[i] = 0;
      }
    }
    this.head = second;
  }

  /** Adds `amount` (may be negative, on settle) to the bucket of `second` if it is still in the window. */
  add(second: number, amount: number): void {
    if (second <= this.head - WINDOW_SECONDS || second > this.head) return;
    const i = second % WINDOW_SECONDS;
    this.counts[i] = (this.counts[i] ?? 0) + amount;
    this.total += amount;
  }

  /** Milliseconds from `now` until `total + need <= limit` as old buckets expire (advance first). */
  waitMs(need: number, limit: number, now: number): number {
    let excess = this.total + need - limit;
    if (excess <= 0) return 0;
    for (let s = this.head - WINDOW_SECONDS + 1; s <= this.head; s++) {
      excess -= this.counts[s % WINDOW_SECONDS] ?? 0;
      if (excess <= 0) return Math.max(0, (s + WINDOW_SECONDS) * 1000 - now);
    }
    // More than the whole limit: never fits; report the full window.
    return WINDOW_SECONDS * 1000;
  }

  /** Milliseconds from `now` until every bucket has expired (advance first). */
  resetMs(now: number): number {
    for (let s = this.head; s > this.head - WINDOW_SECONDS; s--) {
      if ((this.counts[s % WINDOW_SECONDS] ?? 0) > 0) return Math.max(0, (s + WINDOW_SECONDS) * 1000 - now);
    }
    return 0;
  }
}
