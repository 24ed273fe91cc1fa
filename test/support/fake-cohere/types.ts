import type { IncomingHttpHeaders } from 'node:http';

/** One request as the fake received it. */
export interface CohereRecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Request target with the query string. */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
}

/** Token counts for `usage.tokens` (Cohere's `cached_tokens` is a subset of the input). */
export interface CohereFakeUsage {
  input: number;
  output: number;
  cached?: number;
}

/** A chat answer in Cohere's own terms; the fake renders it as JSON or as the SSE event sequence. */
export interface CohereFakeChat {
  kind: 'chat';
  text?: string;
  /** `thinking` content before the text. */
  thinking?: string;
  toolPlan?: string;
  /** Arguments are JSON text as Cohere sends it (may be `null`). */
  toolCalls?: Array<{ id?: string; name: string; arguments: string }>;
  /** COMPLETE (default; TOOL_CALL with tool calls), MAX_TOKENS, STOP_SEQUENCE, ERROR, TIMEOUT. */
  finishReason?: string;
  usage?: CohereFakeUsage;
  /** For streams: stop writing after this many events and destroy the socket. */
  cutAfter?: number;
  /** For streams: end the response cleanly after this many events (no `message-end`). */
  endAfter?: number;
  /** For streams: stop writing after this many events and keep the response open (until the client leaves). */
  hangAfter?: number;
  /** For streams: an `error` text in `message-end` (generation failed mid-stream). */
  endError?: string;
}

/** An HTTP error answer: `{"id", "message"}` with the status, plus headers (retry-after …). */
export interface CohereFakeError {
  kind: 'error';
  status: number;
  message: string;
  headers?: Record<string, string>;
}

export interface CohereFakeEmbeddings {
  kind: 'embeddings';
  vectors: number[][];
  billedInputTokens?: number;
}

export type CohereFakeReply = CohereFakeChat | CohereFakeError | CohereFakeEmbeddings;

export interface FakeCohere {
  /** `http://127.0.0.1:PORT`, the base URL for the gateway's `cohere` provider. */
  readonly url: string;
  readonly requests: CohereRecordedRequest[];
  /** Queues the answer to the next POST (chat or embed); unqueued calls get a default answer. */
  reply(next: CohereFakeReply): void;
  /** Resolves once a client has gone away before a response finished. */
  waitForClientAbort(): Promise<void>;
  close(): Promise<void>;
}
