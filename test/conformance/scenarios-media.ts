/**
 * Images in user messages (data URL and http URL, PROTOCOLS §9.4) and embeddings in both
 * encodings (the SDK asks for base64 by default and decodes client-side, §1.9).
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { expect } from 'vitest';
import { PNG_BASE64, PNG_DATA_URL, requestsSince, upstreamText, type Scenario } from './support.js';

function lookAt(url: string): ChatCompletionMessageParam[] {
  return [{
    role: 'user',
    content: [
      { type: 'text', text: 'What colour is this dot?' },
      { type: 'image_url', image_url: { url } },
    ],
  }];
}

const visionDataUrl: Scenario = {
  id: 'vision data URL',
  requires: ['vision-data-url'],
  async run({ client, h, model }) {
    const before = h.requests().length;
    h.reply({ kind: 'text', text: 'It is red.' });
    const completion = await client.chat.completions.create({ model, messages: lookAt(PNG_DATA_URL) });
    expect(completion.choices[0]?.message.content).toBe('It is red.');
    const wire = upstreamText(requestsSince(h, before));
    expect(wire).toContain(PNG_BASE64);
    expect(wire).toContain('What colour is this dot?');
  },
};

const visionHttpUrl: Scenario = {
  id: 'vision http URL',
  requires: ['vision-http-url'],
  async run({ client, h, model, images }) {
    const before = h.requests().length;
    const hitsBefore = images.hits.length;
    const url = `${images.origin}/dot.png`;
    h.reply({ kind: 'text', text: 'It is red.' });
    const completion = await client.chat.completions.create({ model, messages: lookAt(url) });
    expect(completion.choices[0]?.message.content).toBe('It is red.');
    const wire = upstreamText(requestsSince(h, before));
    // Providers that take URLs get the URL; providers that need bytes get the image, fetched once.
    const inlined = wire.includes(PNG_BASE64);
    expect(inlined || wire.includes(url), 'the upstream body carries the URL or the image bytes').toBe(true);
    expect(images.hits.slice(hitsBefore)).toEqual(inlined ? ['/dot.png'] : []);
  },
};

/** Values chosen to be exact in float32 except 0.333, which checks float32 rounding tolerance. */
const VECTORS = [
  [0.125, -0.5, 0.333, 0.9],
  [1, 0, -0.25, 0.0625],
];

function expectVectors(data: Array<{ index: number; embedding: number[] }>): void {
  expect(data.map((d) => d.index)).toEqual([0, 1]);
  data.forEach((d, i) => {
    const expected = VECTORS[i] ?? [];
    expect(d.embedding).toHaveLength(expected.length);
    d.embedding.forEach((value, j) => expect(value).toBeCloseTo(expected[j] ?? NaN, 6));
  });
}

const embeddingsFloat: Scenario = {
  id: 'embeddings float',
  requires: ['embeddings'],
  async run({ client, h, embeddingModel }) {
    if (embeddingModel === undefined) throw new Error('the harness supports embeddings but names no embeddingModel');
    const before = h.requests().length;
    h.reply({ kind: 'embeddings', vectors: VECTORS, usage: { input: 6 } });
    const response = await client.embeddings.create({ model: embeddingModel, input: ['alpha probe', 'beta probe'], encoding_format: 'float' });
    expect(response.object).toBe('list');
    expectVectors(response.data);
    const wire = upstreamText(requestsSince(h, before));
    expect(wire).toContain('alpha probe');
    expect(wire).toContain('beta probe');
  },
};

const embeddingsBase64: Scenario = {
  id: 'embeddings base64',
  requires: ['embeddings'],
  async run({ client, h, embeddingModel }) {
    if (embeddingModel === undefined) throw new Error('the harness supports embeddings but names no embeddingModel');
    h.reply({ kind: 'embeddings', vectors: VECTORS, usage: { input: 6 } });
    // No encoding_format: the SDK asks the gateway for base64 and decodes little-endian float32s itself.
    const response = await client.embeddings.create({ model: embeddingModel, input: ['alpha probe', 'beta probe'] });
    expectVectors(response.data);
    for (const d of response.data) for (const value of d.embedding) expect(Math.fround(value)).toBe(value);
  },
};

export const MEDIA_SCENARIOS: readonly Scenario[] = [visionDataUrl, visionHttpUrl, embeddingsFloat, embeddingsBase64];
