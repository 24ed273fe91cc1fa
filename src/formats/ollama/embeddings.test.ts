import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import { createBuildContext } from '../../providers/build-context.js';
import { decodeOpenAIEmbeddingRequest, encodeOpenAIEmbeddingResponse } from '../openai/embeddings.js';
import { decodeOllamaEmbeddingResponse, encodeOllamaEmbeddingRequest } from './embeddings.js';
import { decodeOllamaModelList } from './models.js';

const FIXTURE_DIR = new URL('./__fixtures__/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURE_DIR), 'utf8'));

function encode(body: Record<string, unknown>): { wire: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const request = decodeOpenAIEmbeddingRequest({ model: 'local/nomic-embed-text', ...body });
  return { wire: encodeOllamaEmbeddingRequest(request, { model: 'nomic-embed-text', context: createBuildContext({ warnings }, 'local') }), warnings };
}

describe('encodeOllamaEmbeddingRequest', () => {
  it('sends one string as a string and a list as a list, with dimensions; the encoding is the gateway’s business', () => {
    expect(encode({ input: 'hello', encoding_format: 'base64' }).wire).toEqual({ model: 'nomic-embed-text', input: 'hello' });
    expect(encode({ input: ['a', 'b'], dimensions: 256 }).wire).toEqual({ model: 'nomic-embed-text', input: ['a', 'b'], dimensions: 256 });
  });

  it('passes Ollama-native fields, warns for the rest', () => {
    const { wire, warnings } = encode({ input: 'x', keep_alive: '1h', truncate: false, options: { num_ctx: 512 }, user: 'u', extra_thing: 1 });
    expect(wire).toEqual({ model: 'nomic-embed-text', input: 'x', keep_alive: '1h', options: { num_ctx: 512 }, truncate: false });
    expect(warnings).toEqual([
      'user dropped for local: Ollama has no end-user field',
      'extra_thing dropped for local: not a field of Ollama /api/embed',
    ]);
  });

  it.each([
    [[1, 2, 3], 'input'],
    [[[1, 2], [3]], 'input[0]'],
  ])('refuses token-id input %j (Ollama embeds text only)', (input, param) => {
    expect(captureGatewayError(() => encode({ input }))).toMatchObject({ code: 'unsupported', param, status: 400 });
  });
});

describe('decodeOllamaEmbeddingResponse', () => {
  it('decodes the vectors in order with usage from prompt_eval_count, and re-encodes them for OpenAI', () => {
    const response = decodeOllamaEmbeddingResponse(readJson('ollama-embed.json'));
    expect(response.model).toBe('nomic-embed-text');
    expect(response.data.map((d) => d.index)).toEqual([0, 1]);
    expect(response.data[0]?.embedding).toEqual([0.010071029, -0.0017594862, 0.05007221, 0.04692972, 0.054916814]);
    expect(response.usage).toEqual({ inputTokens: 8, outputTokens: 0 });
    const body = encodeOpenAIEmbeddingResponse(response, 'base64');
    expect(body).toMatchObject({ object: 'list', usage: { prompt_tokens: 8, total_tokens: 8 } });
    const first = (body.data as Array<{ embedding: string }>)[0]?.embedding ?? '';
    expect(Buffer.from(first, 'base64').readFloatLE(0)).toBeCloseTo(0.010071029, 6);
  });

  it.each([{ embedding: [1] }, { embeddings: [['x']] }, null])('refuses %j with upstream_error', (body) => {
    expect(captureGatewayError(() => decodeOllamaEmbeddingResponse(body))).toMatchObject({ code: 'upstream_error' });
  });
});

describe('decodeOllamaModelList', () => {
  it('lists installed models by name, the default :latest tag dropped', () => {
    expect(decodeOllamaModelList(readJson('ollama-tags.json'))).toEqual([
      'llama3.2', 'qwen3:8b', 'nomic-embed-text', 'hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q8_0',
    ]);
  });

  it('falls back to `model`, skips junk and duplicates, and lists nothing for a malformed body', () => {
    expect(decodeOllamaModelList({ models: [{ model: 'a:latest' }, { name: 'a' }, 'junk', { name: '' }, null] })).toEqual(['a']);
    expect(decodeOllamaModelList({ data: [] })).toEqual([]);
    expect(decodeOllamaModelList('x')).toEqual([]);
  });
});
