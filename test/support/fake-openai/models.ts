/** `GET /v1/models` and `GET /v1/models/{model}` (PROTOCOLS §1.13). */
import { buildOpenAIErrorBody } from './errors.js';
import type { FakePlan } from './types.js';

export const FAKE_DEFAULT_MODELS = [
  'gpt-4o-mini',
  'gpt-4.1-nano',
  'gpt-3.5-turbo-instruct',
  'text-embedding-3-small',
  'text-embedding-3-large',
  'text-embedding-ada-002',
];

function buildModel(id: string, created: number): unknown {
  return { id, object: 'model', created, owned_by: 'system' };
}

export function planListModels(models: string[], created: number): FakePlan {
  return { kind: 'json', status: 200, body: { object: 'list', data: models.map((id) => buildModel(id, created)) } };
}

export function planRetrieveModel(models: string[], id: string, created: number): FakePlan {
  if (models.includes(id)) return { kind: 'json', status: 200, body: buildModel(id, created) };
  const error = buildOpenAIErrorBody(404, { message: `The model '${id}' does not exist`, param: 'model', code: 'model_not_found' });
  return { kind: 'json', status: 404, body: error };
}
