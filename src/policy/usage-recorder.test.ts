import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UsageEvent, UsageRepository } from '../store/usage-repository.js';
import { createUsageRecorder } from './usage-recorder.js';

const event = (n: number): UsageEvent => ({ requestId: `req_${n}` } as UsageEvent);

function fakeRepository(): UsageRepository & { batches: string[][]; failNext: number } {
  const repo = {
    batches: [] as string[][],
    failNext: 0,
    insert(events: readonly UsageEvent[]): Promise<void> {
      if (repo.failNext > 0) {
        repo.failNext--;
        return Promise.reject(new Error('database is down'));
      }
      repo.batches.push(events.map((e) => e.requestId));
      return Promise.resolve();
    },
    report: () => Promise.reject(new Error('unused')),
    recent: () => Promise.reject(new Error('unused')),
    usedSince: () => Promise.reject(new Error('unused')),
  };
  return repo;
}

describe('createUsageRecorder', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes nothing on the request path, then one batch after flush_ms', async () => {
    const repo = fakeRepository();
    const recorder = createUsageRecorder({ repository: repo, flushMs: 1_000, batchSize: 100 });
    recorder.record(event(1));
    recorder.record(event(2));
    expect(repo.batches).toEqual([]);
    expect(recorder.pending).toBe(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(repo.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(repo.batches).toEqual([['req_1', 'req_2']]);
    expect(recorder.pending).toBe(0);
  });

  it('writes at once when a batch is full, in batches of batch_size', async () => {
    const repo = fakeRepository();
    const recorder = createUsageRecorder({ repository: repo, flushMs: 60_000, batchSize: 3 });
    for (let i = 1; i <= 7; i++) recorder.record(event(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(repo.batches).toEqual([['req_1', 'req_2', 'req_3'], ['req_4', 'req_5', 'req_6'], ['req_7']]);
  });

  it('keeps events through a failed write and retries them first', async () => {
    const repo = fakeRepository();
    const errors: unknown[] = [];
    const recorder = createUsageRecorder({ repository: repo, flushMs: 500, batchSize: 10, onError: (e) => errors.push(e) });
    repo.failNext = 2;
    recorder.record(event(1));
    await vi.advanceTimersByTimeAsync(500);
    recorder.record(event(2));
    await vi.advanceTimersByTimeAsync(500);
    expect(errors).toHaveLength(2);
    expect(recorder.pending).toBe(2);
    await vi.advanceTimersByTimeAsync(500);
    expect(repo.batches).toEqual([['req_1', 'req_2']]);
  });

  it('drops the oldest events beyond the cap while the database stays down, and counts them', async () => {
    const repo = fakeRepository();
    const recorder = createUsageRecorder({ repository: repo, flushMs: 100, batchSize: 2, maxQueued: 3 });
    repo.failNext = 1;
    for (let i = 1; i <= 5; i++) recorder.record(event(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(recorder.dropped).toBe(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(repo.batches.flat()).toEqual(['req_3', 'req_4', 'req_5']);
  });

  it('close writes everything still queued', async () => {
    const repo = fakeRepository();
    const recorder = createUsageRecorder({ repository: repo, flushMs: 60_000, batchSize: 100 });
    recorder.record(event(1));
    await recorder.close();
    expect(repo.batches).toEqual([['req_1']]);
  });
});
