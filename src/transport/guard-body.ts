/**
 * An upstream body as an async iterable of byte chunks, with socket failures mapped to
 * GatewayErrors. When the consumer stops early (after `[DONE]`, typically) the rest is drained
 * instead of the socket being destroyed, so the keep-alive connection returns to the pool; an
 * aborted call destroys it at once. A hand-written iterator: no extra async hop per chunk.
 */
import type { Dispatcher } from 'undici';
import { mapTransportError } from './errors.js';

type Body = Dispatcher.ResponseData['body'];

export function guardBody(body: Body, signal: AbortSignal): AsyncIterableIterator<Uint8Array> {
  const source = body.iterator({ destroyOnReturn: false }) as AsyncIterator<Uint8Array>;
  const fail = (error: unknown): never => {
    throw mapTransportError(error, signal);
  };
  const iterator: AsyncIterableIterator<Uint8Array> = {
    next: () => source.next().catch(fail),
    async return() {
      if (signal.aborted) body.destroy();
      else if (!body.readableEnded && !body.destroyed) body.dump({ limit: 65_536 }).catch(() => undefined);
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
