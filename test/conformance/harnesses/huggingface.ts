/**
 * Hugging Face (PROTOCOLS §5) behind test/support/fake-huggingface: chat through the
 * OpenAI-compatible Inference Providers router, embeddings through the `hf-inference`
 * feature-extraction task (bare float arrays). Errors come in Hugging Face's shapes: the hub's
 * `{"error": "…"}` for auth, limits and overload, a provider's OpenAI-style object otherwise.
 */
import { startFakeHuggingFace, type HFFakeReply } from '../../support/fake-huggingface/server.js';
import type { FakeUsage } from '../../support/fake-openai/types.js';
import type { CannedReply, CannedUsage, Feature, HarnessInstance, ProviderHarness } from '../harness.js';

const TOKEN = 'hf_conformanceToken0123456789abcdef';

const ALL_FEATURES: readonly Feature[] = [
  'text', 'stream', 'include-usage', 'tools', 'stream-tools', 'parallel-tools', 'tool-results',
  'vision-data-url', 'vision-http-url', 'json-schema', 'reasoning',
  'finish-length', 'finish-content-filter', 'usage-cache', 'usage-reasoning',
  'embeddings', 'errors',
];

export const harness: ProviderHarness = {
  name: 'huggingface',
  async start(): Promise<HarnessInstance> {
    const fake = await startFakeHuggingFace({ token: TOKEN });
    return {
      provider: { type: 'huggingface', base_url: fake.routerUrl, api_key: TOKEN },
      chatModel: 'meta-llama/Llama-3.1-8B-Instruct:novita',
      embeddingModel: 'sentence-transformers/all-MiniLM-L6-v2',
      // The router relays an OpenAI-compatible provider: every feature is the provider's to give.
      supports: new Set(ALL_FEATURES),
      reply: (next) => fake.reply(renderHFReply(next)),
      requests: () => fake.requests.map((r) => ({ method: r.method, url: r.url, headers: { ...r.headers }, body: r.body })),
      close: () => fake.close(),
    };
  },
};

function fakeUsage(usage: CannedUsage | undefined): { usage: FakeUsage } | Record<string, never> {
  if (usage === undefined) return {};
  return {
    usage: {
      promptTokens: usage.input,
      completionTokens: usage.output,
      ...(usage.cacheRead === undefined ? {} : { cachedTokens: usage.cacheRead }),
      ...(usage.reasoning === undefined ? {} : { reasoningTokens: usage.reasoning }),
    },
  };
}

function renderHFReply(reply: CannedReply): HFFakeReply {
  switch (reply.kind) {
    case 'text':
      return {
        kind: 'chat',
        reply: {
          text: reply.text,
          ...(reply.finish === undefined ? {} : { finishReason: reply.finish }),
          ...(reply.reasoning === undefined ? {} : { reasoning: reply.reasoning }),
          ...fakeUsage(reply.usage),
        },
      };
    case 'tools':
      return { kind: 'chat', reply: { toolCalls: reply.calls.map((c) => ({ name: c.name, arguments: JSON.stringify(c.arguments) })), ...fakeUsage(reply.usage) } };
    case 'embeddings':
      return { kind: 'features', output: reply.vectors };
    case 'error':
      return renderHFError(reply);
  }
}

function renderHFError(reply: Extract<CannedReply, { kind: 'error' }>): HFFakeReply {
  const { message } = reply;
  const openAIStyle = (status: number): HFFakeReply => ({
    kind: 'error', status, body: { error: { message, type: 'invalid_request_error', param: null, code: null } },
  });
  switch (reply.error) {
    case 'rate_limit':
      return { kind: 'error', status: 429, body: { error: message }, headers: { 'retry-after': String(reply.retryAfterSeconds ?? 1) } };
    case 'overloaded':
      return { kind: 'error', status: 503, body: { error: message } };
    case 'auth':
      return { kind: 'error', status: 401, body: { error: message } };
    case 'context_length':
    case 'invalid_request':
      return openAIStyle(400);
    case 'server':
      return { kind: 'error', status: 500, body: { error: message } };
  }
}
