/**
 * Mistral error bodies → GatewayError. Mistral answers in several shapes (PROTOCOLS §6.1;
 * avante #2562, cline #1734, nextcloud integration_openai #332):
 * - `{"object":"error","message":"…","type":"invalid_request_message_order","param":null,"code":"3230"}`;
 * - schema violations, 422: `{"detail":[{"type":"extra_forbidden","loc":["body","max_completion_tokens"],"msg":"Extra inputs are not permitted"}]}`,
 *   sometimes wrapped as an object or JSON text inside `message`;
 * - its gateway's `{"message":"Unauthorized","request_id":"…"}` or `{"detail":"Unauthorized"}`.
 * The message is rebuilt from whichever is present, then classified like an OpenAI error (status
 * first; context overflow by message), sanitised on the way.
 */
import type { GatewayError } from '../../core/errors.js';
import { isRecord } from '../../core/parse.js';
import { decodeOpenAIUpstreamError, type UpstreamErrorInput } from '../openai/errors.js';

interface MistralErrorDetail {
  message: string;
  code: string | null;
  param: string | null;
}

/** Classifies a Mistral upstream failure; the upstream message is kept, sanitised. */
export function decodeMistralUpstreamError(input: UpstreamErrorInput): GatewayError {
  const detail = readMistralError(input.body);
  return decodeOpenAIUpstreamError(detail ? { ...input, body: { error: detail } } : input);
}

function readMistralError(body: unknown): MistralErrorDetail | undefined {
  if (!isRecord(body) || isRecord(body.error)) return undefined;
  const code = typeof body.code === 'string' ? body.code : typeof body.code === 'number' ? String(body.code) : null;
  const fromDetail = readDetail(body.detail) ?? readDetail(isRecord(body.message) ? body.message.detail : parseJsonText(body.message));
  if (fromDetail) return { ...fromDetail, code };
  if (typeof body.message === 'string') return { message: body.message, code, param: typeof body.param === 'string' ? body.param : null };
  return undefined;
}

/** FastAPI's `detail`: a string, or a list of `{loc, msg, type}` validation errors. */
function readDetail(detail: unknown): Omit<MistralErrorDetail, 'code'> | undefined {
  if (typeof detail === 'string') return { message: detail, param: null };
  if (!Array.isArray(detail) || detail.length === 0) return undefined;
  let param: string | null = null;
  const lines = detail.map((item) => {
    if (!isRecord(item)) return String(item);
    const loc = Array.isArray(item.loc) ? item.loc.filter((part) => part !== 'body').map(String) : [];
    const where = loc.length > 0 ? loc.join('.') : undefined;
    param ??= where ?? null;
    const msg = typeof item.msg === 'string' ? item.msg : 'invalid value';
    return where === undefined ? msg : `${where}: ${msg}`;
  });
  return { message: lines.join('; '), param };
}

/** Some Mistral 4xx carry the validation body as JSON text inside `message`. */
function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string' || !value.trimStart().startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed.detail : undefined;
  } catch {
    return undefined;
  }
}
