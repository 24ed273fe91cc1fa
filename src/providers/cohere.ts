/**
 * The Cohere v2 adapter (PROTOCOLS §7): `POST /v2/chat` (JSON or typed SSE events),
 * `POST /v2/embed`, `GET /v1/models`, Bearer auth. Legacy completions are bridged through chat.
 *
 * Embeddings take Cohere's `input_type` from the caller's body (`extra_body={"input_type":
 * "search_query"}` with the OpenAI SDKs); without one, documents are embedded as
 * `search_document`. `truncate` passes the same way.
 */
import { decodeCohereChatResponse } from '../formats/cohere/chat-response.js';
import { encodeCohereChatRequest } from '../formats/cohere/chat-request.js';
import { decodeCohereChatStream } from '../formats/cohere/chat-stream.js';
import { decodeCohereEmbedResponse, encodeCohereEmbedRequest } from '../formats/cohere/embeddings.js';
import { decodeCohereUpstreamError } from '../formats/cohere/errors.js';
import { decodeCohereModelList } from '../formats/cohere/models.js';
import type { UpstreamRequest } from '../transport/http.js';
import type { AdapterSettings, BuildContext, ProviderAdapter } from './adapter.js';

export const COHERE_DEFAULT_BASE_URL = 'https://api.cohere.com';

/** Creates the Cohere adapter. The base URL (origin, optional path prefix) is parsed once, here. */
export function createCohereAdapter(settings: Pick<AdapterSettings, 'baseUrl' | 'apiKey' | 'headers'>): ProviderAdapter {
  const url = new URL(settings.baseUrl);
  const origin = url.origin;
  const basePath = url.pathname.replace(/\/+$/, '');
  const getHeaders: Record<string, string> = { ...settings.headers };
  if (settings.apiKey) getHeaders.authorization = `Bearer ${settings.apiKey}`;
  const postHeaders: Record<string, string> = { 'content-type': 'application/json', ...getHeaders };
  const post = (path: string, body: unknown): UpstreamRequest => ({
    method: 'POST', origin, path: `${basePath}${path}`, headers: postHeaders, body: JSON.stringify(body),
  });
  const drop = (context: BuildContext) => (field: string, reason: string): void => context.drop(field, reason);

  return {
    dialect: 'cohere',
    // Cohere fetches image URLs itself; data: URIs pass as they are.
    imageUrls: 'pass',
    buildChatRequest: (request, model, context) => post('/v2/chat', encodeCohereChatRequest(request, { model, drop: drop(context) })),
    decodeChatResponse: (body, hints) => decodeCohereChatResponse(body, hints ? { model: hints.model } : {}),
    decodeChatStream: (body, sanitize, hints) => decodeCohereChatStream(body, { sanitize, ...(hints ? { model: hints.model } : {}) }),
    buildEmbeddingRequest: (request, model, context) => post('/v2/embed', encodeCohereEmbedRequest(request, { model, drop: drop(context) })),
    decodeEmbeddingResponse: decodeCohereEmbedResponse,
    buildListModelsRequest: () => ({ method: 'GET', origin, path: `${basePath}/v1/models?page_size=1000`, headers: getHeaders }),
    decodeModelList: decodeCohereModelList,
    decodeError: decodeCohereUpstreamError,
  };
}
