/**
 * Ollama error bodies → GatewayError. Natively `{"error":"<message>"}` with 400 (bad params), 404
 * (`model "x" not found, try pulling it first`), 429, 500, 502 (cloud model unreachable) and 503
 * (`server busy`, the request queue is full); the same `{"error":"…"}` can arrive as an NDJSON
 * line after a 200 (PROTOCOLS §4.6). A proxy in front may answer with an OpenAI-shaped body or a
 * plain page instead.
 */
import { GatewayError, type ErrorCode } from '../../core/errors.js';
import { isRecord } from '../../core/parse.js';

export interface OllamaUpstreamErrorInput {
  status: number;
  /** The parsed body, or its text when it was not JSON. */
  body: unknown;
  retryAfterMs?: number;
  /** Removes secrets from upstream text before it is kept. */
  sanitize: (text: string) => string;
}

// Ollama's own wordings: "input length exceeds the context length", "prompt is too long",
// llama.cpp's "context window" / "exceeds the available context size".
const CONTEXT_LENGTH = /context (length|window|size)|prompt is too long|too many tokens/i;
// `server busy, please try again.  maximum pending requests exceeded` (OLLAMA_MAX_QUEUE).
const OVERLOADED = /server busy|overloaded|maximum pending requests/i;

/** The upstream's own message, sanitised and bounded; a fallback naming the status when there is none. */
function readMessage(body: unknown, status: number, sanitize: (text: string) => string): string {
  const error = isRecord(body) ? body.error : undefined;
  const raw = typeof error === 'string' && error !== '' ? error
    : isRecord(error) && typeof error.message === 'string' ? error.message
      : typeof body === 'string' && body.trim() !== '' ? body
        : `Ollama returned HTTP ${status}`;
  return sanitize(raw.length > 500 ? `${raw.slice(0, 500)}…` : raw);
}

/**
 * Classifies an Ollama HTTP error: 401/403 → `upstream_auth_failed` (the gateway's credentials
 * for Ollama cloud or a proxy, not the caller's), 404 → `model_not_found`, 429 → rate limited
 * with its Retry-After, 503 / "server busy" → `upstream_unavailable`, a context overflow →
 * `context_length_exceeded`; other 4xx are the request's fault, 5xx the upstream's (retryable).
 */
export function decodeOllamaUpstreamError(input: OllamaUpstreamErrorInput): GatewayError {
  const message = readMessage(input.body, input.status, input.sanitize);
  const code = classifyOllamaError(input.status, message);
  return new GatewayError(code, message, {
    upstreamStatus: input.status,
    ...(input.retryAfterMs === undefined ? {} : { retryAfterMs: input.retryAfterMs }),
    ...(code === 'model_not_found' ? { param: 'model' } : {}),
    ...(input.status === 409 || input.status === 422 ? { status: input.status } : {}),
  });
}

function classifyOllamaError(status: number, message: string): ErrorCode {
  if (status === 401 || status === 403) return 'upstream_auth_failed';
  if (status === 429) return 'rate_limit_exceeded';
  // Some Ollama versions report an over-long input as a 500: still the request's fault, not retryable.
  if (CONTEXT_LENGTH.test(message)) return 'context_length_exceeded';
  if (status === 404) return 'model_not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 409 || status === 422) return 'unprocessable';
  if (status >= 400 && status < 500 && status !== 408) return 'invalid_request';
  if (status === 503 || OVERLOADED.test(message)) return 'upstream_unavailable';
  if (status === 504 || status === 408) return 'upstream_timeout';
  return 'upstream_error';
}

/**
 * An `{"error":…}` line inside a stream that had already started (HTTP 200). The message is
 * sanitised: in-band upstream text can echo anything. A context overflow keeps its meaning; any
 * other failure is `upstream_error`.
 */
export function decodeOllamaInBandError(error: unknown, sanitize: (text: string) => string): GatewayError {
  const message = readMessage({ error }, 200, sanitize);
  const text = typeof error === 'string' || isRecord(error) ? message : 'Ollama reported an error mid-stream.';
  return new GatewayError(CONTEXT_LENGTH.test(text) ? 'context_length_exceeded' : 'upstream_error', text);
}
