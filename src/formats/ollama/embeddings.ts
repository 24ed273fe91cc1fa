/** Canonical embeddings ↔ Ollama `POST /api/embed` (PROTOCOLS §4.4). */
import { GatewayError } from '../../core/errors.js';
import { isRecord, type JsonObject } from '../../core/parse.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../../core/types.js';
import type { BuildContext } from '../../providers/adapter.js';

const NATIVE_FIELDS = new Set(['keep_alive', 'options', 'truncate']);

/**
 * Builds the `/api/embed` body: one string or a list. Token-id inputs have no Ollama form and
 * are refused (400) — dropping them would leave nothing to embed. Ollama answers with floats;
 * the gateway encodes base64 itself when the caller asked for it.
 */
export function encodeOllamaEmbeddingRequest(request: EmbeddingRequest, options: { model: string; context: BuildContext }): JsonObject {
  const texts = request.input.map((item, i) => {
    if (typeof item === 'string') return item;
    throw new GatewayError('unsupported', 'Ollama embeds text only; token-id arrays cannot be sent to it.', {
      param: request.single ? 'input' : `input[${i}]`,
    });
  });
  const body: JsonObject = { model: options.model, input: request.single ? texts[0] : texts };
  if (request.dimensions !== undefined) body.dimensions = request.dimensions;
  const extra = request.extra ?? {};
  for (const key of NATIVE_FIELDS) if (extra[key] !== undefined) body[key] = extra[key];
  if (request.user !== undefined) options.context.drop('user', 'Ollama has no end-user field');
  for (const key of Object.keys(extra)) {
    if (!NATIVE_FIELDS.has(key)) options.context.drop(key, 'not a field of Ollama /api/embed');
  }
  return body;
}

/** Decodes `{"model","embeddings":[[…]],"prompt_eval_count"}`; throws `upstream_error` on anything else. */
export function decodeOllamaEmbeddingResponse(body: unknown): EmbeddingResponse {
  if (!isRecord(body) || !Array.isArray(body.embeddings)) {
    throw new GatewayError('upstream_error', 'Upstream returned a malformed Ollama embeddings response.');
  }
  const response: EmbeddingResponse = {
    model: typeof body.model === 'string' ? body.model : '',
    data: body.embeddings.map((vector, index) => {
      if (!Array.isArray(vector) || !vector.every((x) => typeof x === 'number')) {
        throw new GatewayError('upstream_error', 'Upstream returned a malformed Ollama embedding vector.');
      }
      return { index, embedding: vector as number[] };
    }),
  };
  if (typeof body.prompt_eval_count === 'number') response.usage = { inputTokens: body.prompt_eval_count, outputTokens: 0 };
  return response;
}
