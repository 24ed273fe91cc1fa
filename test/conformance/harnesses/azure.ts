/**
 * Azure OpenAI (PROTOCOLS §8) behind the native `azure` adapter, on the dated deployment API
 * (`api_version` set), in front of the fake Azure resource (test/support/fake-azure): every
 * answer carries Azure's content-filter annotations and the stream opens with its
 * prompt-filter chunk, all of which the gateway must remove.
 */
import { renderAzureError, startFakeAzure, type AzureFakeReply } from '../../support/fake-azure/server.js';
import type { CannedReply, CannedUsage, Feature, HarnessInstance, ProviderHarness, UpstreamRecord } from '../harness.js';

const API_KEY = 'azure-conformance-key-0123456789abcdef';

const ALL_FEATURES: readonly Feature[] = [
  'text', 'stream', 'include-usage', 'tools', 'stream-tools', 'parallel-tools', 'tool-results',
  'vision-data-url', 'vision-http-url', 'json-schema', 'reasoning',
  'finish-length', 'finish-content-filter', 'usage-cache', 'usage-reasoning',
  'embeddings', 'errors',
];

export const harness: ProviderHarness = {
  name: 'azure',
  async start(): Promise<HarnessInstance> {
    const fake = await startFakeAzure({ apiKey: API_KEY, deployments: { 'gpt4o-prod': 'gpt-4o-2024-08-06', 'embed-small': 'text-embedding-3-small' } });
    return {
      provider: { type: 'azure', base_url: fake.endpoint, api_key: API_KEY, api_version: '2024-10-21' },
      chatModel: 'gpt4o-prod',
      embeddingModel: 'embed-small',
      supports: new Set(ALL_FEATURES),
      reply: (next) => fake.reply(renderReply(next)),
      requests: () => fake.requests.map((r): UpstreamRecord => ({ method: r.method, url: r.url, headers: { ...r.headers }, body: r.body })),
      close: () => fake.close(),
    };
  },
};

function usage(canned: CannedUsage | undefined): { usage?: { prompt: number; completion: number; cached?: number; reasoning?: number } } {
  if (canned === undefined) return {};
  return {
    usage: {
      prompt: canned.input, completion: canned.output,
      ...(canned.cacheRead === undefined ? {} : { cached: canned.cacheRead }),
      ...(canned.reasoning === undefined ? {} : { reasoning: canned.reasoning }),
    },
  };
}

function renderReply(reply: CannedReply): AzureFakeReply {
  switch (reply.kind) {
    case 'text':
      return {
        kind: 'text', text: reply.text, ...usage(reply.usage),
        ...(reply.finish === undefined ? {} : { finish: reply.finish }),
        ...(reply.reasoning === undefined ? {} : { reasoning: reply.reasoning }),
        // Exercise Azure's asynchronous filter on every streamed text answer.
        asyncFilter: true,
      };
    case 'tools':
      return { kind: 'tools', calls: reply.calls.map((c) => ({ name: c.name, arguments: JSON.stringify(c.arguments) })), ...usage(reply.usage) };
    case 'embeddings':
      return { kind: 'embeddings', vectors: reply.vectors, ...(reply.usage === undefined ? {} : { promptTokens: reply.usage.input }) };
    case 'error': {
      const { status, body } = renderAzureError(reply.error, reply.message);
      const seconds = reply.retryAfterSeconds ?? 1;
      const headers = reply.error === 'rate_limit' ? { 'retry-after': String(seconds), 'retry-after-ms': String(seconds * 1000) } : undefined;
      return { kind: 'error', status, body, ...(headers ? { headers } : {}) };
    }
  }
}
