/**
 * Canonical embeddings ↔ Cohere v2 `POST /v2/embed` (PROTOCOLS §7). Cohere embeds text only and
 * needs an `input_type`: `search_document` unless the caller sends another one in the body
 * (`input_type`, a Cohere field OpenAI clients can add as an extra body field).
 */
import { GatewayError } from '../../core/errors.js';
import { isRecord, type JsonObject } from '../../core/parse.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../../core/types.js';
import type { DropField } from './messages.js';

/** https://docs.cohere.com/v2/reference/embed — `input_type` values. */
const INPUT_TYPES = ['search_document', 'search_query', 'classification', 'clustering', 'image'];
const TRUNCATE = ['NONE', 'START', 'END'];
export const COHERE_DEFAULT_INPUT_TYPE = 'search_document';

export interface EncodeCohereEmbedOptions {
  model: string;
  drop: DropField;
}

/** Builds the embed body; throws 400 for token-id input or an unknown `input_type` / `truncate`. */
export function encodeCohereEmbedRequest(request: EmbeddingRequest, options: EncodeCohereEmbedOptions): JsonObject {
  const texts = request.input.map((item, i) => {
    if (typeof item !== 'string') {
      throw new GatewayError('unsupported', 'Cohere embeds text: send strings, not token ids.', { param: `input[${i}]` });
    }
    return item;
  });
  // Always floats upstream: the gateway encodes base64 itself when the caller asks for it.
  const body: JsonObject = { model: options.model, texts, input_type: COHERE_DEFAULT_INPUT_TYPE, embedding_types: ['float'] };
  if (request.dimensions !== undefined) body.output_dimension = request.dimensions;
  if (request.user !== undefined) options.drop('user', 'Cohere has no end-user field');
  for (const [key, value] of Object.entries(request.extra ?? {})) {
    if (key === 'input_type') body.input_type = pickEnum(value, INPUT_TYPES, key);
    else if (key === 'truncate') body.truncate = pickEnum(value, TRUNCATE, key);
    else options.drop(key, 'not a Cohere embed parameter');
  }
  return body;
}

function pickEnum(value: unknown, allowed: string[], param: string): string {
  if (typeof value === 'string' && allowed.includes(value)) return value;
  throw new GatewayError('invalid_request', `Invalid value for '${param}': expected one of ${allowed.join(', ')}.`, { param });
}

/** Decodes `{embeddings:{float:[[…]]}, meta:{billed_units:{input_tokens}}}`. */
export function decodeCohereEmbedResponse(body: unknown): EmbeddingResponse {
  const vectors = isRecord(body) && isRecord(body.embeddings) ? body.embeddings.float : undefined;
  if (!isRecord(body) || !Array.isArray(vectors)) {
    throw new GatewayError('upstream_error', 'Upstream returned a malformed Cohere embed response: no float embeddings.');
  }
  const response: EmbeddingResponse = {
    model: '',
    data: vectors.map((vector, index) => ({ index, embedding: Array.isArray(vector) ? (vector as number[]) : [] })),
  };
  const meta = isRecord(body.meta) ? body.meta : {};
  // Embeddings have no `tokens` block: the billed input tokens are the only count there is.
  const counts = isRecord(meta.tokens) ? meta.tokens : isRecord(meta.billed_units) ? meta.billed_units : {};
  if (typeof counts.input_tokens === 'number') response.usage = { inputTokens: counts.input_tokens, outputTokens: 0 };
  return response;
}
