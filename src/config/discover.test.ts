import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverProviders, normaliseOllamaHost } from './discover.js';
import { validateConfig } from './load.js';

/** A tiny stand-in for Ollama: `GET /api/tags` answers with `status`. */
async function startFakeOllama(status: number): Promise<{ server: Server; host: string }> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/api/tags' ? status : 404, { 'content-type': 'application/json' });
    res.end('{"models":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A port that nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('discoverProviders', () => {
  let ollama: { server: Server; host: string };
  let broken: { server: Server; host: string };
  let noOllama: string;

  beforeAll(async () => {
    ollama = await startFakeOllama(200);
    broken = await startFakeOllama(500);
    noOllama = `127.0.0.1:${await closedPort()}`;
  });
  afterAll(async () => {
    await Promise.all([ollama, broken].map(({ server }) => new Promise((resolve) => server.close(resolve))));
  });

  const SECRETS = {
    OPENAI_API_KEY: 'sk-openai-secret-0001',
    GROQ_API_KEY: 'gsk_groq-secret-0002',
    ZHIPU_API_KEY: 'zhipu-secret-0003',
    DEEPSEEK_API_KEY: '',
    VLLM_API_KEY: 'vllm-secret-0004',
  };

  it('finds a provider per preset whose key variable is set, with no secret in the report', async () => {
    const { providers, found } = await discoverProviders({ ...SECRETS, OLLAMA_HOST: noOllama }, 300);
    expect(providers).toEqual({
      openai: { type: 'openai', api_key: 'sk-openai-secret-0001' },
      groq: { type: 'groq', api_key: 'gsk_groq-secret-0002' },
      zhipu: { type: 'zhipu', api_key: 'zhipu-secret-0003' },
    });
    expect(found).toEqual([
      'openai (OpenAI, key from OPENAI_API_KEY)',
      'groq (Groq, key from GROQ_API_KEY)',
      'zhipu (Zhipu GLM, key from ZHIPU_API_KEY)',
    ]);
    const report = found.join('\n');
    for (const secret of Object.values(SECRETS).filter((s) => s !== '')) expect(report).not.toContain(secret);
  });

  it('prefers the first key variable of a preset', async () => {
    const { providers, found } = await discoverProviders({ ZHIPUAI_API_KEY: 'first', ZHIPU_API_KEY: 'second', OLLAMA_HOST: noOllama }, 300);
    expect(providers.zhipu?.api_key).toBe('first');
    expect(found).toEqual(['zhipu (Zhipu GLM, key from ZHIPUAI_API_KEY)']);
  });

  it('finds nothing in an empty environment with no Ollama', async () => {
    expect(await discoverProviders({ OLLAMA_HOST: noOllama }, 300)).toEqual({ providers: {}, found: [] });
  });

  it('adds a reachable Ollama', async () => {
    const { providers, found } = await discoverProviders({ OLLAMA_HOST: ollama.host }, 1_000);
    expect(providers).toEqual({ ollama: { type: 'ollama', base_url: `http://${ollama.host}` } });
    expect(found).toEqual([`ollama (local, http://${ollama.host})`]);
  });

  it('skips an Ollama that answers with an error', async () => {
    expect((await discoverProviders({ OLLAMA_HOST: broken.host }, 1_000)).providers).toEqual({});
  });

  it('produces a document that validates as a config', async () => {
    const { providers } = await discoverProviders({ ...SECRETS, OLLAMA_HOST: ollama.host }, 1_000);
    const config = validateConfig({ providers }, 'discovered', {});
    expect(Object.keys(config.providers).sort()).toEqual(['groq', 'ollama', 'openai', 'zhipu']);
  });
});

describe('normaliseOllamaHost', () => {
  it.each<[string | undefined, string]>([
    [undefined, 'http://127.0.0.1:11434'],
    ['', 'http://127.0.0.1:11434'],
    ['  ', 'http://127.0.0.1:11434'],
    ['0.0.0.0', 'http://127.0.0.1:11434'],
    ['0.0.0.0:8080', 'http://127.0.0.1:8080'],
    ['gpu-box', 'http://gpu-box:11434'],
    ['gpu-box:1234', 'http://gpu-box:1234'],
    ['gpu-box:80', 'http://gpu-box'],
    ['gpu-box:1234/', 'http://gpu-box:1234'],
    ['[::1]', 'http://[::1]:11434'],
    ['[::1]:9000', 'http://[::1]:9000'],
    ['http://gpu-box:11434', 'http://gpu-box:11434'],
    ['http://gpu-box:11434/', 'http://gpu-box:11434'],
    ['http://0.0.0.0:11434', 'http://127.0.0.1:11434'],
    // A URL with a scheme keeps that scheme's default port, as Ollama's own client does.
    ['https://ollama.example.com', 'https://ollama.example.com'],
    ['http://ollama.internal', 'http://ollama.internal'],
    ['https://ollama.example.com:8443', 'https://ollama.example.com:8443'],
  ])('%j → %s', (value, expected) => {
    expect(normaliseOllamaHost(value)).toBe(expected);
  });
});

describe('discoverProviders: native providers', () => {
  it('finds native providers from their key variables, and Azure only with its endpoint', async () => {
    const env = {
      ANTHROPIC_API_KEY: 'sk-ant-test-0123456789',
      GEMINI_API_KEY: 'gem-test-0123456789',
      MISTRAL_API_KEY: 'mis-test-0123456789',
      HF_TOKEN: 'hf_test0123456789',
      CO_API_KEY: 'co-test-0123456789',
      AZURE_OPENAI_API_KEY: 'az-test-0123456789',
      OLLAMA_HOST: '127.0.0.1:9',
    };
    const withoutEndpoint = await discoverProviders(env, 50);
    expect(Object.keys(withoutEndpoint.providers).sort()).toEqual(['anthropic', 'cohere', 'gemini', 'huggingface', 'mistral']);
    expect(withoutEndpoint.providers.cohere).toEqual({ type: 'cohere', api_key: 'co-test-0123456789' });
    expect(withoutEndpoint.found.join('\n')).not.toContain('0123456789');
    const withEndpoint = await discoverProviders({ ...env, AZURE_OPENAI_ENDPOINT: 'https://res.openai.azure.com' }, 50);
    expect(withEndpoint.providers.azure).toEqual({ type: 'azure', api_key: 'az-test-0123456789', base_url: 'https://res.openai.azure.com' });
  });
});
