/**
 * Embeddings through Hugging Face's feature-extraction task (PROTOCOLS §5.2): `POST
 * {task base}/models/{model}/pipeline/feature-extraction` with `{"inputs": ["…"]}`, answered by
 * bare float arrays. Inputs are always sent as a list, so the reply is `number[][]` (one pooled
 * vector per input, sentence-transformers models) or `number[][][]` (one vector per token,
 * plain encoders), which is mean-pooled over the tokens here — not normalised, as the model
 * gave it. The task reports no token counts: the response has no usage.
 */
import { GatewayError } from '../../core/errors.js';
import type { JsonObject } from '../../core/parse.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../../core/types.js';

/** Reports a field the target cannot express (BuildContext.drop). */
export type DropField = (field: string, reason: string) => void;

/**
 * Task parameters a caller may add to an OpenAI embeddings body (huggingface.js
 * `tasks/feature-extraction/spec/input.json`); they pass through as top-level fields.
 */
const TASK_PARAMETERS = new Set(['normalize', 'truncate', 'truncation_direction', 'prompt_name']);

/** Builds the task body; throws 400 for token-id input, which the task cannot take. */
export function encodeHFFeatureExtractionRequest(request: EmbeddingRequest, drop: DropField): JsonObject {
  const inputs = request.input.map((item, i) => {
    if (typeof item !== 'string') {
      throw new GatewayError('unsupported', 'The Hugging Face feature-extraction task embeds text: send strings, not token ids.', {
        param: `input[${i}]`,
      });
    }
    return item;
  });
  const body: JsonObject = { inputs };
  if (request.dimensions !== undefined) drop('dimensions', "the feature-extraction task returns the model's full vectors");
  if (request.user !== undefined) drop('user', 'Hugging Face has no end-user field');
  for (const [key, value] of Object.entries(request.extra ?? {})) {
    if (TASK_PARAMETERS.has(key)) body[key] = value;
    else drop(key, 'not a feature-extraction parameter');
  }
  return body;
}

const malformed = (detail: string): GatewayError =>
  new GatewayError('upstream_error', `Upstream returned a malformed feature-extraction response: ${detail}.`);

/** Decodes the float arrays (pooling token-level output). Throws `upstream_error` on anything else. */
export function decodeHFFeatureExtractionResponse(body: unknown): EmbeddingResponse {
  if (!Array.isArray(body) || body.length === 0) throw malformed('expected a non-empty array');
  // A bare vector: an endpoint that answered one input without the batch dimension.
  const items = isVector(body) ? [body] : body;
  const vectors = items.map(poolItem);
  if (vectors.some((vector) => vector.length !== vectors[0]?.length)) throw malformed('vectors of different lengths');
  return { model: '', data: vectors.map((embedding, index) => ({ index, embedding })) };
}

function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'number');
}

/** One input's output: a vector, a token × dimension matrix (mean-pooled), or either wrapped in a batch of one. */
function poolItem(item: unknown): number[] {
  if (isVector(item)) return item;
  if (!Array.isArray(item) || item.length === 0) throw malformed('an item is not an array of numbers');
  if (item.length === 1 && Array.isArray(item[0]) && !isVector(item[0])) return poolItem(item[0]);
  if (!item.every(isVector)) throw malformed('expected number[][] or number[][][]');
  return meanPool(item);
}

function meanPool(rows: number[][]): number[] {
  const width = rows[0]?.length ?? 0;
  if (rows.some((row) => row.length !== width)) throw malformed('token vectors of different lengths');
  const sum = new Array<number>(width).fill(0);
  for (const row of rows) for (let i = 0; i < width; i++) sum[i] = (sum[i] as number) + (row[i] as number);
  return sum.map((value) => value / rows.length);
}
