import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../core/redact.js';
import { decodeCohereUpstreamError } from './errors.js';

const sanitize = createRedactor(['co-live-key-0123456789']);
const decode = (status: number, body: unknown, retryAfterMs?: number) =>
  decodeCohereUpstreamError({ status, body, sanitize, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

describe('decodeCohereUpstreamError', () => {
  it.each<[number, unknown, string, number]>([
    [400, { id: 'e1', message: 'invalid request: temperature must be at most 1' }, 'invalid_request', 400],
    [400, { message: 'too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 4958.' }, 'context_length_exceeded', 400],
    [401, { message: 'invalid api token' }, 'upstream_auth_failed', 502],
    [403, { message: 'forbidden' }, 'upstream_auth_failed', 502],
    [498, { message: 'invalid token' }, 'upstream_auth_failed', 502],
    [402, { message: 'Please add a payment method' }, 'insufficient_quota', 429],
    [404, { message: "model 'command-z' not found" }, 'model_not_found', 404],
    [422, { message: 'unprocessable' }, 'unprocessable', 422],
    [429, { message: 'You are using a Trial key, which is limited to 10 API calls / minute.' }, 'rate_limit_exceeded', 429],
    [500, { message: 'internal server error' }, 'upstream_error', 502],
    [503, { message: 'service unavailable' }, 'upstream_unavailable', 503],
    [504, { message: 'gateway timeout' }, 'upstream_timeout', 504],
  ])('HTTP %i %j → %s (%i)', (status, body, code, httpStatus) => {
    const error = decode(status, body);
    expect(error.code).toBe(code);
    expect(error.status).toBe(httpStatus);
    expect(error.upstreamStatus).toBe(status);
    expect(error.message).toBe((body as { message: string }).message);
  });

  it('keeps Retry-After and sanitises echoed keys', () => {
    const error = decode(429, { message: 'rate limited for co-live-key-0123456789' }, 7000);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.message).toBe('rate limited for [redacted]');
  });

  it('reads plain-text and empty bodies without echoing long pages', () => {
    expect(decode(502, '<html>Bad gateway</html>').message).toBe('<html>Bad gateway</html>');
    expect(decode(500, 'x'.repeat(2000)).message).toHaveLength(500);
    expect(decode(500, '').message).toBe('Upstream returned HTTP 500');
  });
});
