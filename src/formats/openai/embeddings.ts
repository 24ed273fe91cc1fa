/** OpenAI `POST /v1/embeddings` ↔ canonical embeddings, with float ↔ base64 conversion (§1.9). */
import { GatewayError } from '../../core/errors.js';
import {
  invalidParam, isRecord, optionalInteger, optionalString, pickUnknown, requireRecord, requireString, type JsonObject,
} from '../../core/parse.js';
import type { EmbeddingRequest, EmbeddingResponse, EmbeddingVector } from '../../core/types.js';
import { decodeOpenAIUsage } from './usage.js';

const REQUEST_FIELDS = new Set(['model', 'input', 'encoding_format', 'dimensions', 'user']);

/** Decodes and validates an embeddings request. */
export function decodeOpenAIEmbeddingRequest(body: unknown): EmbeddingRequest {
  const raw = requireRecord(body, 'body');
  const format = raw.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') invalidParam('encoding_format', "'float' or 'base64'", format);
  const request: EmbeddingRequest = {
    model: requireString(raw.model, 'model'),
    ...decodeInput(raw.input),
    encodingFormat: format,
    dialect: 'openai',
  };
  const dimensions = optionalInteger(raw.dimensions, 'dimensions', 1);
  if (dimensions !== undefined) request.dimensions = dimensions;
  const user = optionalString(raw.user, 'user');
  if (user !== undefined) request.user = user;
  const extra = pickUnknown(raw, REQUEST_FIELDS);
  if (extra) request.extra = extra;
  return request;
}

function decodeInput(input: unknown): Pick<EmbeddingRequest, 'input' | 'single'> {
  if (typeof input === 'string') return { input: [input], single: true };
  if (!Array.isArray(input) || input.length === 0) {
    if (input === undefined) throw new GatewayError('invalid_request', "Missing required parameter: 'input'.", { param: 'input' });
    return invalidParam('input', 'a string, an array of strings or an array of token arrays', input);
  }
  if (input.every((item) => typeof item === 'string')) return { input: input as string[], single: false };
  if (input.every((item) => Number.isInteger(item))) return { input: [input as number[]], single: true };
  if (input.every((item) => Array.isArray(item) && item.every((t) => Number.isInteger(t)))) {
    return { input: input as number[][], single: false };
  }
  return invalidParam('input', 'a string, an array of strings or an array of token arrays', input);
}

/** Builds the upstream OpenAI-family embeddings body. */
export function encodeOpenAIEmbeddingRequest(request: EmbeddingRequest, options: { model: string; passthrough: boolean }): JsonObject {
  const body: JsonObject = options.passthrough && request.dialect === 'openai' && request.extra ? { ...request.extra } : {};
  body.model = options.model;
  body.input = request.single ? request.input[0] : request.input;
  // Ask for what the caller wants: base64 passes through without a float round-trip.
  body.encoding_format = request.encodingFormat;
  if (request.dimensions !== undefined) body.dimensions = request.dimensions;
  if (request.user !== undefined) body.user = request.user;
  return body;
}

/** Decodes an upstream embeddings list. */
export function decodeOpenAIEmbeddingResponse(body: unknown): EmbeddingResponse {
  if (!isRecord(body) || !Array.isArray(body.data)) {
    throw new GatewayError('upstream_error', 'Upstream returned a malformed embeddings response.');
  }
  const response: EmbeddingResponse = {
    model: typeof body.model === 'string' ? body.model : '',
    data: body.data.map((item, position) => {
      const entry = isRecord(item) ? item : {};
      const embedding: EmbeddingVector = typeof entry.embedding === 'string'
        ? { base64: entry.embedding }
        : Array.isArray(entry.embedding) ? (entry.embedding as number[]) : [];
      return { index: typeof entry.index === 'number' ? entry.index : position, embedding };
    }),
  };
  const usage = decodeOpenAIUsage({ completion_tokens: 0, ...(isRecord(body.usage) ? body.usage : {}) });
  if (usage) response.usage = usage;
  const extra = pickUnknown(body, new Set(['object', 'data', 'model', 'usage']));
  if (extra) response.extra = extra;
  return response;
}

/** Encodes the embeddings list for the caller in the format it asked for. */
export function encodeOpenAIEmbeddingResponse(response: EmbeddingResponse, format: 'float' | 'base64'): JsonObject {
  return {
    object: 'list',
    data: response.data.map((item) => ({
      object: 'embedding',
      index: item.index,
      embedding: format === 'base64' ? vectorToBase64(item.embedding) : vectorToFloats(item.embedding),
    })),
    model: response.model,
    usage: { prompt_tokens: response.usage?.inputTokens ?? 0, total_tokens: response.usage?.inputTokens ?? 0 },
  };
}

/** Base64 of little-endian float32s, as OpenAI sends with `encoding_format: "base64"`. */
export function vectorToBase64(vector: EmbeddingVector): string {
  if (!Array.isArray(vector)) return vector.base64;
  const buffer = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) buffer.writeFloatLE(vector[i] as number, i * 4);
  return buffer.toString('base64');
}

export function vectorToFloats(vector: EmbeddingVector): number[] {
  if (Array.isArray(vector)) return vector;
  const buffer = Buffer.from(vector.base64, 'base64');
  const out = new Array<number>(buffer.length >> 2);
  for (let i = 0; i < out.length; i++) out[i] = buffer.readFloatLE(i * 4);
  return out;
}
