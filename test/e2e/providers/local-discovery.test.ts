/**
 * Local model discovery at start-up: a fake Ollama's `/api/tags` and a fake local
 * OpenAI-compatible server's `/v1/models` feed `GET /v1/models` as `provider/model`; cloud
 * providers are not asked unless `discover: true`, local ones not when `discover: false`; a
 * local server that is down or hangs neither fails nor stalls the start.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../support/fake-openai.js';
import { startGateway, type RunningGateway } from '../../support/gateway.js';

let ollama: FakeOllama;
let lmstudio: FakeOpenAI;
let cloud: FakeOpenAI;
let hanging: Server;
let closedPort: number;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: ['llama3.2:latest', 'qwen3:8b', 'nomic-embed-text:latest'] });
  lmstudio = await startFakeOpenAI({ models: ['qwen2.5-7b-instruct', 'text-embedding-nomic-embed-text-v1.5'] });
  cloud = await startFakeOpenAI({ models: ['gpt-4o-mini'] });
  // Accepts connections and never answers.
  hanging = createServer(() => {});
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closedPort = (spare.address() as AddressInfo).port;
  await new Promise((resolve) => spare.close(resolve));
});
afterAll(async () => {
  await Promise.all([ollama.close(), lmstudio.close(), cloud.close()]);
  hanging.closeAllConnections();
  await new Promise((resolve) => hanging.close(resolve));
});

async function listIds(gw: RunningGateway): Promise<string[]> {
  const client = new OpenAI({ baseURL: gw.baseURL, apiKey: gw.masterKey, maxRetries: 0 });
  const ids: string[] = [];
  for await (const model of client.models.list()) ids.push(model.id);
  return ids;
}

describe('local model discovery', () => {
  it('lists what the local servers have as provider/model; cloud providers are not asked', async () => {
    const gw = await startGateway({
      providers: {
        ollama: { type: 'ollama', base_url: ollama.url },
        lmstudio: { type: 'lmstudio', base_url: lmstudio.url },
        cloud: { type: 'openai-compatible', base_url: cloud.url, models: ['configured-only'] },
      },
    });
    try {
      const ids = await listIds(gw);
      expect(ids).toEqual(expect.arrayContaining([
        'ollama/llama3.2', 'ollama/qwen3:8b', 'ollama/nomic-embed-text',
        'lmstudio/qwen2.5-7b-instruct', 'lmstudio/text-embedding-nomic-embed-text-v1.5',
        'cloud/configured-only',
      ]));
      expect(ids.filter((id) => id.startsWith('cloud/'))).toEqual(['cloud/configured-only']);
      expect(ollama.requests.filter((r) => r.path === '/api/tags')).toHaveLength(1);
      expect(cloud.requests).toEqual([]);
      // A discovered model routes like any provider/model name.
      const client = new OpenAI({ baseURL: gw.baseURL, apiKey: gw.masterKey, maxRetries: 0 });
      const model = await client.models.retrieve('ollama/qwen3:8b');
      expect(model).toMatchObject({ id: 'ollama/qwen3:8b', owned_by: 'ollama' });
      const completion = await client.chat.completions.create({ model: 'ollama/qwen3:8b', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0]?.message.content).toBe('Hello from the fake Ollama.');
    } finally {
      await gw.close();
    }
  });

  it('follows `discover`: on for a cloud-type provider that asks, off for a local one that declines', async () => {
    const before = ollama.requests.length;
    const gw = await startGateway({
      providers: {
        ollama: { type: 'ollama', base_url: ollama.url, discover: false },
        cloud: { type: 'openai-compatible', base_url: cloud.url, discover: true },
      },
    });
    try {
      const ids = await listIds(gw);
      expect(ids).toEqual(['cloud/gpt-4o-mini']);
      expect(ollama.requests.length).toBe(before);
    } finally {
      await gw.close();
    }
  });

  it('a local server that is down or never answers neither fails nor stalls the start', async () => {
    const started = performance.now();
    const gw = await startGateway(
      {
        providers: {
          down: { type: 'vllm', base_url: `http://127.0.0.1:${closedPort}/v1` },
          stuck: { type: 'ollama', base_url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}` },
          ollama: { type: 'ollama', base_url: ollama.url },
        },
      },
      { discoveryTimeoutMs: 200 },
    );
    try {
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(await listIds(gw)).toEqual(['ollama/llama3.2', 'ollama/qwen3:8b', 'ollama/nomic-embed-text']);
      const failures = gw.logs.filter((line) => line.msg === 'model discovery failed').map((line) => line.provider).sort();
      expect(failures).toEqual(['down', 'stuck']);
    } finally {
      await gw.close();
    }
  });
});
