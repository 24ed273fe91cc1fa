/**
 * SSE heartbeats while a stream waits for its first event: every `routing.heartbeat_ms` a
 * comment line (`: keep-alive`) goes out so proxies and load balancers with idle timeouts do not
 * cut a slow first token. The first heartbeat sends the 200 and the SSE headers, so from then on
 * a failure can only be reported in-band. The timer runs only until the first event (or the
 * failure): nothing here touches the per-chunk path.
 */
import type { FastifyReply } from 'fastify';
import { openSse } from './sse.js';

/** An SSE comment: ignored by every SSE client (openai-node, EventSource …). */
export const HEARTBEAT_FRAME = ': keep-alive\n\n';

export interface SseHeartbeat {
  /** Stops the heartbeats; true when at least one went out (the response has begun). */
  stop(): boolean;
}

/** Starts heartbeats on `reply` (none when `intervalMs` is 0). */
export function startSseHeartbeat(reply: FastifyReply, options: { intervalMs: number; requestId: string }): SseHeartbeat {
  if (options.intervalMs <= 0) return { stop: () => false };
  let started = false;
  const timer = setInterval(() => {
    const raw = reply.raw;
    if (raw.destroyed || raw.writableEnded) return void clearInterval(timer);
    if (!started) {
      openSse(reply, { requestId: options.requestId });
      started = true;
    }
    raw.write(HEARTBEAT_FRAME);
  }, options.intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return started;
    },
  };
}

/** Ends a begun stream with one in-band error frame (the caller's dialect encodes it). */
export function endSseWithError(reply: FastifyReply, frame: string): void {
  if (!reply.raw.destroyed && !reply.raw.writableEnded) reply.raw.end(frame);
}
