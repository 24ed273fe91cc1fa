/**
 * Gemini error bodies → GatewayError (PROTOCOLS §3.5). Google's shape is
 * `{"error":{"code","message","status","details":[…]}}` with gRPC status names; the two quirks
 * that matter: an invalid API key is a 400 (`details[].reason: "API_KEY_INVALID"`), and the
 * retry delay of a 429 is only in the body (`google.rpc.RetryInfo.retryDelay`, e.g. "34.4s").
 */
import { GatewayError, type ErrorCode } from '../../core/errors.js';
import { isRecord, type JsonObject } from '../../core/parse.js';

export interface GeminiErrorInput {
  status: number;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** From a `Retry-After` header, when there was one (Gemini sends none; proxies may). */
  retryAfterMs?: number;
  /** Removes secrets from upstream text before it is kept. */
  sanitize: (text: string) => string;
}

// Key problems Google reports as 400 INVALID_ARGUMENT or 403: a fault of our key, not the request.
const KEY_REASONS = new Set(['API_KEY_INVALID', 'API_KEY_EXPIRED', 'API_KEY_SERVICE_BLOCKED', 'API_KEY_HTTP_REFERRER_BLOCKED']);
const CONTEXT_LENGTH = /input token count.*exceeds|exceeds the maximum number of tokens|context (?:length|window)/i;

/** Classifies an upstream Gemini failure; the message is kept, sanitised, never the raw body. */
export function decodeGeminiUpstreamError(input: GeminiErrorInput): GatewayError {
  const detail = findErrorObject(input.body);
  const rawMessage = typeof detail?.message === 'string' && detail.message !== '' ? detail.message
    : typeof input.body === 'string' && input.body.length > 0 ? input.body.slice(0, 500)
      : `Upstream returned HTTP ${input.status}`;
  const message = input.sanitize(rawMessage);
  const details = Array.isArray(detail?.details) ? detail.details.filter(isRecord) : [];
  const code = classify({
    http: input.status,
    status: typeof detail?.status === 'string' ? detail.status : '',
    reasons: details.flatMap((d) => (typeof d.reason === 'string' ? [d.reason] : [])),
    message: rawMessage,
  });
  const retryAfterMs = input.retryAfterMs ?? readRetryDelay(details);
  return new GatewayError(code, message, {
    upstreamStatus: input.status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** The `error` object of a body; without `alt=sse` Google wraps stream errors in an array. */
function findErrorObject(body: unknown): JsonObject | undefined {
  const root = Array.isArray(body) ? body[0] : body;
  return isRecord(root) && isRecord(root.error) ? root.error : undefined;
}

function classify(info: { http: number; status: string; reasons: string[]; message: string }): ErrorCode {
  const { http, status } = info;
  if (info.reasons.some((r) => KEY_REASONS.has(r)) || http === 401 || status === 'UNAUTHENTICATED') return 'upstream_auth_failed';
  // FAILED_PRECONDITION: the key's project cannot use the API here (region, billing) — the
  // provider account is at fault, so another target may still serve the request.
  if (http === 403 || status === 'PERMISSION_DENIED' || status === 'FAILED_PRECONDITION') return 'upstream_auth_failed';
  if (http === 429 || status === 'RESOURCE_EXHAUSTED') return 'rate_limit_exceeded';
  if (http === 503 || status === 'UNAVAILABLE') return 'upstream_unavailable';
  if (http === 504 || status === 'DEADLINE_EXCEEDED') return 'upstream_timeout';
  if (http === 404 || status === 'NOT_FOUND') return 'model_not_found';
  if (http === 413) return 'payload_too_large';
  if (http === 400 || status === 'INVALID_ARGUMENT') return CONTEXT_LENGTH.test(info.message) ? 'context_length_exceeded' : 'invalid_request';
  return 'upstream_error';
}

/** `google.rpc.RetryInfo.retryDelay` is a protobuf Duration in JSON: `"34.4s"`. */
function readRetryDelay(details: JsonObject[]): number | undefined {
  for (const d of details) {
    if (typeof d['@type'] !== 'string' || !d['@type'].endsWith('google.rpc.RetryInfo')) continue;
    const match = typeof d.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(d.retryDelay) : null;
    if (match) return Math.ceil(Number(match[1]) * 1000);
  }
  return undefined;
}
