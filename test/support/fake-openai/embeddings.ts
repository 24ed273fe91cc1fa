/**
 * `POST /v1/embeddings` (PROTOCOLS §1.9). Vectors are deterministic per (model, input), unit
 * length and rounded to float32, so `float` and `base64` responses decode to identical numbers.
 */
import { buildOpenAIErrorBody, missingParameter } from './errors.js';
import { countTokens } from './text.js';
import type { FakeContext, FakePlan } from './types.js';

const MODEL_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-large': 3072,
  'text-embedding-3-small': 1536,
  'text-embedding-ada-002': 1536,
};

/** Plans the response to an embeddings request body. */
export function planEmbeddings(body: Record<string, unknown>, _ctx: FakeContext): FakePlan {
  if (typeof body.model !== 'string') return missingParameter('model');
  if (body.input === undefined) return missingParameter('input');
  const model = body.model;
  const inputs = normaliseInputs(body.input);
  if (body.dimensions !== undefined && model === 'text-embedding-ada-002') {
    // ada-002 predates Matryoshka embeddings; OpenAI rejects `dimensions` for it.
    const error = buildOpenAIErrorBody(400, { message: 'This model does not support specifying dimensions.', param: 'dimensions' });
    return { kind: 'json', status: 400, body: error };
  }
  const dimensions = typeof body.dimensions === 'number' ? body.dimensions : (MODEL_DIMENSIONS[model] ?? 1536);
  const base64 = body.encoding_format === 'base64';
  const data = inputs.map((input, index) => {
    const vector = buildEmbeddingVector(`${model}\u0000${input}`, dimensions);
    return { object: 'embedding', index, embedding: base64 ? encodeFloat32Base64(vector) : vector };
  });
  const promptTokens = inputs.reduce((sum, input) => sum + Math.max(1, countTokens(input)), 0);
  return {
    kind: 'json',
    status: 200,
    body: { object: 'list', data, model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } },
  };
}

/** String | string[] | token ids | token-id arrays → one stable string key per embedding. */
function normaliseInputs(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) return [JSON.stringify(input)];
  if (input.every((item) => typeof item === 'number')) return [JSON.stringify(input)];
  return input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

/** A unit-length vector derived from `key` with a seeded PRNG, each value exactly representable as float32. */
export function buildEmbeddingVector(key: string, dimensions: number): number[] {
  let seed = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) seed = Math.imul(seed ^ key.charCodeAt(i), 0x01000193) >>> 0;
  const raw: number[] = [];
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
    raw.push(value);
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return raw.map((value) => Math.fround(value * scale));
}

/** Base64 of little-endian float32s, as OpenAI returns for `encoding_format:"base64"`. */
export function encodeFloat32Base64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString('base64');
}
