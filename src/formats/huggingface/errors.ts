/**
 * Hugging Face error bodies → GatewayError (PROTOCOLS §5.1, §5.2). The router relays each
 * provider's OpenAI-style `{"error":{message,code}}`; the task API answers `{"error":"…"}` or
 * `{"error":["…"]}`, with `estimated_time` on a 503 while a cold model loads; FastAPI-style
 * services answer `{"detail":…}`. The HF client (huggingface.js `utils/request.ts`) reads all of
 * these; so does this decoder. The message is kept, sanitised.
 */
import { GatewayError, type ErrorCode, mapUpstreamStatus } from '../../core/errors.js';
import { isRecord } from '../../core/parse.js';
import type { Redactor } from '../../core/redact.js';

export interface HFErrorInput {
  status: number;
  body: unknown;
  retryAfterMs?: number;
  sanitize: Redactor;
}

// OpenAI-style providers, and TGI's "Input validation error: `inputs` must have less than 4096 tokens".
const CONTEXT_LENGTH = /maximum context length|context length|context window|must have less than \d+ tokens|too many tokens/i;

/** Classifies a router or task-API failure. A loading model is a retryable 503, not an outage. */
export function decodeHFUpstreamError(input: HFErrorInput): GatewayError {
  const body = isRecord(input.body) ? input.body : undefined;
  const detail = isRecord(body?.error) ? body.error : undefined;
  const message = input.sanitize(readMessage(input.body, input.status));
  const upstreamCode = typeof detail?.code === 'string' ? detail.code : undefined;
  // `estimated_time` (seconds) is when the model should be loaded: the best retry hint there is.
  const loadingSeconds = typeof body?.estimated_time === 'number' && body.estimated_time >= 0 ? body.estimated_time : undefined;
  const retryAfterMs = loadingSeconds === undefined ? input.retryAfterMs : Math.ceil(loadingSeconds * 1000);
  return new GatewayError(classify(input.status, upstreamCode, message), message, {
    param: typeof detail?.param === 'string' ? detail.param : null,
    upstreamStatus: input.status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(input.status === 422 || input.status === 409 ? { status: input.status } : {}),
  });
}

function readMessage(body: unknown, status: number): string {
  if (typeof body === 'string') return body.trim() === '' ? `Upstream returned HTTP ${status}` : body.slice(0, 500);
  if (!isRecord(body)) return `Upstream returned HTTP ${status}`;
  const candidates = [body.error, isRecord(body.error) ? body.error.message : undefined, body.detail, body.message];
  for (const candidate of candidates) {
    const text = textOf(candidate);
    if (text !== undefined) return text.slice(0, 1000);
  }
  return `Upstream returned HTTP ${status}`;
}

/** A string, a list of strings (validation errors) or FastAPI's `[{msg}]`. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const parts = value.map((item) => (typeof item === 'string' ? item : isRecord(item) && typeof item.msg === 'string' ? item.msg : ''));
  const joined = parts.filter((p) => p !== '').join('; ');
  return joined === '' ? undefined : joined;
}

function classify(status: number, code: string | undefined, message: string): ErrorCode {
  if (code === 'context_length_exceeded' || ((status === 400 || status === 413 || status === 422) && CONTEXT_LENGTH.test(message))) {
    return 'context_length_exceeded';
  }
  if (code === 'insufficient_quota' || status === 402) return 'insufficient_quota';
  return status === 409 ? 'unprocessable' : mapUpstreamStatus(status);
}
