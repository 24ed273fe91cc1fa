/**
 * Mistral La Plateforme (PROTOCOLS §6): `POST {base}/chat/completions`, `/embeddings`,
 * `GET /models`, `Authorization: Bearer`. The wire is OpenAI-like but strict, so the adapter has
 * its own dialect (`mistral`): bodies are built by the Mistral codec from an allow-list, and
 * responses are re-encoded for OpenAI callers rather than relayed byte for byte. Legacy
 * completions are bridged through chat (Mistral's FIM endpoint is a different operation).
 */
import { isRecord } from '../core/parse.js';
import { decodeOpenAIEmbeddingResponse } from '../formats/openai/embeddings.js';
import { decodeMistralUpstreamError } from '../formats/mistral/errors.js';
import { encodeMistralChatRequest, encodeMistralEmbeddingRequest } from '../formats/mistral/request.js';
import { decodeMistralChatResponse } from '../formats/mistral/response.js';
import { decodeMistralChatStream } from '../formats/mistral/stream.js';
import type { UpstreamRequest } from '../transport/http.js';
import type { AdapterSettings, ProviderAdapter } from './adapter.js';

export const MISTRAL_DEFAULT_BASE_URL = 'https://api.mistral.ai/v1';

/** Creates the Mistral adapter. The base URL is parsed once, here. */
export function createMistralAdapter(settings: Pick<AdapterSettings, 'baseUrl' | 'apiKey' | 'headers'>): ProviderAdapter {
  const url = new URL(settings.baseUrl);
  const origin = url.origin;
  const basePath = url.pathname.replace(/\/+$/, '');
  const query = url.search;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...settings.headers };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  const getHeaders = { ...headers };
  delete getHeaders['content-type'];
  const streamHeaders = { ...headers, accept: 'text/event-stream' };

  const post = (path: string, body: unknown, stream = false): UpstreamRequest => ({
    method: 'POST', origin, path: `${basePath}${path}${query}`, headers: stream ? streamHeaders : headers, body: JSON.stringify(body),
  });

  return {
    dialect: 'mistral',
    buildChatRequest: (request, model, context) =>
      post('/chat/completions', encodeMistralChatRequest(request, model, context), request.stream),
    decodeChatResponse: decodeMistralChatResponse,
    decodeChatStream: decodeMistralChatStream,
    buildEmbeddingRequest: (request, model, context) => post('/embeddings', encodeMistralEmbeddingRequest(request, model, context)),
    decodeEmbeddingResponse: decodeOpenAIEmbeddingResponse,
    buildListModelsRequest: () => ({ method: 'GET', origin, path: `${basePath}/models${query}`, headers: getHeaders }),
    decodeModelList: (body) =>
      isRecord(body) && Array.isArray(body.data)
        ? body.data.flatMap((m) => (isRecord(m) && typeof m.id === 'string' ? [m.id] : []))
        : [],
    decodeError: decodeMistralUpstreamError,
  };
}
