import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../core/redact.js';
import { decodeOllamaInBandError, decodeOllamaUpstreamError } from './errors.js';

const identity = (text: string): string => text;

describe('decodeOllamaUpstreamError', () => {
  it.each<[number, unknown, string, number]>([
    [400, { error: 'invalid options: num_predict' }, 'invalid_request', 400],
    [400, { error: 'input length exceeds the context length' }, 'context_length_exceeded', 400],
    [400, { error: 'Prompt is too long: 130452 tokens exceed the maximum context length of 128000 tokens.' }, 'context_length_exceeded', 400],
    [500, { error: 'the input length exceeds the context size' }, 'context_length_exceeded', 400],
    [401, { error: 'unauthorized' }, 'upstream_auth_failed', 502],
    [403, { error: 'forbidden' }, 'upstream_auth_failed', 502],
    [404, { error: 'model "llama9" not found, try pulling it first' }, 'model_not_found', 404],
    [413, 'request entity too large', 'payload_too_large', 413],
    [422, { error: 'unprocessable' }, 'unprocessable', 422],
    [429, { error: 'too many requests' }, 'rate_limit_exceeded', 429],
    [500, { error: 'an error was encountered while running the model' }, 'upstream_error', 502],
    [500, { error: 'server busy, please try again.  maximum pending requests exceeded' }, 'upstream_unavailable', 503],
    [502, { error: 'cloud model unreachable' }, 'upstream_error', 502],
    [503, { error: 'server busy, please try again.  maximum pending requests exceeded' }, 'upstream_unavailable', 503],
    [504, '<html>Gateway Timeout</html>', 'upstream_timeout', 504],
    [408, '', 'upstream_timeout', 504],
  ])('HTTP %d %j → %s (%d)', (status, body, code, clientStatus) => {
    const error = decodeOllamaUpstreamError({ status, body, sanitize: identity });
    expect(error.code).toBe(code);
    expect(error.status).toBe(clientStatus);
    expect(error.upstreamStatus).toBe(status);
  });

  it('keeps the upstream message, names the model param on a 404, carries Retry-After', () => {
    const notFound = decodeOllamaUpstreamError({ status: 404, body: { error: 'model "llama9" not found, try pulling it first' }, sanitize: identity });
    expect(notFound).toMatchObject({ message: 'model "llama9" not found, try pulling it first', param: 'model' });
    const limited = decodeOllamaUpstreamError({ status: 429, body: { error: 'slow down' }, retryAfterMs: 7000, sanitize: identity });
    expect(limited).toMatchObject({ retryAfterMs: 7000, retryable: true });
  });

  it('reads OpenAI-shaped bodies (a proxy in front) and plain text, and falls back to the status', () => {
    expect(decodeOllamaUpstreamError({ status: 400, body: { error: { message: 'bad thing' } }, sanitize: identity }).message).toBe('bad thing');
    expect(decodeOllamaUpstreamError({ status: 502, body: 'Bad Gateway', sanitize: identity }).message).toBe('Bad Gateway');
    expect(decodeOllamaUpstreamError({ status: 500, body: { error: '' }, sanitize: identity }).message).toBe('Ollama returned HTTP 500');
    const long = decodeOllamaUpstreamError({ status: 500, body: 'x'.repeat(2000), sanitize: identity }).message;
    expect(long.length).toBeLessThanOrEqual(501);
  });

  it('never keeps a secret from the upstream text', () => {
    const secret = 'ollama-cloud-key-0123456789abcdef';
    const error = decodeOllamaUpstreamError({ status: 401, body: { error: `invalid key ${secret}` }, sanitize: createRedactor([secret]) });
    expect(error.message).toBe('invalid key [redacted]');
  });
});

describe('decodeOllamaInBandError', () => {
  it.each<[unknown, string, string]>([
    ['model runner has unexpectedly stopped', 'upstream_error', 'model runner has unexpectedly stopped'],
    ['input length exceeds the context length', 'context_length_exceeded', 'input length exceeds the context length'],
    [{ message: 'nested' }, 'upstream_error', 'nested'],
    [42, 'upstream_error', 'Ollama reported an error mid-stream.'],
  ])('%j → %s', (error, code, message) => {
    expect(decodeOllamaInBandError(error, identity)).toMatchObject({ code, message });
  });
});
