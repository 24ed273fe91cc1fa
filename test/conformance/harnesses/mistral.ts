/**
 * Mistral (PROTOCOLS §6) behind the native `mistral` adapter, in front of the fake Mistral API
 * (test/support/fake-mistral), which validates like the real one: an unknown field is a 422,
 * a tool-call id that is not 9 alphanumerics or a `user` turn after a `tool` turn is a 400.
 */
import { renderMistralError, startFakeMistral, type MistralFakeReply } from '../../support/fake-mistral/server.js';
import type { CannedReply, CannedUsage, Feature, HarnessInstance, ProviderHarness, UpstreamRecord } from '../harness.js';

const API_KEY = 'mistral-conformance-key-0123456789';

const SUPPORTED: readonly Feature[] = [
  'text', 'stream', 'include-usage', 'tools', 'stream-tools', 'parallel-tools', 'tool-results',
  'vision-data-url', 'vision-http-url', 'json-schema', 'reasoning', 'finish-length', 'usage-cache',
  'embeddings', 'errors',
];

export const harness: ProviderHarness = {
  name: 'mistral',
  async start(): Promise<HarnessInstance> {
    const fake = await startFakeMistral({ apiKey: API_KEY });
    let requestNo = 0;
    return {
      provider: { type: 'mistral', base_url: fake.url, api_key: API_KEY },
      chatModel: 'mistral-small-latest',
      embeddingModel: 'mistral-embed',
      supports: new Set(SUPPORTED),
      unsupportedReason: {
        'finish-content-filter': 'Mistral has no content-filter stop (moderation is a separate endpoint; safe_prompt only adds a system prompt)',
        'usage-reasoning': 'Mistral counts thinking inside completion_tokens and reports no separate reasoning count',
      },
      reply: (next) => fake.reply(renderMistralReply(next, `c61f2f15feca71626a990e3740f9${String(++requestNo).padStart(4, '0')}`)),
      requests: () => fake.requests.map((r): UpstreamRecord => ({ method: r.method, url: r.url, headers: { ...r.headers }, body: r.body })),
      close: () => fake.close(),
    };
  },
};

function usage(canned: CannedUsage | undefined): { prompt: number; completion: number; cached?: number } | undefined {
  if (canned === undefined) return undefined;
  return { prompt: canned.input, completion: canned.output, ...(canned.cacheRead === undefined ? {} : { cached: canned.cacheRead }) };
}

/** A canned reply in Mistral's terms: its finish reasons, its error bodies and statuses. */
function renderMistralReply(reply: CannedReply, requestId: string): MistralFakeReply {
  switch (reply.kind) {
    case 'text': {
      const u = usage(reply.usage);
      return {
        kind: 'text', text: reply.text,
        ...(reply.finish === undefined ? {} : { finish: reply.finish }),
        ...(reply.reasoning === undefined ? {} : { reasoning: reply.reasoning }),
        ...(u === undefined ? {} : { usage: u }),
      };
    }
    case 'tools': {
      const u = usage(reply.usage);
      return { kind: 'tools', calls: reply.calls.map((c) => ({ name: c.name, arguments: JSON.stringify(c.arguments) })), ...(u === undefined ? {} : { usage: u }) };
    }
    case 'embeddings':
      return { kind: 'embeddings', vectors: reply.vectors, ...(reply.usage === undefined ? {} : { promptTokens: reply.usage.input }) };
    case 'error': {
      const kind = reply.error === 'context_length' ? 'invalid_request' : reply.error;
      const { status, body } = renderMistralError(kind, reply.message, requestId);
      const headers = reply.error === 'rate_limit' ? { 'retry-after': String(reply.retryAfterSeconds ?? 1) } : undefined;
      return { kind: 'error', status, body, ...(headers ? { headers } : {}) };
    }
  }
}
