import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import type { EmbeddingRequest } from '../../core/types.js';
import { encodeOpenAIEmbeddingResponse } from '../openai/embeddings.js';
import { decodeGeminiEmbeddingResponse, decodeGeminiModelList, encodeGeminiEmbeddingRequest } from './embeddings.js';
import { sanitizeGeminiJsonSchema } from './schema.js';

const FIXTURE_DIR = new URL('./__fixtures__/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURE_DIR), 'utf8'));

const embedding = (extra: Partial<EmbeddingRequest> = {}): EmbeddingRequest => ({
  model: 'e', input: ['alpha', 'beta gamma'], single: false, encodingFormat: 'float', dialect: 'openai', ...extra,
});

describe('Gemini embeddings', () => {
  it('input[] → requests[] with the model path and outputDimensionality', () => {
    const drops: string[] = [];
    const body = encodeGeminiEmbeddingRequest(embedding({ dimensions: 256, user: 'u' }), { model: 'gemini-embedding-001', drop: (f) => void drops.push(f) });
    expect(body).toEqual({ requests: [
      { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'alpha' }] }, outputDimensionality: 256 },
      { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'beta gamma' }] }, outputDimensionality: 256 },
    ] });
    expect(drops).toEqual(['user']);
  });

  it('token-array input cannot be sent', () => {
    const error = captureGatewayError(() => encodeGeminiEmbeddingRequest(embedding({ input: [[1, 2]], single: true }), { model: 'm', drop: () => undefined }));
    expect(error.code).toBe('unsupported');
    expect(error.param).toBe('input');
  });

  it('decodes values in order; with no usage reported, usage is estimated from the request text', () => {
    const response = decodeGeminiEmbeddingResponse(readJson('gemini-batch-embed.json'), embedding());
    expect(response.data).toEqual([
      { index: 0, embedding: [0.125, -0.5, 0.333, 0.9] },
      { index: 1, embedding: [1, 0, -0.25, 0.0625] },
    ]);
    expect(response.usage).toEqual({ inputTokens: 5, outputTokens: 0, estimated: true });
    // The gateway packs base64 itself when the caller asks for it.
    const encoded = encodeOpenAIEmbeddingResponse(response, 'base64') as { data: Array<{ embedding: string }> };
    expect(Buffer.from(encoded.data[0]?.embedding ?? '', 'base64').readFloatLE(4)).toBe(-0.5);
  });

  it('takes reported usage when the model gives it; a malformed body is an upstream error', () => {
    expect(decodeGeminiEmbeddingResponse({ embeddings: [{ values: [1] }], usageMetadata: { promptTokenCount: 12 } }).usage).toEqual({ inputTokens: 12, outputTokens: 0 });
    expect(captureGatewayError(() => decodeGeminiEmbeddingResponse({ embedding: { values: [] } })).code).toBe('upstream_error');
  });

  it('model list: names without the models/ prefix', () => {
    expect(decodeGeminiModelList(readJson('gemini-models.json'))).toEqual(['gemini-2.5-flash', 'gemini-embedding-001']);
    expect(decodeGeminiModelList({})).toEqual([]);
  });
});

describe('sanitizeGeminiJsonSchema', () => {
  it('keeps the documented keywords, recursing through properties, items, anyOf and $defs', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Order',
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid', pattern: '^[a-f0-9-]+$', default: 'x' },
        qty: { type: 'integer', minimum: 1, maximum: 9, exclusiveMaximum: 10, examples: [2] },
        status: { oneOf: [{ const: 'open' }, { const: 'closed' }] },
        items: { type: 'array', items: { $ref: '#/definitions/Item' }, minItems: 1, uniqueItems: true },
        note: { type: ['string', 'null'], maxLength: 20 },
        pair: { type: 'array', items: [{ type: 'number' }, { type: 'string', format: 'date', minLength: 1 }] },
      },
      required: ['id'],
      additionalProperties: false,
      definitions: { Item: { type: 'object', properties: { sku: { type: 'string' } }, additionalProperties: { type: 'string', minLength: 2 } } },
    };
    expect(sanitizeGeminiJsonSchema(schema)).toEqual({
      title: 'Order',
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        qty: { type: 'integer', minimum: 1, maximum: 9 },
        status: { anyOf: [{ enum: ['open'] }, { enum: ['closed'] }] },
        items: { type: 'array', items: { $ref: '#/$defs/Item' }, minItems: 1 },
        note: { type: ['string', 'null'] },
        pair: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'string', format: 'date' }] },
      },
      required: ['id'],
      additionalProperties: false,
      $defs: { Item: { type: 'object', properties: { sku: { type: 'string' } }, additionalProperties: { type: 'string' } } },
    });
    // The caller's schema is not modified.
    expect(schema.$schema).toBeDefined();
  });
});
