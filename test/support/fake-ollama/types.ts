import type { IncomingHttpHeaders } from 'node:http';

/** One request as the fake received it, so tests can assert what the gateway sent upstream. */
export interface RecordedOllamaRequest {
  method: string;
  /** Path without the query string, e.g. `/api/chat`. */
  path: string;
  /** Raw request target including any query string. */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body; `undefined` when empty or not valid JSON. */
  body: unknown;
}

export interface FakeOllamaToolCall {
  name: string;
  /** An object, as Ollama sends it. */
  arguments: Record<string, unknown>;
  /** Sent only when given (Ollama ≥ 0.12 sends `call_…` ids, older versions none). */
  id?: string;
}

/** What the model "says"; rendered as Ollama's NDJSON stream or one JSON object. */
export interface FakeOllamaReply {
  text?: string;
  /** `message.thinking` (streamed before the text, like a thinking model). */
  thinking?: string;
  toolCalls?: FakeOllamaToolCall[];
  /** Default `stop` (also with tool calls: the native API never says `tool_calls`). */
  doneReason?: string;
  /** Token counts; `null` leaves the field out, as Ollama does for a zero (`omitempty`). */
  promptEvalCount?: number | null;
  evalCount?: number | null;
}

/** Controls for a streamed (`stream` true or absent) chat answer. Line counts exclude nothing. */
export interface FakeOllamaStreamScript {
  /** Replace the generated lines: objects are JSON-encoded, strings written verbatim. */
  lines?: unknown[];
  /** Write this many lines, then destroy the socket. */
  cutAfter?: number;
  /** Write this many lines, then end the response cleanly without the `done` line. */
  endAfter?: number;
  /** Write this many lines, then keep the response open until the client goes away. */
  hangAfter?: number;
  /** Write `after` lines, then `{"error": message}` and end (HTTP status already 200). */
  errorAfter?: { after: number; message: string };
  /** Default `\n` (Ollama's own); `\r\n` as a rewriting proxy would deliver. */
  lineEnding?: '\n' | '\r\n';
  /** Split the byte stream into writes of these sizes (cycled), ignoring line boundaries. */
  writeSizes?: number[];
}

/** One scripted answer; fields combine. */
export interface FakeOllamaScript {
  /** Only requests to this path use the script (default any). */
  path?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Answer with this status and `{"error": error}` (default message per status). */
  status?: number;
  error?: string;
  /** Extra response headers (e.g. `retry-after`). */
  headers?: Record<string, string>;
  reply?: FakeOllamaReply;
  /** `/api/embed`: these vectors instead of the generated ones. */
  embeddings?: number[][];
  /** `/api/embed`: reported `prompt_eval_count`. */
  embedPromptEvalCount?: number;
  stream?: FakeOllamaStreamScript;
}

export type FakeOllamaScriptHandler = FakeOllamaScript | ((request: RecordedOllamaRequest) => FakeOllamaScript | undefined);

export interface FakeOllamaOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (Ollama cloud) or get a 401. */
  apiKey?: string;
  /** Installed models (`/api/tags`); others get Ollama's 404. Default: llama3.2, qwen3:8b, nomic-embed-text. */
  models?: string[];
}

export interface FakeOllama {
  /** `http://127.0.0.1:PORT` — Ollama's base URL (no `/v1`). */
  readonly url: string;
  readonly requests: RecordedOllamaRequest[];
  /** Requests whose client went away before the answer was complete. */
  readonly closedRequests: number;
  /** Queues a script for the next `times` (default 1; `Infinity` = always) matching requests. */
  script(handler: FakeOllamaScriptHandler, options?: { times?: number }): void;
  /** Resolves once at least `count` (default 1) client aborts have been seen. */
  waitForClose(count?: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}
