/**
 * What the conformance scenarios share: the scenario shape, the per-cell context (a real gateway
 * whose only provider is one harness's fake, and an official `openai` SDK client), a loopback
 * image server, and small readers for streams, upstream bodies and SDK errors.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import type { Feature, HarnessInstance, ProviderHarness, UpstreamRecord } from './harness.js';

/** Everything one scenario run gets. */
export interface ScenarioContext {
  client: OpenAI;
  h: HarnessInstance;
  /** The public model name that routes straight to the harness's chat model (`provider/model`). */
  model: string;
  /** Same for the embedding model, when the harness has one. */
  embeddingModel: string | undefined;
  images: ImageServer;
}

/** One conformance check, written once in OpenAI terms. */
export interface Scenario {
  id: string;
  /** Every feature the scenario needs; a harness lacking one skips it, saying why. */
  requires: readonly Feature[];
  run(ctx: ScenarioContext): Promise<void>;
}

/** A 1×1 red PNG. */
export const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
export const PNG_DATA_URL = `data:image/png;base64,${PNG_BASE64}`;

/** A loopback HTTP server for image URLs; records every hit. */
export interface ImageServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Paths requested, oldest first. */
  hits: string[];
  close(): Promise<void>;
}

/** Serves `/dot.png` (image/png); anything else is a 404. */
export async function startImageServer(): Promise<ImageServer> {
  const hits: string[] = [];
  const png = Buffer.from(PNG_BASE64, 'base64');
  const server = createServer((req, res) => {
    hits.push(req.url ?? '/');
    if (req.url !== '/dot.png') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A running cell: one harness instance and a gateway in front of it. */
export interface Cell {
  ctx: Omit<ScenarioContext, 'images'>;
  gw: RunningGateway;
  close(): Promise<void>;
}

/**
 * Starts a fresh harness instance and a gateway whose only provider is its fake. The gateway
 * does not retry (`routing.retries: 0`) and may fetch loopback image URLs (the matrix's image
 * server is on 127.0.0.1).
 */
export async function startCell(harness: ProviderHarness): Promise<Cell> {
  const h = await harness.start();
  const id = harness.name.replace(/[^A-Za-z0-9_.-]/g, '-');
  let gw: RunningGateway;
  try {
    gw = await startGateway(
      { providers: { [id]: { ...h.provider, allow_private_image_urls: true } }, routing: { retries: 0 } },
      { sleep: () => Promise.resolve(), random: () => 0.5 },
    );
  } catch (error) {
    await h.close();
    throw error;
  }
  const client = new OpenAI({ baseURL: gw.baseURL, apiKey: gw.masterKey, maxRetries: 0 });
  return {
    ctx: {
      client,
      h,
      model: `${id}/${h.chatModel}`,
      embeddingModel: h.embeddingModel === undefined ? undefined : `${id}/${h.embeddingModel}`,
    },
    gw,
    async close() {
      await gw.close();
      await h.close();
    },
  };
}

/** The features of `requires` the harness lacks, each with its reason. */
export function describeMissing(scenario: Scenario, h: Pick<HarnessInstance, 'supports' | 'unsupportedReason'>): string | undefined {
  const missing = scenario.requires.filter((feature) => !h.supports.has(feature));
  if (missing.length === 0) return undefined;
  return missing.map((feature) => `${feature}: ${h.unsupportedReason?.[feature] ?? 'not supported by this provider'}`).join('; ');
}

/** Every chunk of a stream, in order. */
export async function collectChunks(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** The upstream requests a scenario caused: those after the first `before`. */
export function requestsSince(h: HarnessInstance, before: number): UpstreamRecord[] {
  return h.requests().slice(before);
}

/** Every upstream request body of `records`, as one JSON text, for "the fake saw X somewhere" checks. */
export function upstreamText(records: UpstreamRecord[]): string {
  return records.map((r) => (typeof r.body === 'string' ? r.body : JSON.stringify(r.body))).join('\n');
}

/** The APIError `promise` rejects with; fails when it resolves or throws something else. */
export async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('expected the call to fail with an API error');
}

/** A non-OpenAI field of a message or delta (`reasoning_content`), read without casts to `any`. */
export function readField(value: unknown, field: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
}
