import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import { createSeededRandom } from '../../../test/unit/support/streams.js';
import type { EmbeddingResponse } from '../../core/types.js';
import {
  decodeOpenAIEmbeddingRequest, decodeOpenAIEmbeddingResponse, encodeOpenAIEmbeddingRequest, encodeOpenAIEmbeddingResponse,
  vectorToBase64, vectorToFloats,
} from './embeddings.js';

/** Independent reference: little-endian float32 bytes via DataView. */
function referenceBase64(values: number[]): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return Buffer.from(view.buffer).toString('base64');
}

describe('float ↔ base64 (little-endian float32)', () => {
  it.each<[number[], string]>([
    [[1], 'AACAPw=='],
    [[-2], 'AAAAwA=='],
    [[0, 0.5], 'AAAAAAAAAD8='],
    [[], ''],
  ])('%j ↔ %s', (floats, base64) => {
    expect(vectorToBase64(floats)).toBe(base64);
    expect(vectorToFloats({ base64 })).toEqual(floats);
  });

  it('round-trips float32-representable values exactly and matches a DataView encoding', () => {
    const random = createSeededRandom(42);
    const values = Array.from({ length: 1536 }, () => Math.fround((random() - 0.5) * 2));
    values.push(Math.fround(1e-30), Math.fround(-3.4e38), 0);
    const base64 = vectorToBase64(values);
    expect(base64).toBe(referenceBase64(values));
    expect(vectorToFloats({ base64 })).toEqual(values);
  });

  it('rounds doubles to the nearest float32', () => {
    expect(vectorToFloats({ base64: vectorToBase64([0.1]) })).toEqual([Math.fround(0.1)]);
  });

  it('passes through what is already in the wanted form', () => {
    const floats = [0.25];
    expect(vectorToFloats(floats)).toBe(floats);
    expect(vectorToBase64({ base64: 'AACAPw==' })).toBe('AACAPw==');
  });
});

describe('decodeOpenAIEmbeddingRequest', () => {
  it.each<[string, unknown, { input: unknown; single: boolean }]>([
    ['one string', 'hello', { input: ['hello'], single: true }],
    ['strings', ['a', 'b'], { input: ['a', 'b'], single: false }],
    ['one token array', [1, 2, 3], { input: [[1, 2, 3]], single: true }],
    ['token arrays', [[1, 2], [3]], { input: [[1, 2], [3]], single: false }],
  ])('accepts %s', (_name, input, expected) => {
    const request = decodeOpenAIEmbeddingRequest({ model: 'e', input });
    expect({ input: request.input, single: request.single }).toEqual(expected);
    expect(request.encodingFormat).toBe('float');
  });

  it('reads encoding_format, dimensions, user and keeps unknown fields', () => {
    expect(decodeOpenAIEmbeddingRequest({ model: 'e', input: 'x', encoding_format: 'base64', dimensions: 256, user: 'u', input_type: 'query' })).toEqual({
      model: 'e', input: ['x'], single: true, encodingFormat: 'base64', dimensions: 256, user: 'u', extra: { input_type: 'query' }, dialect: 'openai',
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['encoding_format unknown', { model: 'e', input: 'x', encoding_format: 'hex' }, 'encoding_format'],
    ['encoding_format not a string', { model: 'e', input: 'x', encoding_format: 1 }, 'encoding_format'],
    ['model missing', { input: 'x' }, 'model'],
    ['input missing', { model: 'e' }, 'input'],
    ['input empty', { model: 'e', input: [] }, 'input'],
    ['input a number', { model: 'e', input: 5 }, 'input'],
    ['input mixed', { model: 'e', input: ['a', 1] }, 'input'],
    ['input fractional tokens', { model: 'e', input: [1.5, 2] }, 'input'],
    ['input nested mixed', { model: 'e', input: [[1], ['a']] }, 'input'],
    ['dimensions zero', { model: 'e', input: 'x', dimensions: 0 }, 'dimensions'],
    ['user not a string', { model: 'e', input: 'x', user: 1 }, 'user'],
  ])('%s → 400 param %s', (_name, body, param) => {
    const error = captureGatewayError(() => decodeOpenAIEmbeddingRequest(body));
    expect([error.status, error.code, error.param]).toEqual([400, 'invalid_request', param]);
  });
});

describe('encodeOpenAIEmbeddingRequest', () => {
  it.each<[unknown, unknown]>([
    ['hello', 'hello'],
    [['a', 'b'], ['a', 'b']],
    [[1, 2, 3], [1, 2, 3]],
    [[[1, 2], [3]], [[1, 2], [3]]],
  ])('sends input %j in the shape the caller used', (input, sent) => {
    const body = encodeOpenAIEmbeddingRequest(decodeOpenAIEmbeddingRequest({ model: 'e', input }), { model: 'up', passthrough: true });
    expect(body).toEqual({ model: 'up', input: sent, encoding_format: 'float' });
  });

  it('asks upstream for the caller’s encoding, keeps extras only with passthrough', () => {
    const request = decodeOpenAIEmbeddingRequest({ model: 'e', input: 'x', encoding_format: 'base64', dimensions: 8, user: 'u', input_type: 'q' });
    expect(encodeOpenAIEmbeddingRequest(request, { model: 'up', passthrough: true })).toEqual({
      input_type: 'q', model: 'up', input: 'x', encoding_format: 'base64', dimensions: 8, user: 'u',
    });
    expect(encodeOpenAIEmbeddingRequest(request, { model: 'up', passthrough: false })).not.toHaveProperty('input_type');
  });
});

describe('embedding responses', () => {
  const floatBody = {
    object: 'list',
    model: 'text-embedding-3-small',
    data: [
      { object: 'embedding', index: 0, embedding: [1, -2] },
      { object: 'embedding', index: 1, embedding: [0.5] },
    ],
    usage: { prompt_tokens: 8, total_tokens: 8 },
  };

  it('decodes floats and usage', () => {
    const decoded = decodeOpenAIEmbeddingResponse(floatBody);
    expect(decoded.data).toEqual([{ index: 0, embedding: [1, -2] }, { index: 1, embedding: [0.5] }]);
    expect(decoded.usage).toMatchObject({ inputTokens: 8, outputTokens: 0 });
  });

  it('keeps base64 from upstream as base64', () => {
    const decoded = decodeOpenAIEmbeddingResponse({ ...floatBody, data: [{ object: 'embedding', index: 0, embedding: 'AACAPw==' }] });
    expect(decoded.data[0]?.embedding).toEqual({ base64: 'AACAPw==' });
  });

  it.each([null, {}, { data: 'x' }])('refuses malformed body %j', (body) => {
    expect(captureGatewayError(() => decodeOpenAIEmbeddingResponse(body)).code).toBe('upstream_error');
  });

  it('encodes floats as base64 and base64 as floats for the caller', () => {
    const decoded = decodeOpenAIEmbeddingResponse(floatBody);
    expect(encodeOpenAIEmbeddingResponse(decoded, 'float')).toEqual(floatBody);
    expect(encodeOpenAIEmbeddingResponse(decoded, 'base64')).toEqual({
      ...floatBody,
      data: [
        { object: 'embedding', index: 0, embedding: 'AACAPwAAAMA=' },
        { object: 'embedding', index: 1, embedding: 'AAAAPw==' },
      ],
    });
    const fromBase64: EmbeddingResponse = { model: 'm', data: [{ index: 0, embedding: { base64: 'AACAPwAAAMA=' } }] };
    expect(encodeOpenAIEmbeddingResponse(fromBase64, 'float')).toEqual({
      object: 'list', model: 'm', data: [{ object: 'embedding', index: 0, embedding: [1, -2] }], usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  });
});
