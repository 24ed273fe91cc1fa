import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import { createRedactor } from '../../core/redact.js';
import { decodeOpenAIEmbeddingRequest } from '../openai/embeddings.js';
import { decodeHFUpstreamError } from './errors.js';
import { decodeHFFeatureExtractionResponse, encodeHFFeatureExtractionRequest } from './feature-extraction.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

function encode(openai: Record<string, unknown>): { body: Record<string, unknown>; dropped: string[] } {
  const dropped: string[] = [];
  const body = encodeHFFeatureExtractionRequest(decodeOpenAIEmbeddingRequest({ model: 'm', ...openai }), (field) => void dropped.push(field));
  return { body, dropped };
}

describe('encodeHFFeatureExtractionRequest', () => {
  it('always sends a list of inputs, so the reply always has a batch dimension', () => {
    expect(encode({ input: 'one' }).body).toEqual({ inputs: ['one'] });
    expect(encode({ input: ['a', 'b'], encoding_format: 'base64' }).body).toEqual({ inputs: ['a', 'b'] });
  });

  it('passes task parameters, drops dimensions, user and unknown fields', () => {
    const { body, dropped } = encode({ input: ['a'], normalize: true, truncate: true, prompt_name: 'query', dimensions: 64, user: 'u', foo: 1 });
    expect(body).toEqual({ inputs: ['a'], normalize: true, truncate: true, prompt_name: 'query' });
    expect(dropped).toEqual(['dimensions', 'user', 'foo']);
  });

  it('refuses token-id input', () => {
    const error = captureGatewayError(() => encode({ input: [[1, 2]] }));
    expect([error.code, error.param]).toEqual(['unsupported', 'input[0]']);
  });
});

describe('decodeHFFeatureExtractionResponse', () => {
  it('reads pooled vectors (number[][]) in order, without usage', () => {
    expect(decodeHFFeatureExtractionResponse(fixture('feature-extraction-pooled.json'))).toEqual({
      model: '',
      data: [
        { index: 0, embedding: [0.0123, -0.0456, 0.0789, 0.1] },
        { index: 1, embedding: [-0.5, 0.25, 0.125, 0.0625] },
      ],
    });
  });

  it('mean-pools token-level output (number[][][]) per input', () => {
    const { data } = decodeHFFeatureExtractionResponse(fixture('feature-extraction-tokens.json'));
    const first = data[0]?.embedding;
    expect(Array.isArray(first) ? first.map((v) => Number(v.toFixed(6))) : first).toEqual([0.2, 0.3, 0.4]);
    expect(data[1]?.embedding).toEqual([0, 0, 0]);
  });

  it('accepts a bare vector and a batch-of-one wrapper', () => {
    expect(decodeHFFeatureExtractionResponse([0.5, 0.25]).data).toEqual([{ index: 0, embedding: [0.5, 0.25] }]);
    expect(decodeHFFeatureExtractionResponse([[[[1, 2], [3, 4]]]]).data).toEqual([{ index: 0, embedding: [2, 3] }]);
  });

  it.each([[{ error: 'x' }], [[]], [['a']], [[[1, 2], [3]]], [[[[1, 2], [3]]]]])('throws upstream_error for %j', (body) => {
    expect(captureGatewayError(() => decodeHFFeatureExtractionResponse(body)).code).toBe('upstream_error');
  });
});

describe('decodeHFUpstreamError', () => {
  const sanitize = createRedactor(['hf_secretToken0123456789']);
  const decode = (status: number, body: unknown, retryAfterMs?: number) =>
    decodeHFUpstreamError({ status, body, sanitize, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

  it('turns a loading model into a retryable 503 with retry after estimated_time', () => {
    const error = decode(503, { error: 'Model BAAI/bge-small-en-v1.5 is currently loading', estimated_time: 20.5 }, 1000);
    expect([error.code, error.status, error.retryable, error.retryAfterMs]).toEqual(['upstream_unavailable', 503, true, 20_500]);
    expect(error.message).toBe('Model BAAI/bge-small-en-v1.5 is currently loading');
  });

  it.each<[string, number, unknown, string, string]>([
    ['router (OpenAI style)', 400, { error: { message: 'bad temperature', type: 'invalid_request_error', code: null } }, 'invalid_request', 'bad temperature'],
    ['router context length', 400, { error: { message: "This model's maximum context length is 8192 tokens", code: 'context_length_exceeded' } }, 'context_length_exceeded', "This model's maximum context length is 8192 tokens"],
    ['TGI validation', 422, { error: 'Input validation error: `inputs` must have less than 512 tokens. Given: 600', error_type: 'validation' }, 'context_length_exceeded', 'Input validation error: `inputs` must have less than 512 tokens. Given: 600'],
    ['list of errors', 400, { error: ['inputs is required', 'truncate must be a boolean'] }, 'invalid_request', 'inputs is required; truncate must be a boolean'],
    ['FastAPI detail', 422, { detail: [{ loc: ['body', 'inputs'], msg: 'field required' }] }, 'unprocessable', 'field required'],
    ['top-level message', 500, { message: 'boom' }, 'upstream_error', 'boom'],
    ['bad token, key echoed', 401, { error: 'Invalid credentials in Authorization header hf_secretToken0123456789' }, 'upstream_auth_failed', 'Invalid credentials in Authorization header [redacted]'],
    ['credits exhausted', 402, { error: 'You have exceeded your monthly included credits for Inference Providers.' }, 'insufficient_quota', 'You have exceeded your monthly included credits for Inference Providers.'],
    ['unknown model', 404, { error: 'Model not/here does not exist' }, 'model_not_found', 'Model not/here does not exist'],
    ['rate limited', 429, { error: 'Rate limit reached' }, 'rate_limit_exceeded', 'Rate limit reached'],
    ['too busy', 504, { error: 'Model too busy, unable to get response in less than 60 second(s)' }, 'upstream_timeout', 'Model too busy, unable to get response in less than 60 second(s)'],
    ['HTML page', 502, '<html>Bad Gateway</html>', 'upstream_error', '<html>Bad Gateway</html>'],
  ])('%s: HTTP %i → %s', (_name, status, body, code, message) => {
    const error = decode(status, body);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.upstreamStatus).toBe(status);
  });

  it('keeps a Retry-After header when there is no estimated_time', () => {
    expect(decode(429, { error: 'slow down' }, 3000).retryAfterMs).toBe(3000);
  });
});
