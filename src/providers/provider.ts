/**
 * A provider as the router sees it: something that answers chat, completion and embedding
 * calls. HTTP providers are an adapter plus the shared transport (http-provider.ts); the
 * built-in demo provider answers in-process.
 */
import type {
  ChatRequest, ChatResponse, CompletionRequest, CompletionResponse, Dialect, EmbeddingRequest, EmbeddingResponse,
  StreamEvent,
} from '../core/types.js';

export interface ProviderCall {
  /** The upstream model id. */
  model: string;
  /** Aborted when the caller goes away or the whole-request timeout fires. */
  signal: AbortSignal;
  /** Fields the target could not express are refused (400) instead of dropped with a warning. */
  strict?: boolean;
  /** Collects the warnings of dropped fields, for the `x-switchyard-warnings` header. */
  warnings?: string[];
}

/** A reply: a whole response, or a stream of canonical events (pulled, so it can be cancelled). */
export type Outcome<R> = { stream: false; response: R } | { stream: true; events: AsyncIterable<StreamEvent> };

export interface Provider {
  readonly id: string;
  /** Config type (`openai`, `deepseek`, `mock` …). */
  readonly type: string;
  /** Wire dialect of the upstream (decides pass-through of unknown fields). */
  readonly dialect: Dialect;
  /** True for the built-in demo provider, so it can be labelled wherever it appears. */
  readonly demo: boolean;
  /** Models named in config (or built in), listed by `GET /v1/models` as `id/model`. */
  readonly models: readonly string[];
  chat(request: ChatRequest, call: ProviderCall): Promise<Outcome<ChatResponse>>;
  complete(request: CompletionRequest, call: ProviderCall): Promise<Outcome<CompletionResponse>>;
  embed(request: EmbeddingRequest, call: ProviderCall): Promise<EmbeddingResponse>;
  /** Lists upstream models with a cheap authenticated call; throws GatewayError on failure. */
  listModels(signal: AbortSignal): Promise<string[]>;
}
