import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../core/errors.js';
import { createRedactor } from '../../core/redact.js';
import { decodeMistralUpstreamError } from './errors.js';

const SECRET = 'mistral-secret-key-0123456789abcdef';
const sanitize = createRedactor([SECRET]);
const decode = (status: number, body: unknown, retryAfterMs?: number) =>
  decodeMistralUpstreamError({ status, body, sanitize, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

describe('decodeMistralUpstreamError', () => {
  it.each<[string, number, unknown, ErrorCode, string]>([
    ['gateway 401', 401, { message: 'Unauthorized', request_id: 'c61f2f15feca71626a990e3740f99245' }, 'upstream_auth_failed', 'Unauthorized'],
    ['FastAPI 401', 401, { detail: 'Unauthorized' }, 'upstream_auth_failed', 'Unauthorized'],
    ['403', 403, { message: 'Forbidden', request_id: 'x' }, 'upstream_auth_failed', 'Forbidden'],
    ['message order', 400, { object: 'error', message: "Unexpected role 'user' after role 'tool'", type: 'invalid_request_message_order', param: null, code: '3230' }, 'invalid_request', "Unexpected role 'user' after role 'tool'"],
    ['context window', 400, { object: 'error', message: 'Prompt contains 40012 tokens and 0 draft tokens, too large for model with 32768 maximum context length', type: 'invalid_request_error', param: null, code: null }, 'context_length_exceeded', 'too large for model'],
    ['rate limit', 429, { message: 'Requests rate limit exceeded', request_id: 'r' }, 'rate_limit_exceeded', 'rate limit'],
    ['capacity', 429, { object: 'error', message: 'Service tier capacity exceeded for this model.', type: 'service_tier_capacity_exceeded', param: null, code: '3505' }, 'rate_limit_exceeded', 'capacity'],
    ['overload', 503, { object: 'error', message: 'Service unavailable.', type: 'service_unavailable', param: null, code: null }, 'upstream_unavailable', 'unavailable'],
    ['server', 500, { object: 'error', message: 'Internal server error', type: 'internal_server_error', param: null, code: null }, 'upstream_error', 'Internal'],
    ['model', 404, { object: 'error', message: 'Invalid model: mistral-huge', type: 'invalid_model', param: null, code: '1500' }, 'model_not_found', 'Invalid model'],
    ['HTML from a proxy', 502, '<html>Bad Gateway</html>', 'upstream_error', 'Bad Gateway'],
  ])('%s → %s', (_name, status, body, code, fragment) => {
    const error = decodeMistralUpstreamError({ status, body, sanitize });
    expect(error.code).toBe(code);
    expect(error.upstreamStatus).toBe(status);
    expect(error.message).toContain(fragment);
  });

  it('a 422 schema violation names the field and keeps status 422', () => {
    const error = decode(422, {
      detail: [{ type: 'extra_forbidden', loc: ['body', 'max_completion_tokens'], msg: 'Extra inputs are not permitted', input: 5 }],
    });
    expect(error.code).toBe('unprocessable');
    expect(error.status).toBe(422);
    expect(error.param).toBe('max_completion_tokens');
    expect(error.message).toBe('max_completion_tokens: Extra inputs are not permitted');
  });

  it('the detail can also come inside message, as an object or as JSON text', () => {
    const detail = [{ type: 'missing', loc: ['body', 'messages', 0, 'content'], msg: 'Field required' }];
    expect(decode(422, { object: 'error', message: { detail }, type: 'invalid_request_error' }).message).toBe('messages.0.content: Field required');
    expect(decode(422, { object: 'error', message: JSON.stringify({ detail }), type: 'invalid_request_error' }).param).toBe('messages.0.content');
  });

  it('keeps Retry-After for a 429', () => {
    expect(decode(429, { message: 'Requests rate limit exceeded' }, 7000).retryAfterMs).toBe(7000);
  });

  it('never keeps the key an upstream echoes', () => {
    const error = decode(401, { message: `Invalid API key: ${SECRET}` });
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain('[redacted]');
  });
});
