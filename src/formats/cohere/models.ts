/** Cohere `GET /v1/models` → model ids. */
import { isRecord } from '../../core/parse.js';

/** Ids from `{"models":[{"name":…}], "next_page_token"}`; anything else gives an empty list. */
export function decodeCohereModelList(body: unknown): string[] {
  if (!isRecord(body) || !Array.isArray(body.models)) return [];
  return body.models.flatMap((model) => (isRecord(model) && typeof model.name === 'string' ? [model.name] : []));
}
