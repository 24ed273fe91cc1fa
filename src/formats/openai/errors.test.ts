import { describe, expect, it } from 'vitest';
import { GatewayError, type ErrorCode } from '../../core/errors.js';
import { createRedactor } from '../../core/redact.js';
import { decodeOpenAIUpstreamError, encodeOpenAIError } from './errors.js';

const identity = (text: string): string => text;
const body = (message: string, code: string | null = null, param: string | null = null): unknown => ({
  error: { message, type: 'x', param, code },
});

describe('decodeOpenAIUpstreamError: status mapping', () => {
  const cases: Array<[number, unknown, ErrorCode, number, boolean]> = [
    [400, body('Bad'), 'invalid_request', 400, false],
    [400, body("This model's maximum context length is 128000 tokens.", 'context_length_exceeded'), 'context_length_exceeded', 400, false],
    [400, body('Input is too long: maximum context length exceeded'), 'context_length_exceeded', 400, false],
    [401, body('Incorrect API key provided'), 'upstream_auth_failed', 502, false],
    [403, body('Country not supported'), 'upstream_auth_failed', 502, false],
    [404, body('The model `gpt-9` does not exist', 'model_not_found'), 'model_not_found', 404, false],
    [408, body('timeout'), 'upstream_timeout', 504, true],
    [409, body('conflict'), 'unprocessable', 409, false],
    [413, body('too big'), 'payload_too_large', 413, false],
    [422, body('unprocessable'), 'unprocessable', 422, false],
    [429, body('Rate limit reached', 'rate_limit_exceeded'), 'rate_limit_exceeded', 429, true],
    [429, body('You exceeded your current quota', 'insufficient_quota'), 'insufficient_quota', 429, false],
    [500, body('The server had an error'), 'upstream_error', 502, true],
    [502, 'Bad gateway', 'upstream_error', 502, true],
    [503, body('Engine overloaded'), 'upstream_unavailable', 503, true],
    [504, '', 'upstream_timeout', 504, true],
    [529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'upstream_unavailable', 503, true],
  ];

  it.each(cases)('HTTP %i %j → %s (status %i, retryable %s)', (status, wire, code, outStatus, retryable) => {
    const error = decodeOpenAIUpstreamError({ status, body: wire, sanitize: identity });
    expect(error).toBeInstanceOf(GatewayError);
    expect([error.code, error.status, error.retryable, error.upstreamStatus]).toEqual([code, outStatus, retryable, status]);
  });

  it('keeps retryAfterMs and the upstream param', () => {
    const error = decodeOpenAIUpstreamError({ status: 429, body: body('slow down', 'rate_limit_exceeded', 'messages'), retryAfterMs: 1500, sanitize: identity });
    expect([error.retryAfterMs, error.param]).toEqual([1500, 'messages']);
  });

  it.each<[unknown, string]>([
    [body('Upstream says hi'), 'Upstream says hi'],
    ['<html>502 Bad Gateway</html>', '<html>502 Bad Gateway</html>'],
    ['', 'Upstream returned HTTP 500'],
    [{ unexpected: true }, 'Upstream returned HTTP 500'],
  ])('takes the message from %j', (wire, message) => {
    expect(decodeOpenAIUpstreamError({ status: 500, body: wire, sanitize: identity }).message).toBe(message);
  });

  it('keeps at most 500 characters of a text body', () => {
    expect(decodeOpenAIUpstreamError({ status: 500, body: 'x'.repeat(2000), sanitize: identity }).message).toHaveLength(500);
  });

  it('sanitises the message: echoed credentials never survive', () => {
    const providerKey = 'sk-proj-Abc123Def456Ghi789Jkl012';
    const sanitize = createRedactor([providerKey, 'my-custom-header-secret']);
    const cases = [
      body(`Incorrect API key provided: ${providerKey}. You can find your API key at https://platform.openai.com.`),
      `Proxy error: header X-Custom=my-custom-header-secret rejected`,
      body('Bad header: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig'),
    ];
    for (const wire of cases) {
      const error = decodeOpenAIUpstreamError({ status: 401, body: wire, sanitize });
      expect(error.message).toContain('[redacted]');
      expect(error.message).not.toContain(providerKey);
      expect(error.message).not.toContain('my-custom-header-secret');
      expect(error.message).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    }
  });

  it('uses the sanitised message for classification input too (no raw text kept anywhere)', () => {
    const error = decodeOpenAIUpstreamError({ status: 400, body: body('secret-value-123456 bad'), sanitize: () => 'clean' });
    expect(error.message).toBe('clean');
    expect(JSON.stringify(encodeOpenAIError(error))).not.toContain('secret-value');
  });
});

describe('encodeOpenAIError', () => {
  it('writes OpenAI’s error shape', () => {
    expect(encodeOpenAIError(new GatewayError('invalid_request', "Invalid type for 'model'.", { param: 'model' }))).toEqual({
      error: { message: "Invalid type for 'model'.", type: 'invalid_request_error', param: 'model', code: 'invalid_request' },
    });
  });
});
