import { describe, expect, it } from 'vitest';
import { collect } from '../../test/unit/support/streams.js';
import { GatewayError } from '../core/errors.js';
import type { StreamEvent } from '../core/types.js';
import { primeStream } from './prime-stream.js';

const start: StreamEvent = { type: 'start', id: 'c', model: 'm', created: 1 };
const text = (t: string): StreamEvent => ({ type: 'text-delta', choice: 0, text: t });

/** A source that records how far it was pulled and whether it was closed. */
function createSource(events: StreamEvent[], failAt?: number) {
  const state = { pulled: 0, closed: false };
  async function* generate(): AsyncGenerator<StreamEvent> {
    try {
      for (let i = 0; i < events.length; i++) {
        if (i === failAt) throw new GatewayError('upstream_error', `failed at ${i}`);
        state.pulled++;
        yield events[i] as StreamEvent;
      }
      if (failAt === events.length) throw new GatewayError('upstream_error', 'failed at end');
    } finally {
      state.closed = true;
    }
  }
  return { state, events: generate() };
}

describe('primeStream', () => {
  it('pulls exactly the first event before resolving, then replays everything in order', async () => {
    const source = createSource([start, text('a'), text('b')]);
    const primed = await primeStream(source.events);
    expect(source.state.pulled).toBe(1);
    expect(await collect(primed)).toEqual([start, text('a'), text('b')]);
    expect(source.state.closed).toBe(true);
  });

  it('rejects when the stream fails before its first event (so the attempt can be retried)', async () => {
    const source = createSource([start], 0);
    await expect(primeStream(source.events)).rejects.toThrow('failed at 0');
  });

  it('passes a later failure through to the consumer', async () => {
    const source = createSource([start, text('a')], 1);
    const primed = await primeStream(source.events);
    const seen: StreamEvent[] = [];
    await expect((async () => {
      for await (const event of primed) seen.push(event);
    })()).rejects.toThrow('failed at 1');
    expect(seen).toEqual([start]);
  });

  it('closes the source when the consumer stops early', async () => {
    const source = createSource([start, text('a'), text('b'), text('c')]);
    const primed = await primeStream(source.events);
    for await (const event of primed) {
      if (event.type === 'text-delta') break;
    }
    expect(source.state.closed).toBe(true);
    expect(source.state.pulled).toBe(2);
  });

  it('closes the source when returned before anything was read, and yields nothing after', async () => {
    const source = createSource([start, text('a')]);
    const primed = await primeStream(source.events);
    const iterator = primed[Symbol.asyncIterator]();
    expect(await iterator.return?.()).toEqual({ done: true, value: undefined });
    expect(source.state.closed).toBe(true);
    expect((await iterator.next()).done).toBe(true);
  });

  it('handles an empty stream', async () => {
    const source = createSource([]);
    expect(await collect(await primeStream(source.events))).toEqual([]);
  });
});
