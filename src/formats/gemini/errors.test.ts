import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../core/redact.js';
import { decodeGeminiUpstreamError } from './errors.js';

const FIXTURE_DIR = new URL('./__fixtures__/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURE_DIR), 'utf8'));
const sanitize = createRedactor(['AIzaSyTheConfiguredKey0123456789abcdef']);

describe('decodeGeminiUpstreamError', () => {
  it.each([
    ['gemini-error-429-retry-info.json', 429, 'rate_limit_exceeded', 429, 34_400],
    ['gemini-error-api-key-invalid.json', 400, 'upstream_auth_failed', 502, undefined],
    ['gemini-error-context-length.json', 400, 'context_length_exceeded', 400, undefined],
    ['gemini-error-503.json', 503, 'upstream_unavailable', 503, undefined],
    ['gemini-error-location.json', 400, 'upstream_auth_failed', 502, undefined],
  ])('%s (HTTP %i) → %s (%i), retry after %s ms', (name, status, code, gatewayStatus, retryAfterMs) => {
    const error = decodeGeminiUpstreamError({ status, body: readJson(name), sanitize });
    expect(error.code).toBe(code);
    expect(error.status).toBe(gatewayStatus);
    expect(error.retryAfterMs).toBe(retryAfterMs);
    expect(error.upstreamStatus).toBe(status);
  });

  it.each([
    [403, 'PERMISSION_DENIED', 'upstream_auth_failed'],
    [401, 'UNAUTHENTICATED', 'upstream_auth_failed'],
    [404, 'NOT_FOUND', 'model_not_found'],
    [400, 'INVALID_ARGUMENT', 'invalid_request'],
    [500, 'INTERNAL', 'upstream_error'],
    [504, 'DEADLINE_EXCEEDED', 'upstream_timeout'],
    [413, 'INVALID_ARGUMENT', 'payload_too_large'],
  ])('HTTP %i %s → %s', (status, grpc, code) => {
    expect(decodeGeminiUpstreamError({ status, body: { error: { code: status, message: 'm', status: grpc } }, sanitize }).code).toBe(code);
  });

  it('keeps the upstream message, sanitised: never a key', () => {
    const error = decodeGeminiUpstreamError({
      status: 400,
      body: { error: { code: 400, message: 'API key AIzaSyTheConfiguredKey0123456789abcdef not valid; also AIzaSyOtherKey0123456789abcdefghij', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }] } },
      sanitize,
    });
    expect(error.message).toContain('not valid');
    expect(error.message).not.toContain('TheConfiguredKey');
    expect(error.message).not.toContain('OtherKey0123');
  });

  it('a Retry-After header wins over the body; a non-JSON body is used as text, sanitised and cut', () => {
    expect(decodeGeminiUpstreamError({ status: 429, body: readJson('gemini-error-429-retry-info.json'), retryAfterMs: 2000, sanitize }).retryAfterMs).toBe(2000);
    const error = decodeGeminiUpstreamError({ status: 502, body: `<html>Bad gateway ${'x'.repeat(900)}</html>`, sanitize });
    expect(error.code).toBe('upstream_error');
    expect(error.message.length).toBe(500);
    expect(decodeGeminiUpstreamError({ status: 500, body: '', sanitize }).message).toBe('Upstream returned HTTP 500');
  });

  it('reads errors wrapped in an array (a stream answered without alt=sse)', () => {
    const error = decodeGeminiUpstreamError({ status: 429, body: [readJson('gemini-error-429-retry-info.json')], sanitize });
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.retryAfterMs).toBe(34_400);
  });
});
