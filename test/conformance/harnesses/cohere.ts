/**
 * Cohere v2 (PROTOCOLS §7) behind the fake in test/support/fake-cohere: canned replies are
 * rendered as Cohere's own chat bodies, typed SSE events, embed responses and `{id, message}`
 * errors with Cohere's statuses.
 */
import { startFakeCohere } from '../../support/fake-cohere/server.js';
import type { CohereFakeReply } from '../../support/fake-cohere/types.js';
import type { CannedReply, Feature, HarnessInstance, ProviderHarness } from '../harness.js';

const API_KEY = 'co-conformance-key-0123456789abcdef';

const UNSUPPORTED: Partial<Record<Feature, string>> = {
  'finish-content-filter': 'Cohere has no content-filter finish reason (COMPLETE, STOP_SEQUENCE, MAX_TOKENS, TOOL_CALL, ERROR, TIMEOUT)',
  'usage-reasoning': 'Cohere reports no separate reasoning-token count (usage.tokens has input and output only)',
};

const ALL_FEATURES: readonly Feature[] = [
  'text', 'stream', 'include-usage', 'tools', 'stream-tools', 'parallel-tools', 'tool-results',
  'vision-data-url', 'vision-http-url', 'json-schema', 'reasoning',
  'finish-length', 'finish-content-filter', 'usage-cache', 'usage-reasoning',
  'embeddings', 'errors',
];

export const harness: ProviderHarness = {
  name: 'cohere',
  async start(): Promise<HarnessInstance> {
    const fake = await startFakeCohere({ apiKey: API_KEY });
    return {
      provider: { type: 'cohere', base_url: fake.url, api_key: API_KEY },
      chatModel: 'command-a-03-2025',
      embeddingModel: 'embed-v4.0',
      supports: new Set(ALL_FEATURES.filter((feature) => UNSUPPORTED[feature] === undefined)),
      unsupportedReason: UNSUPPORTED,
      reply: (next) => fake.reply(renderCohereReply(next)),
      requests: () => fake.requests.map((r) => ({ method: r.method, url: r.url, headers: { ...r.headers }, body: r.body })),
      close: () => fake.close(),
    };
  },
};

/** A provider-neutral canned reply in Cohere's terms. */
function renderCohereReply(reply: CannedReply): CohereFakeReply {
  switch (reply.kind) {
    case 'text':
      return {
        kind: 'chat',
        text: reply.text,
        ...(reply.reasoning === undefined ? {} : { thinking: reply.reasoning }),
        ...(reply.finish === 'length' ? { finishReason: 'MAX_TOKENS' } : {}),
        ...(reply.usage ? { usage: { input: reply.usage.input, output: reply.usage.output, ...(reply.usage.cacheRead === undefined ? {} : { cached: reply.usage.cacheRead }) } } : {}),
      };
    case 'tools':
      return {
        kind: 'chat',
        toolPlan: `I will call ${reply.calls.map((c) => c.name).join(' and ')}.`,
        toolCalls: reply.calls.map((call) => ({ name: call.name, arguments: JSON.stringify(call.arguments) })),
        ...(reply.usage ? { usage: { input: reply.usage.input, output: reply.usage.output } } : {}),
      };
    case 'embeddings':
      return { kind: 'embeddings', vectors: reply.vectors, ...(reply.usage ? { billedInputTokens: reply.usage.input } : {}) };
    case 'error': {
      const status = { rate_limit: 429, overloaded: 503, auth: 401, context_length: 400, invalid_request: 400, server: 500 }[reply.error];
      const headers = reply.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(reply.retryAfterSeconds) };
      return { kind: 'error', status, message: reply.message, ...(headers ? { headers } : {}) };
    }
  }
}
