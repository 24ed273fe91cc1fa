import type { IncomingHttpHeaders } from 'node:http';

/** One request as the fake received it. */
export interface MistralRecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Path with the query string. */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON, or undefined when the body was empty or not JSON. */
  body: unknown;
}

/** Token counts to report (Mistral's meaning: prompt includes cached, completion includes thinking). */
export interface MistralFakeUsage {
  prompt: number;
  completion: number;
  cached?: number;
}

/** Failure controls for a streamed answer; frame counts include every `data:` frame written. */
export interface MistralStreamControl {
  /** Write this many frames, then destroy the socket. */
  cutAfter?: number;
  /** Write this many frames, then keep the response open until the client goes away. */
  hangAfter?: number;
  /** Write this many frames, then a Mistral error object as a frame, and end without `[DONE]`. */
  errorAfter?: { after: number; message: string };
}

export type MistralFakeReply =
  | { kind: 'text'; text: string; reasoning?: string; finish?: string; usage?: MistralFakeUsage; stream?: MistralStreamControl }
  | {
    kind: 'tools';
    /** `arguments` is JSON text as Mistral sends it; `id` defaults to a generated 9-character id. */
    calls: Array<{ id?: string; name: string; arguments: string }>;
    usage?: MistralFakeUsage;
    stream?: MistralStreamControl;
  }
  | { kind: 'error'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'embeddings'; vectors: number[][]; promptTokens?: number };

/** A running fake Mistral API. */
export interface FakeMistral {
  /** Base URL including `/v1`, as configured for the gateway. */
  readonly url: string;
  readonly requests: MistralRecordedRequest[];
  /** Queues the answer to the next chat or embeddings call (without one: a default text answer). */
  reply(next: MistralFakeReply): void;
  /** Forgets recorded requests and queued replies. */
  reset(): void;
  /** Resolves when a client goes away before its response was finished. */
  waitForClientAbort(): Promise<void>;
  close(): Promise<void>;
}
