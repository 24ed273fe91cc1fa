/** OpenAI-dialect error bodies, both ways. */
import { GatewayError, type ErrorCode, mapUpstreamStatus } from '../../core/errors.js';
import { isRecord } from '../../core/parse.js';

/** The OpenAI error body for a GatewayError: `{"error":{"message","type","param","code"}}`. */
export function encodeOpenAIError(error: GatewayError): { error: { message: string; type: string; param: string | null; code: string | null } } {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}

export interface UpstreamErrorInput {
  status: number;
  /** The parsed body, or its text when it was not JSON. */
  body: unknown;
  retryAfterMs?: number;
  /** Removes secrets from upstream text before it is kept. */
  sanitize: (text: string) => string;
}

/**
 * Classifies an OpenAI-family upstream error. The upstream's message is kept (sanitised, since
 * error bodies can echo credentials); the status decides what the caller sees and whether
 * another attempt may help.
 */
export function decodeOpenAIUpstreamError(input: UpstreamErrorInput): GatewayError {
  const detail = isRecord(input.body) && isRecord(input.body.error) ? input.body.error : undefined;
  const rawMessage = typeof detail?.message === 'string' ? detail.message
    : typeof input.body === 'string' && input.body.length > 0 ? input.body.slice(0, 500)
      : `Upstream returned HTTP ${input.status}`;
  const message = input.sanitize(rawMessage);
  const upstreamCode = typeof detail?.code === 'string' ? detail.code : undefined;
  const param = typeof detail?.param === 'string' ? detail.param : null;
  const options = { param, upstreamStatus: input.status, retryAfterMs: input.retryAfterMs };
  return new GatewayError(classifyStatus(input.status, upstreamCode, message), message, {
    ...options,
    ...(input.status === 409 || input.status === 422 ? { status: input.status } : {}),
  });
}

function classifyStatus(status: number, code: string | undefined, message: string): ErrorCode {
  if (code === 'context_length_exceeded' || /maximum context length|context length/i.test(message)) {
    return 'context_length_exceeded';
  }
  if (code === 'insufficient_quota') return 'insufficient_quota';
  return status === 409 ? 'unprocessable' : mapUpstreamStatus(status);
}
