import type { IncomingHttpHeaders } from 'node:http';

/** One request as the fake received it. */
export interface AzureRecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Path with the query string (`?api-version=…`). */
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** Token counts in OpenAI's meaning (totals include their subsets). */
export interface AzureFakeUsage {
  prompt: number;
  completion: number;
  cached?: number;
  reasoning?: number;
}

export interface AzureStreamControl {
  /** Write this many frames, then destroy the socket. */
  cutAfter?: number;
}

export type AzureFakeReply =
  | {
    kind: 'text';
    text: string;
    reasoning?: string;
    /** `stop` (default), `length`, `content_filter` … */
    finish?: string;
    usage?: AzureFakeUsage;
    /** Asynchronous filtering: annotation-only chunks between and after the content. */
    asyncFilter?: boolean;
    stream?: AzureStreamControl;
  }
  | { kind: 'tools'; calls: Array<{ id?: string; name: string; arguments: string }>; usage?: AzureFakeUsage; stream?: AzureStreamControl }
  | { kind: 'error'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'embeddings'; vectors: number[][]; promptTokens?: number };

export interface FakeAzureOptions {
  /** Demanded in the `api-key` header. */
  apiKey: string;
  /** Accepted as `Authorization: Bearer <token>` (Microsoft Entra ID). */
  entraToken?: string;
  /** Deployment name → the model version it serves (what responses report as `model`). */
  deployments: Record<string, string>;
}

/** A running fake Azure OpenAI resource. */
export interface FakeAzure {
  /** `http://127.0.0.1:PORT`: the resource endpoint (`https://{resource}.openai.azure.com`). */
  readonly endpoint: string;
  readonly requests: AzureRecordedRequest[];
  reply(next: AzureFakeReply): void;
  /** Forgets recorded requests and queued replies. */
  reset(): void;
  close(): Promise<void>;
}
