import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import { createRedactor } from '../../core/redact.js';
import { decodeOpenAIUpstreamError } from '../openai/errors.js';
import { pruneAzureEmptyChoices, stripAzureFilterAnnotations } from './annotations.js';
import { decodeAzureChatResponse } from './response.js';

const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

describe('stripAzureFilterAnnotations', () => {
  it('removes the top-level and per-choice annotations and reports it', () => {
    const body: Record<string, unknown> = {
      id: 'x', prompt_filter_results: [], prompt_annotations: [],
      choices: [{ index: 0, content_filter_results: {}, content_filter_offsets: {}, delta: { content: 'a' } }],
    };
    expect(stripAzureFilterAnnotations(body)).toBe(true);
    expect(body).toEqual({ id: 'x', choices: [{ index: 0, delta: { content: 'a' } }] });
    expect(stripAzureFilterAnnotations(body)).toBe(false);
  });
});

describe('pruneAzureEmptyChoices', () => {
  it.each([
    ['a choice without delta or finish is removed', { choices: [{ index: 0, finish_reason: null }] }, true, 0],
    ['an empty delta without finish is removed', { choices: [{ index: 0, delta: {} }] }, true, 0],
    ['a finish with an empty delta stays', { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }, false, 1],
    ['content stays', { choices: [{ index: 0, delta: { content: 'x' } }] }, false, 1],
    ['the usage chunk stays', { choices: [], usage: { prompt_tokens: 1 } }, false, 0],
    ['an empty chunk with usage null goes', { choices: [], usage: null }, true, 0],
  ])('%s', (_name, chunk: Record<string, unknown>, empty, kept) => {
    expect(pruneAzureEmptyChoices(chunk)).toBe(empty);
    expect(chunk.choices).toHaveLength(kept);
  });
});

describe('decodeAzureChatResponse', () => {
  it('decodes the completion and sets raw to the body without annotations, other fields intact', () => {
    const response = decodeAzureChatResponse(readJson('azure-chat.json'));
    expect(response.dialect).toBe('openai');
    expect(response.choices[0]).toMatchObject({ text: 'Grüße aus Köln — 東京 🚀.', finishReason: 'stop' });
    expect(response.usage).toMatchObject({ inputTokens: 1208, outputTokens: 9, cacheReadTokens: 1024 });
    expect(response.extra).toEqual({ system_fingerprint: 'fp_04751d0b65' });
    const raw = JSON.parse(Buffer.from(response.raw ?? new Uint8Array()).toString('utf8')) as Record<string, unknown>;
    const expected = readJson('azure-chat.json') as { prompt_filter_results?: unknown; choices: Array<Record<string, unknown>> };
    delete expected.prompt_filter_results;
    delete expected.choices[0]?.content_filter_results;
    expect(raw).toEqual(expected);
  });

  it('a body without annotations leaves raw unset (the upstream bytes are relayed)', () => {
    const response = decodeAzureChatResponse({
      id: 'c', object: 'chat.completion', created: 1, model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
    });
    expect(response.raw).toBeUndefined();
  });

  it('content_filter finish maps to content_filter', () => {
    const response = decodeAzureChatResponse({
      id: 'c', object: 'chat.completion', created: 1, model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: null }, finish_reason: 'content_filter', content_filter_results: {} }],
    });
    expect(response.choices[0]).toMatchObject({ finishReason: 'content_filter', rawFinishReason: 'content_filter' });
  });

  it('a non-object body is an upstream_error', () => {
    expect(captureGatewayError(() => decodeAzureChatResponse([])).code).toBe('upstream_error');
  });
});

describe('Azure errors (OpenAI-shaped, classified by the OpenAI codec)', () => {
  const sanitize = createRedactor([]);

  it('a filtered prompt is a non-retryable 400 naming the prompt, with Azure\'s message', () => {
    const error = decodeOpenAIUpstreamError({ status: 400, body: readJson('azure-content-filter-error.json'), sanitize });
    expect(error.code).toBe('invalid_request');
    expect(error.retryable).toBe(false);
    expect(error.param).toBe('prompt');
    expect(error.message).toContain('content management policy');
  });

  it.each([
    [401, { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } }, 'upstream_auth_failed'],
    [404, { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } }, 'model_not_found'],
    [429, { error: { code: '429', message: 'Requests to the ChatCompletions_Create Operation have exceeded token rate limit.' } }, 'rate_limit_exceeded'],
  ])('HTTP %i → %s', (status, body, code) => {
    expect(decodeOpenAIUpstreamError({ status, body, sanitize }).code).toBe(code);
  });
});
