/**
 * The Gemini harness: Switchyard's native `gemini` adapter in front of the fake Generative
 * Language API (test/support/fake-gemini), which renders each canned reply in Gemini's wire
 * format (PROTOCOLS §3). The chat model is a Gemini 3 one, so the fake also enforces thought
 * signatures on replayed function calls. Gemini can express every feature of the matrix.
 */
import { startFakeGemini, type RecordedGeminiRequest } from '../../support/fake-gemini/server.js';
import type { Feature, HarnessInstance, ProviderHarness, UpstreamRecord } from '../harness.js';

const API_KEY = 'AIzaSyConformanceGemini0123456789abcdef';

const ALL_FEATURES: readonly Feature[] = [
  'text', 'stream', 'include-usage', 'tools', 'stream-tools', 'parallel-tools', 'tool-results',
  'vision-data-url', 'vision-http-url', 'json-schema', 'reasoning',
  'finish-length', 'finish-content-filter', 'usage-cache', 'usage-reasoning',
  'embeddings', 'errors',
];

export const harness: ProviderHarness = {
  name: 'gemini',
  async start(): Promise<HarnessInstance> {
    const fake = await startFakeGemini({ apiKey: API_KEY });
    return {
      provider: { type: 'gemini', base_url: fake.url, api_key: API_KEY },
      chatModel: 'gemini-3-flash-preview',
      embeddingModel: 'gemini-embedding-001',
      supports: new Set(ALL_FEATURES),
      reply: (next) => fake.script({ reply: next }),
      requests: () => fake.requests.map(toUpstreamRecord),
      close: () => fake.close(),
    };
  },
};

function toUpstreamRecord(request: RecordedGeminiRequest): UpstreamRecord {
  return { method: request.method, url: request.url, headers: { ...request.headers }, body: request.body };
}
