/**
 * One AbortController per upstream call: aborted when the caller disconnects (so the upstream
 * request is cancelled at once) or when the whole-request timeout fires.
 */
import type { FastifyReply } from 'fastify';
import { ClientGoneError, TotalTimeoutError } from '../transport/errors.js';

export interface CallAbort {
  signal: AbortSignal;
  /** Stops the timer and the disconnect listener; call when the response is complete. */
  dispose(): void;
}

export function createCallAbort(reply: FastifyReply, timeoutMs: number): CallAbort {
  const controller = new AbortController();
  const onClose = (): void => {
    if (!reply.raw.writableFinished) controller.abort(new ClientGoneError());
  };
  reply.raw.once('close', onClose);
  const timer = setTimeout(() => controller.abort(new TotalTimeoutError(timeoutMs)), timeoutMs);
  timer.unref();
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      reply.raw.off('close', onClose);
    },
  };
}
