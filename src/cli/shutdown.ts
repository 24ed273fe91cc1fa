/**
 * Graceful shutdown: stop accepting connections, let in-flight requests and streams finish
 * (bounded by `server.drain_timeout_ms`, after which the rest are cut), then close the gateway
 * (transport, shared state, store). The caller flushes its log destination and exits.
 */
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../gateway.js';

export interface DrainOptions {
  app: FastifyInstance;
  gateway: Pick<Gateway, 'close'>;
  drainTimeoutMs: number;
}

/** Resolves `{ drained: false }` when the timeout cut some requests short. */
export async function drainAndClose(options: DrainOptions): Promise<{ drained: boolean }> {
  const { app } = options;
  const closing = app.close();
  // A keep-alive connection that goes idle after close() began would otherwise linger until its
  // keep-alive timeout: close each as soon as its last response is done.
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), options.drainTimeoutMs);
  });
  const drained = await Promise.race([closing.then(() => true as const), timedOut]);
  clearTimeout(timer);
  if (!drained) {
    // Cut what is left: each cut stream aborts its upstream call and is logged as it ends.
    app.server.closeAllConnections();
    await closing;
  }
  clearInterval(sweep);
  await options.gateway.close();
  return { drained };
}
