import { GatewayError } from '../core/errors.js';

/** Marks an abort caused by the whole-request timeout (the AbortSignal's reason). */
export class TotalTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Request exceeded the ${timeoutMs} ms timeout`);
    this.name = 'TotalTimeoutError';
  }
}

/** Marks an abort because the caller went away. */
export class ClientGoneError extends Error {
  constructor() {
    super('Client closed the connection');
    this.name = 'ClientGoneError';
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Maps an undici / socket failure to a GatewayError. Messages name what happened, never the
 * request (URLs can carry keys, e.g. Gemini's `?key=`).
 */
export function mapTransportError(error: unknown, signal?: AbortSignal): GatewayError {
  if (error instanceof GatewayError) return error;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof TotalTimeoutError) {
      return new GatewayError('upstream_timeout', `Upstream did not finish within ${reason.timeoutMs} ms.`, { cause: error });
    }
    return new GatewayError('upstream_error', 'Request aborted: the client closed the connection.', { cause: error });
  }
  switch (errorCode(error)) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new GatewayError('upstream_timeout', 'Timed out connecting to the upstream.', { cause: error });
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new GatewayError('upstream_timeout', 'Upstream sent no response within the first-byte timeout.', { cause: error });
    case 'UND_ERR_BODY_TIMEOUT':
      return new GatewayError('upstream_timeout', 'Upstream stopped sending data (idle timeout).', { cause: error });
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
      return new GatewayError('upstream_unavailable', 'Could not connect to the upstream.', { cause: error });
    default:
      return new GatewayError('upstream_error', 'Upstream connection failed.', { cause: error });
  }
}
