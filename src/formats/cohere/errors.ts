/**
 * Cohere error responses → GatewayError. Cohere answers `{"id"?, "message": "…"}` with the HTTP
 * status carrying the meaning (docs.cohere.com/reference/errors; 498 = invalid token, 499 =
 * client closed). The message is kept, sanitised: error bodies can echo credentials.
 */
import { GatewayError, type ErrorCode, mapUpstreamStatus } from '../../core/errors.js';
import { isRecord } from '../../core/parse.js';
import type { Redactor } from '../../core/redact.js';

export interface CohereErrorInput {
  status: number;
  /** The parsed body, or its text when it was not JSON. */
  body: unknown;
  retryAfterMs?: number;
  sanitize: Redactor;
}

// "too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 4958."
const CONTEXT_LENGTH = /too many tokens|context length|context window|maximum (?:number of )?tokens|prompt is too long/i;

/** Classifies a Cohere upstream failure. */
export function decodeCohereUpstreamError(input: CohereErrorInput): GatewayError {
  const message = input.sanitize(readMessage(input.body, input.status));
  const code = classify(input.status, message);
  return new GatewayError(code, message, {
    upstreamStatus: input.status,
    ...(input.retryAfterMs === undefined ? {} : { retryAfterMs: input.retryAfterMs }),
    ...(input.status === 422 ? { status: 422 } : {}),
  });
}

function readMessage(body: unknown, status: number): string {
  if (isRecord(body)) {
    if (typeof body.message === 'string' && body.message !== '') return body.message;
    if (isRecord(body.error) && typeof body.error.message === 'string') return body.error.message;
  }
  if (typeof body === 'string' && body.trim() !== '') return body.slice(0, 500);
  return `Upstream returned HTTP ${status}`;
}

function classify(status: number, message: string): ErrorCode {
  if ((status === 400 || status === 422) && CONTEXT_LENGTH.test(message)) return 'context_length_exceeded';
  // 498: Cohere's invalid-token status.
  if (status === 401 || status === 403 || status === 498) return 'upstream_auth_failed';
  return status === 402 ? 'insufficient_quota' : mapUpstreamStatus(status);
}
