/**
 * The Anthropic harness: Switchyard's native `anthropic` adapter in front of the fake Messages
 * API (test/support/fake-anthropic), which renders each canned reply in Anthropic's wire format
 * (PROTOCOLS §2) and validates requests as the real API does. Anthropic has no embeddings API;
 * every other feature of the matrix is expressible (JSON output through a forced tool).
 */
import { startFakeAnthropic, type FakeAnthropicReply, type RecordedAnthropicRequest } from '../../support/fake-anthropic/server.js';
import type { CannedReply, Feature, HarnessInstance, ProviderHarness, UpstreamRecord } from '../harness.js';

const API_KEY = 'sk-ant-api03-conformance-0123456789abcdef';

const SUPPORTED: readonly Feature[] = [
  'text', 'stream', 'include-usage', 'tools', 'stream-tools', 'parallel-tools', 'tool-results',
  'vision-data-url', 'vision-http-url', 'json-schema', 'reasoning',
  'finish-length', 'finish-content-filter', 'usage-cache', 'usage-reasoning', 'errors',
];

const ERRORS: Record<Extract<CannedReply, { kind: 'error' }>['error'], { status: number; type: string }> = {
  rate_limit: { status: 429, type: 'rate_limit_error' },
  overloaded: { status: 529, type: 'overloaded_error' },
  auth: { status: 401, type: 'authentication_error' },
  context_length: { status: 400, type: 'invalid_request_error' },
  invalid_request: { status: 400, type: 'invalid_request_error' },
  server: { status: 500, type: 'api_error' },
};

const STOP_REASONS = { stop: 'end_turn', length: 'max_tokens', content_filter: 'refusal' } as const;

/** A provider-neutral reply in Anthropic's terms (its `input_tokens` exclude cache reads). */
function toFakeReply(reply: CannedReply): FakeAnthropicReply {
  const usage = 'usage' in reply && reply.usage && reply.kind !== 'embeddings'
    ? {
      input: reply.usage.input - (reply.usage.cacheRead ?? 0),
      output: reply.usage.output,
      ...(reply.usage.cacheRead === undefined ? {} : { cacheRead: reply.usage.cacheRead }),
      ...(reply.usage.reasoning === undefined ? {} : { thinking: reply.usage.reasoning }),
    }
    : undefined;
  switch (reply.kind) {
    case 'text':
      return {
        kind: 'text', text: reply.text, stopReason: STOP_REASONS[reply.finish ?? 'stop'],
        ...(reply.reasoning === undefined ? {} : { thinking: reply.reasoning }), ...(usage ? { usage } : {}),
      };
    case 'tools':
      return { kind: 'tools', calls: reply.calls.map((c) => ({ name: c.name, input: c.arguments })), ...(usage ? { usage } : {}) };
    case 'error':
      return {
        kind: 'error', ...ERRORS[reply.error], message: reply.message,
        ...(reply.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: reply.retryAfterSeconds }),
      };
    case 'embeddings':
      throw new Error('Anthropic has no embeddings API');
  }
}

export const harness: ProviderHarness = {
  name: 'anthropic',
  async start(): Promise<HarnessInstance> {
    const fake = await startFakeAnthropic({ apiKey: API_KEY });
    return {
      provider: { type: 'anthropic', base_url: fake.url, api_key: API_KEY },
      chatModel: 'claude-sonnet-4-5-20250929',
      supports: new Set(SUPPORTED),
      unsupportedReason: {
        embeddings: 'Anthropic has no embeddings API (Switchyard answers 400 unsupported; Anthropic points to Voyage AI)',
      },
      reply: (next) => fake.script({ reply: toFakeReply(next) }),
      requests: () => fake.requests.map(toUpstreamRecord),
      close: () => fake.close(),
    };
  },
};

function toUpstreamRecord(request: RecordedAnthropicRequest): UpstreamRecord {
  return { method: request.method, url: request.url, headers: { ...request.headers }, body: request.body };
}
