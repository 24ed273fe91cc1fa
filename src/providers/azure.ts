/**
 * Azure OpenAI (PROTOCOLS §8). The body is OpenAI's (same dialect: the caller's unknown fields
 * pass through); what differs is where requests go, how the key is sent, and Azure's
 * content-filter annotations on the way back.
 *
 * URL shapes, decided by the configured `base_url` and `api_version`:
 * - `base_url` ending in `/openai/v1` → the v1 API: `{base}/chat/completions`, the target's
 *   model (the deployment name) in the body; `api_version`, if set, is sent as `api-version`
 *   (e.g. `preview`), otherwise none is needed.
 * - a resource URL (`https://{resource}.openai.azure.com`, optionally ending in `/openai`) with
 *   `api_version` → the dated deployment API:
 *   `{resource}/openai/deployments/{model}/chat/completions?api-version={api_version}`.
 * - a resource URL without `api_version` → the v1 API at `{resource}/openai/v1`, which needs no
 *   version; so a missing `api_version` is not a configuration error.
 * Auth: `api-key: <key>`, or `Authorization: Bearer <key>` with `auth: bearer` (Entra tokens).
 * Legacy completions are bridged through chat: Azure's completion models are retired, and its
 * completion streams carry the same filter annotations. Apart from `stream_options` (see
 * `acceptsStreamOptions`), fields an older api-version does not know are Azure's to refuse.
 */
import { isRecord } from '../core/parse.js';
import { decodeAzureChatResponse } from '../formats/azure/response.js';
import { decodeAzureChatStream } from '../formats/azure/stream.js';
import { encodeOpenAIChatRequest } from '../formats/openai/chat-request.js';
import { decodeOpenAIEmbeddingResponse, encodeOpenAIEmbeddingRequest } from '../formats/openai/embeddings.js';
import { decodeOpenAIUpstreamError } from '../formats/openai/errors.js';
import type { UpstreamRequest } from '../transport/http.js';
import type { AdapterSettings, ProviderAdapter } from './adapter.js';

/** Where an Azure resource's operations live, resolved once from the config. */
export interface AzureRoutes {
  origin: string;
  /** The path of operation `op` (`/chat/completions` …) for deployment `model`, query included. */
  operation(op: string, model: string): string;
  /** The path of the model list (an authenticated call that needs no deployment). */
  models: string;
}

/** Resolves the URL shape (see the file comment). Throws on a base URL that is not http(s). */
export function resolveAzureRoutes(baseUrl: string, apiVersion: string | undefined): AzureRoutes {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  const version = apiVersion === undefined ? '' : `api-version=${encodeURIComponent(apiVersion)}`;
  const withQuery = (p: string): string => (version === '' ? p : `${p}?${version}`);
  if (path.endsWith('/openai/v1') || apiVersion === undefined) {
    const v1 = path.endsWith('/openai/v1') ? path : `${path.replace(/\/openai$/, '')}/openai/v1`;
    return { origin: url.origin, operation: (op) => withQuery(`${v1}${op}`), models: withQuery(`${v1}/models`) };
  }
  const root = `${path.replace(/\/openai$/, '')}/openai`;
  return {
    origin: url.origin,
    operation: (op, model) => withQuery(`${root}/deployments/${encodeURIComponent(model)}${op}`),
    models: withQuery(`${root}/models`),
  };
}

/** Creates the Azure OpenAI adapter; throws at start-up on an `auth` mode Azure does not have. */
export function createAzureAdapter(settings: AdapterSettings): ProviderAdapter {
  const apiVersion = typeof settings.options.api_version === 'string' ? settings.options.api_version : undefined;
  const routes = resolveAzureRoutes(settings.baseUrl, apiVersion);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...settings.headers };
  Object.assign(headers, authHeader(settings));
  const getHeaders = { ...headers };
  delete getHeaders['content-type'];

  const streamOptions = acceptsStreamOptions(apiVersion);
  const post = (op: string, model: string, body: unknown): UpstreamRequest => ({
    method: 'POST', origin: routes.origin, path: routes.operation(op, model), headers, body: JSON.stringify(body),
  });

  return {
    dialect: 'openai',
    buildChatRequest: (request, model) => {
      const body = encodeOpenAIChatRequest(request, { model, passthrough: true });
      // Without it the stream carries no usage, and the gateway estimates it (flagged `estimated`).
      if (!streamOptions) delete body.stream_options;
      return post('/chat/completions', model, body);
    },
    decodeChatResponse: decodeAzureChatResponse,
    decodeChatStream: decodeAzureChatStream,
    buildEmbeddingRequest: (request, model) => post('/embeddings', model, encodeOpenAIEmbeddingRequest(request, { model, passthrough: true })),
    decodeEmbeddingResponse: decodeOpenAIEmbeddingResponse,
    buildListModelsRequest: () => ({ method: 'GET', origin: routes.origin, path: routes.models, headers: getHeaders }),
    decodeModelList: (body) =>
      isRecord(body) && Array.isArray(body.data)
        ? body.data.flatMap((m) => (isRecord(m) && typeof m.id === 'string' ? [m.id] : []))
        : [],
    decodeError: decodeOpenAIUpstreamError,
  };
}

/**
 * Dated api-versions before 2024-09-01(-preview) refuse `stream_options` with a 400
 * (openai-python #1469, Azure/azure-rest-api-specs #29157; supported from 2024-09-01-preview
 * and the 2024-10-21 GA). The v1 API and non-dated versions (`preview`) take it.
 */
function acceptsStreamOptions(apiVersion: string | undefined): boolean {
  const date = /^\d{4}-\d{2}-\d{2}/.exec(apiVersion ?? '')?.[0];
  return date === undefined || date >= '2024-09-01';
}

/** `api-key` by default (Azure's key header); a Bearer token for Microsoft Entra ID. */
function authHeader(settings: AdapterSettings): Record<string, string> {
  const mode = settings.options.auth ?? 'api-key';
  if (mode !== 'api-key' && mode !== 'bearer') {
    throw new Error(`providers.${settings.id}.auth: azure sends its key as 'api-key' (default) or 'bearer' (Entra ID), not '${String(mode)}'`);
  }
  if (!settings.apiKey) return {};
  return mode === 'bearer' ? { authorization: `Bearer ${settings.apiKey}` } : { 'api-key': settings.apiKey };
}
