/**
 * The reference harness: an OpenAI-compatible provider in front of the faithful fake OpenAI
 * upstream (test/support/fake-openai). Every canned reply is rendered as a fake script, so the
 * bytes on the wire are OpenAI's own (PROTOCOLS §1). Supports every feature: a failing cell here
 * means the scenario, not a translation, is wrong.
 */
import {
  encodeFloat32Base64, fakeErrors, startFakeOpenAI, type FakeScript, type FakeUsage, type RecordedRequest,
} from '../../support/fake-openai.js';
import type { CannedReply, CannedUsage, Feature, HarnessInstance, ProviderHarness, UpstreamRecord } from '../harness.js';

const API_KEY = 'sk-conformance-openai-0123456789';

const ALL_FEATURES: readonly Feature[] = [
  'text', 'stream', 'include-usage', 'tools', 'stream-tools', 'parallel-tools', 'tool-results',
  'vision-data-url', 'vision-http-url', 'json-schema', 'reasoning',
  'finish-length', 'finish-content-filter', 'usage-cache', 'usage-reasoning',
  'embeddings', 'errors',
];

export const harness: ProviderHarness = {
  name: 'openai',
  async start(): Promise<HarnessInstance> {
    const fake = await startFakeOpenAI({ apiKey: API_KEY });
    const queue: CannedReply[] = [];
    // One standing handler: each request takes the next canned reply, if any (else the fake's default).
    fake.script((request) => {
      const next = queue.shift();
      return next === undefined ? undefined : renderOpenAIScript(next, request);
    }, { times: Infinity });
    return {
      provider: { type: 'openai-compatible', base_url: fake.url, api_key: API_KEY },
      chatModel: 'gpt-4o-mini',
      embeddingModel: 'text-embedding-3-small',
      supports: new Set(ALL_FEATURES),
      reply: (next) => void queue.push(next),
      requests: () => fake.requests.map(toUpstreamRecord),
      close: () => fake.close(),
    };
  },
};

function toUpstreamRecord(request: RecordedRequest): UpstreamRecord {
  return { method: request.method, url: request.url, headers: { ...request.headers }, body: request.body };
}

/** Canned usage is already in OpenAI's sense (totals include their subsets), as the fake reports it. */
function fakeUsage(usage: CannedUsage | undefined): FakeUsage | undefined {
  if (usage === undefined) return undefined;
  return {
    promptTokens: usage.input,
    completionTokens: usage.output,
    ...(usage.cacheRead === undefined ? {} : { cachedTokens: usage.cacheRead }),
    ...(usage.reasoning === undefined ? {} : { reasoningTokens: usage.reasoning }),
  };
}

/** A canned reply → the fake's script: OpenAI's status codes, error bodies and field names. */
function renderOpenAIScript(reply: CannedReply, request: RecordedRequest): FakeScript {
  switch (reply.kind) {
    case 'text': {
      const usage = fakeUsage(reply.usage);
      return {
        reply: {
          text: reply.text,
          ...(reply.finish === undefined ? {} : { finishReason: reply.finish }),
          ...(reply.reasoning === undefined ? {} : { reasoning: reply.reasoning }),
          ...(usage === undefined ? {} : { usage }),
        },
      };
    }
    case 'tools': {
      const usage = fakeUsage(reply.usage);
      const toolCalls = reply.calls.map((call) => ({ name: call.name, arguments: JSON.stringify(call.arguments) }));
      return { reply: { toolCalls, ...(usage === undefined ? {} : { usage }) } };
    }
    case 'embeddings':
      return { body: buildEmbeddingsBody(reply, request) };
    case 'error':
      return renderOpenAIError(reply);
  }
}

function buildEmbeddingsBody(reply: Extract<CannedReply, { kind: 'embeddings' }>, request: RecordedRequest): unknown {
  const body = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
  const base64 = body.encoding_format === 'base64';
  const tokens = reply.usage?.input ?? reply.vectors.length;
  return {
    object: 'list',
    model: typeof body.model === 'string' ? body.model : 'text-embedding-3-small',
    data: reply.vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: base64 ? encodeFloat32Base64(vector) : vector,
    })),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

function renderOpenAIError(reply: Extract<CannedReply, { kind: 'error' }>): FakeScript {
  const { message } = reply;
  switch (reply.error) {
    case 'rate_limit': {
      const script = fakeErrors.rateLimited(reply.retryAfterSeconds ?? 1);
      return { ...script, error: { ...script.error, message } };
    }
    case 'overloaded':
      return { status: 503, error: { message } };
    case 'auth':
      return { status: 401, error: { message } };
    case 'context_length': {
      const script = fakeErrors.contextLengthExceeded();
      return { ...script, error: { ...script.error, message } };
    }
    case 'invalid_request':
      return { status: 400, error: { message, param: null, code: 'invalid_value' } };
    case 'server':
      return { status: 500, error: { message } };
  }
}
