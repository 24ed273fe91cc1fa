/**
 * Ollama's native API (`/api/chat`, `/api/embed`) behind the fake in test/support/fake-ollama:
 * canned replies become NDJSON streams or `stream: false` bodies exactly as Ollama writes them
 * (PROTOCOLS §4). Tool calls come without ids (older servers), so the gateway's synthesised ids
 * are what the scenarios see. The fake demands a Bearer key, as Ollama cloud does.
 */
import { startFakeOllama, type FakeOllamaScript, type RecordedOllamaRequest } from '../../support/fake-ollama.js';
import type { CannedReply, Feature, HarnessInstance, ProviderHarness, UpstreamRecord } from '../harness.js';

const API_KEY = 'ollama-conformance-key-0123456789';

const SUPPORTED: readonly Feature[] = [
  'text', 'stream', 'include-usage', 'tools', 'stream-tools', 'parallel-tools', 'tool-results',
  'vision-data-url', 'vision-http-url', 'json-schema', 'reasoning', 'finish-length', 'embeddings', 'errors',
];

const UNSUPPORTED: Partial<Record<Feature, string>> = {
  'finish-content-filter': 'Ollama has no content filter: done_reason is only stop, length, load or unload',
  'usage-cache': 'Ollama reports no cached-token count (prompt_eval_count just leaves out what the KV cache reused)',
  'usage-reasoning': 'Ollama counts thinking inside eval_count and reports no reasoning subset',
};

export const harness: ProviderHarness = {
  name: 'ollama',
  async start(): Promise<HarnessInstance> {
    const fake = await startFakeOllama({ apiKey: API_KEY });
    const queue: CannedReply[] = [];
    // One standing handler: each chat or embed call takes the next canned reply, if any.
    fake.script((request) => {
      if (request.method !== 'POST') return undefined;
      const next = queue.shift();
      return next === undefined ? undefined : renderOllamaScript(next);
    }, { times: Infinity });
    return {
      provider: { type: 'ollama', base_url: fake.url, api_key: API_KEY },
      chatModel: 'llama3.2',
      embeddingModel: 'nomic-embed-text',
      supports: new Set(SUPPORTED),
      unsupportedReason: UNSUPPORTED,
      reply: (next) => void queue.push(next),
      requests: () => fake.requests.map(toUpstreamRecord),
      close: () => fake.close(),
    };
  },
};

function toUpstreamRecord(request: RecordedOllamaRequest): UpstreamRecord {
  return { method: request.method, url: request.url, headers: { ...request.headers }, body: request.body };
}

/** A canned reply → the fake's script: Ollama's field names, statuses and `{"error":"…"}` bodies. */
function renderOllamaScript(reply: CannedReply): FakeOllamaScript {
  switch (reply.kind) {
    case 'text':
      return {
        reply: {
          text: reply.text,
          ...(reply.reasoning === undefined ? {} : { thinking: reply.reasoning }),
          doneReason: reply.finish === 'length' ? 'length' : 'stop',
          ...(reply.usage === undefined ? {} : { promptEvalCount: reply.usage.input, evalCount: reply.usage.output }),
        },
      };
    case 'tools':
      return {
        reply: {
          toolCalls: reply.calls.map((call) => ({ name: call.name, arguments: call.arguments })),
          ...(reply.usage === undefined ? {} : { promptEvalCount: reply.usage.input, evalCount: reply.usage.output }),
        },
      };
    case 'embeddings':
      return { embeddings: reply.vectors, ...(reply.usage === undefined ? {} : { embedPromptEvalCount: reply.usage.input }) };
    case 'error':
      return renderOllamaError(reply);
  }
}

function renderOllamaError(reply: Extract<CannedReply, { kind: 'error' }>): FakeOllamaScript {
  const error = reply.message;
  switch (reply.error) {
    case 'rate_limit':
      return { status: 429, error, headers: { 'retry-after': String(reply.retryAfterSeconds ?? 1) } };
    case 'overloaded':
      // Ollama's overload signal: its request queue is full (OLLAMA_MAX_QUEUE).
      return { status: 503, error };
    case 'auth':
      return { status: 401, error };
    case 'context_length':
    case 'invalid_request':
      return { status: 400, error };
    case 'server':
      return { status: 500, error };
  }
}
