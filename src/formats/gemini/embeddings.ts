/** Canonical embeddings ↔ Gemini `:batchEmbedContents` (PROTOCOLS §3.8). */
import { GatewayError } from '../../core/errors.js';
import { estimateTokens } from '../../core/estimate.js';
import { isRecord, type JsonObject } from '../../core/parse.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../../core/types.js';

export interface EncodeGeminiEmbeddingOptions {
  /** The upstream model id (without `models/`). */
  model: string;
  drop: (field: string, reason: string) => void;
}

/**
 * One `requests[]` entry per input, in order (Gemini keeps the order in its answer). Token-id
 * input cannot be expressed: Gemini embeds text only, so that is a 400.
 */
export function encodeGeminiEmbeddingRequest(request: EmbeddingRequest, options: EncodeGeminiEmbeddingOptions): JsonObject {
  const texts = request.input.map((item, i) => {
    if (typeof item !== 'string') {
      const param = request.single ? 'input' : `input[${i}]`;
      throw new GatewayError('unsupported', 'Gemini embeddings take text input only, not token arrays.', { param });
    }
    return item;
  });
  if (request.user !== undefined) options.drop('user', 'Gemini has no end-user field');
  for (const key of Object.keys(request.extra ?? {})) options.drop(key, 'not supported by Gemini');
  const model = `models/${options.model}`;
  return {
    requests: texts.map((text) => {
      const entry: JsonObject = { model, content: { parts: [{ text }] } };
      if (request.dimensions !== undefined) entry.outputDimensionality = request.dimensions;
      return entry;
    }),
  };
}

/**
 * Decodes `{"embeddings":[{"values":[…]}]}`. Newer embedding models report
 * `usageMetadata.promptTokenCount`; older ones report nothing, and then usage is estimated from
 * the request's text and flagged `estimated`.
 */
export function decodeGeminiEmbeddingResponse(body: unknown, request?: EmbeddingRequest): EmbeddingResponse {
  if (!isRecord(body) || !Array.isArray(body.embeddings)) {
    throw new GatewayError('upstream_error', 'Upstream returned a malformed Gemini embeddings response.');
  }
  const data = body.embeddings.map((item, index) => {
    const values = isRecord(item) && Array.isArray(item.values) ? item.values : [];
    return { index, embedding: values.filter((v): v is number => typeof v === 'number') };
  });
  const reported = isRecord(body.usageMetadata) ? body.usageMetadata.promptTokenCount : undefined;
  if (typeof reported === 'number') return { model: '', data, usage: { inputTokens: reported, outputTokens: 0 } };
  const texts = (request?.input ?? []).filter((item): item is string => typeof item === 'string');
  const inputTokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  return { model: '', data, usage: { inputTokens, outputTokens: 0, estimated: true } };
}

/** `GET /models` → model ids, without Google's `models/` prefix. */
export function decodeGeminiModelList(body: unknown): string[] {
  if (!isRecord(body) || !Array.isArray(body.models)) return [];
  return body.models.flatMap((m) => (isRecord(m) && typeof m.name === 'string' ? [m.name.replace(/^models\//, '')] : []));
}
