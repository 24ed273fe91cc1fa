/**
 * The contract of a provider adapter: codec + URL/auth/headers + quirks. Pure: it builds
 * requests and decodes responses, streams and errors; it never does I/O.
 */
import type { GatewayError } from '../core/errors.js';
import type {
  ChatRequest, ChatResponse, CompletionRequest, CompletionResponse, Dialect, EmbeddingRequest, EmbeddingResponse,
  StreamEvent,
} from '../core/types.js';
import type { Redactor } from '../core/redact.js';
import type { UpstreamRequest } from '../transport/http.js';

export interface UpstreamErrorInfo {
  status: number;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  retryAfterMs?: number;
  sanitize: Redactor;
}

export interface ProviderAdapter {
  /** The adapter's wire dialect: same-dialect callers get unknown fields passed through. */
  readonly dialect: Dialect;
  buildChatRequest(request: ChatRequest, model: string): UpstreamRequest;
  decodeChatResponse(body: unknown): ChatResponse;
  /** `sanitize` cleans upstream text that becomes an error message (in-band errors can echo keys). */
  decodeChatStream(body: AsyncIterable<Uint8Array>, sanitize: Redactor): AsyncIterable<StreamEvent>;
  /** Absent when the provider has no legacy completions: the gateway bridges through chat. */
  buildCompletionRequest?(request: CompletionRequest, model: string): UpstreamRequest;
  decodeCompletionResponse?(body: unknown): CompletionResponse;
  decodeCompletionStream?(body: AsyncIterable<Uint8Array>): AsyncIterable<StreamEvent>;
  /** Absent when the provider has no embeddings. */
  buildEmbeddingRequest?(request: EmbeddingRequest, model: string): UpstreamRequest;
  decodeEmbeddingResponse?(body: unknown): EmbeddingResponse;
  /** A cheap authenticated call used by `switchyard check` and model discovery. */
  buildListModelsRequest(): UpstreamRequest;
  decodeModelList(body: unknown): string[];
  decodeError(info: UpstreamErrorInfo): GatewayError;
}
