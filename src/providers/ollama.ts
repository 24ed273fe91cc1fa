/**
 * The Ollama adapter: the native API (`/api/chat`, `/api/embed`, `/api/tags`), not the `/v1`
 * OpenAI shim, which drops `max_completion_tokens`, refuses image URLs and cannot set
 * `num_ctx` (PROTOCOLS §4.8). Local Ollama needs no key; Ollama cloud and authenticating
 * proxies take `Authorization: Bearer`.
 */
import { decodeOllamaEmbeddingResponse, encodeOllamaEmbeddingRequest } from '../formats/ollama/embeddings.js';
import { decodeOllamaUpstreamError } from '../formats/ollama/errors.js';
import { decodeOllamaModelList } from '../formats/ollama/models.js';
import { encodeOllamaChatRequest } from '../formats/ollama/request.js';
import { decodeOllamaChatResponse } from '../formats/ollama/response.js';
import { decodeOllamaChatStream } from '../formats/ollama/stream.js';
import type { UpstreamRequest } from '../transport/http.js';
import type { AdapterSettings, ProviderAdapter } from './adapter.js';

export const OLLAMA_DEFAULT_BASE_URL = 'http://127.0.0.1:11434';

/** Creates an Ollama adapter. The base URL is parsed once, here. */
export function createOllamaAdapter(settings: Pick<AdapterSettings, 'baseUrl' | 'apiKey' | 'headers'>): ProviderAdapter {
  const url = new URL(settings.baseUrl);
  const origin = url.origin;
  // A base URL written for the old OpenAI-compatible preset ends in `/v1`; the native API lives
  // beside that, at the server's root (or under a reverse proxy's prefix).
  const basePath = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  const headers: Record<string, string> = { 'content-type': 'application/json', ...settings.headers };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  const getHeaders = { ...headers };
  delete getHeaders['content-type'];

  const post = (path: string, body: unknown): UpstreamRequest => ({
    method: 'POST', origin, path: `${basePath}${path}${url.search}`, headers, body: JSON.stringify(body),
  });

  return {
    dialect: 'ollama',
    // `images` takes base64 only: the gateway fetches http(s) image URLs (SSRF-guarded) first.
    imageUrls: 'inline',
    buildChatRequest: (request, model, context) => post('/api/chat', encodeOllamaChatRequest(request, { model, context })),
    decodeChatResponse: decodeOllamaChatResponse,
    decodeChatStream: decodeOllamaChatStream,
    buildEmbeddingRequest: (request, model, context) => post('/api/embed', encodeOllamaEmbeddingRequest(request, { model, context })),
    decodeEmbeddingResponse: decodeOllamaEmbeddingResponse,
    buildListModelsRequest: () => ({ method: 'GET', origin, path: `${basePath}/api/tags${url.search}`, headers: getHeaders }),
    decodeModelList: decodeOllamaModelList,
    decodeError: decodeOllamaUpstreamError,
  };
}
