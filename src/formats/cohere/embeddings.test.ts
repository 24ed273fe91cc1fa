import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import { decodeOpenAIEmbeddingRequest } from '../openai/embeddings.js';
import { decodeCohereEmbedResponse, encodeCohereEmbedRequest } from './embeddings.js';
import { decodeCohereModelList } from './models.js';

function encode(openai: Record<string, unknown>): { body: Record<string, unknown>; dropped: string[] } {
  const dropped: string[] = [];
  const body = encodeCohereEmbedRequest(decodeOpenAIEmbeddingRequest({ model: 'public', ...openai }), {
    model: 'embed-v4.0',
    drop: (field) => void dropped.push(field),
  });
  return { body, dropped };
}

describe('encodeCohereEmbedRequest', () => {
  it('sends texts as search_document floats by default, whatever encoding the caller wants', () => {
    expect(encode({ input: 'one', encoding_format: 'base64' }).body).toEqual({
      model: 'embed-v4.0', texts: ['one'], input_type: 'search_document', embedding_types: ['float'],
    });
    expect(encode({ input: ['a', 'b'] }).body.texts).toEqual(['a', 'b']);
  });

  it('takes input_type and truncate from the body, dimensions as output_dimension', () => {
    const { body, dropped } = encode({ input: ['q'], input_type: 'search_query', truncate: 'END', dimensions: 256 });
    expect(body).toMatchObject({ input_type: 'search_query', truncate: 'END', output_dimension: 256 });
    expect(dropped).toEqual([]);
  });

  it('refuses an unknown input_type and token-id input; drops user and unknown fields', () => {
    expect(captureGatewayError(() => encode({ input: ['q'], input_type: 'query' })).param).toBe('input_type');
    const tokens = captureGatewayError(() => encode({ input: [[1, 2, 3]] }));
    expect([tokens.code, tokens.param]).toEqual(['unsupported', 'input[0]']);
    expect(encode({ input: 'x', user: 'u', normalize: true }).dropped).toEqual(['user', 'normalize']);
  });
});

describe('decodeCohereEmbedResponse', () => {
  it('decodes the recorded response: vectors in order, billed input tokens as usage', () => {
    const body: unknown = JSON.parse(readFileSync(new URL('./__fixtures__/cohere-embedding.json', import.meta.url), 'utf8'));
    const response = decodeCohereEmbedResponse(body);
    expect(response.data.map((d) => d.index)).toEqual([0, 1]);
    expect(response.data[0]?.embedding).toEqual([0.03302002, 0.020904541, -0.019744873, -0.0625, 0.04437256]);
    expect(response.usage).toEqual({ inputTokens: 10, outputTokens: 0 });
    expect(response.model).toBe('');
  });

  it('throws upstream_error without float embeddings', () => {
    expect(captureGatewayError(() => decodeCohereEmbedResponse({ embeddings: { int8: [[1]] } })).code).toBe('upstream_error');
  });
});

describe('decodeCohereModelList', () => {
  it('reads model names, ignoring anything malformed', () => {
    const body = { models: [{ name: 'command-a-03-2025', endpoints: ['chat'] }, { name: 'embed-v4.0' }, { id: 'x' }], next_page_token: 'abc' };
    expect(decodeCohereModelList(body)).toEqual(['command-a-03-2025', 'embed-v4.0']);
    expect(decodeCohereModelList({ data: [] })).toEqual([]);
  });
});
