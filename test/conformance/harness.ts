/**
 * The conformance matrix's contract: one harness per native provider. A harness starts a fake
 * upstream that speaks that provider's exact wire format over HTTP on 127.0.0.1, and answers
 * each call with the canned reply it was given, translated into that wire format. The
 * scenarios (scenarios.ts) are written once, in OpenAI terms, and run through the official
 * `openai` SDK against a gateway pointed at each harness.
 */

/** What a scenario needs from a provider; a harness lists what its provider can do. */
export type Feature =
  | 'text' | 'stream' | 'include-usage' | 'tools' | 'stream-tools' | 'parallel-tools' | 'tool-results'
  | 'vision-data-url' | 'vision-http-url' | 'json-schema' | 'reasoning'
  | 'finish-length' | 'finish-content-filter' | 'usage-cache' | 'usage-reasoning'
  | 'embeddings' | 'errors';

export interface CannedUsage {
  /** Prompt tokens in OpenAI's sense: including cache reads and writes. */
  input: number;
  /** Completion tokens in OpenAI's sense: including reasoning. */
  output: number;
  cacheRead?: number;
  reasoning?: number;
}

/** The next answer of the fake, in provider-neutral terms; the harness renders it natively. */
export type CannedReply =
  | { kind: 'text'; text: string; finish?: 'stop' | 'length' | 'content_filter'; usage?: CannedUsage; reasoning?: string }
  | { kind: 'tools'; calls: Array<{ name: string; arguments: Record<string, unknown> }>; usage?: CannedUsage }
  | {
    kind: 'error';
    /** rate_limit → 429 with Retry-After; overloaded → the provider's overload signal (529, 503 UNAVAILABLE …). */
    error: 'rate_limit' | 'overloaded' | 'auth' | 'context_length' | 'invalid_request' | 'server';
    message: string;
    retryAfterSeconds?: number;
  }
  | { kind: 'embeddings'; vectors: number[][]; usage?: { input: number } };

/** One upstream request as the fake received it. */
export interface UpstreamRecord {
  method: string;
  /** Path with query string. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface HarnessInstance {
  /** The gateway's provider config for this fake (type, base_url, api_key, …). */
  provider: Record<string, unknown>;
  /** Upstream model ids to use. */
  chatModel: string;
  embeddingModel?: string;
  /** Features this provider supports (the others are skipped, with the reason printed). */
  supports: ReadonlySet<Feature>;
  /** Why an unsupported feature is impossible for this provider, for the skip message. */
  unsupportedReason?: Partial<Record<Feature, string>>;
  /** Queues the answer to the next upstream call (calls without a queued reply get a default text reply). */
  reply(next: CannedReply): void;
  /** Every upstream request received, oldest first. */
  requests(): UpstreamRecord[];
  close(): Promise<void>;
}

export interface ProviderHarness {
  /** The provider type, e.g. `anthropic`. */
  name: string;
  start(): Promise<HarnessInstance>;
}
