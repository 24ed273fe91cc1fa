import { describe, expect, it } from 'vitest';
import { createFakeProvider } from '../../test/unit/support/fake-provider.js';
import { GatewayError } from '../core/errors.js';
import { compileRouter } from '../routing/plan.js';
import { discoverProviderModels, shouldDiscoverModels } from './discover-models.js';
import type { Provider } from './provider.js';

/** A provider whose listing answers with `result`, or never (`'hang'`, ignoring its signal). */
function lister(id: string, result: string[] | Error | 'hang', models: string[] = []): Provider & { calls: number } {
  const provider = {
    ...createFakeProvider(id, { models }),
    calls: 0,
    listModels(): Promise<string[]> {
      provider.calls++;
      if (result === 'hang') return new Promise<string[]>(() => {});
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
  };
  return provider;
}

describe('shouldDiscoverModels', () => {
  it.each<[string, boolean | undefined, boolean]>([
    ['ollama', undefined, true],
    ['vllm', undefined, true],
    ['lmstudio', undefined, true],
    ['llamacpp', undefined, true],
    ['localai', undefined, true],
    ['openai', undefined, false],
    ['openai-compatible', undefined, false],
    ['groq', undefined, false],
    ['mock', undefined, false],
    ['openai-compatible', true, true],
    ['ollama', false, false],
  ])('type %s, discover %s → %s', (type, discover, expected) => {
    expect(shouldDiscoverModels(discover === undefined ? { type } : { type, discover })).toBe(expected);
  });
});

describe('discoverProviderModels', () => {
  it('lists the models of qualifying providers only, and reports each outcome', async () => {
    const local = lister('local', ['llama3.2', 'qwen3:8b']);
    const cloud = lister('cloud', ['gpt-4o']);
    const broken = lister('vllm', new GatewayError('upstream_error', 'connection refused'));
    const results: unknown[] = [];
    const found = await discoverProviderModels({
      providers: new Map<string, Provider>([['local', local], ['cloud', cloud], ['vllm', broken]]),
      settings: { local: { type: 'ollama' }, cloud: { type: 'openai' }, vllm: { type: 'vllm' } },
      timeoutMs: 1_000,
      onResult: (result) => results.push(result),
    });
    expect([...found]).toEqual([['local', ['llama3.2', 'qwen3:8b']]]);
    expect(cloud.calls).toBe(0);
    expect(results).toEqual(expect.arrayContaining([
      { provider: 'local', models: ['llama3.2', 'qwen3:8b'] },
      { provider: 'vllm', error: expect.any(GatewayError) },
    ]));
  });

  it('gives up on a provider that does not answer in time, without failing or waiting longer', async () => {
    const slow = lister('slow', 'hang');
    const fast = lister('fast', ['m1']);
    const started = performance.now();
    const found = await discoverProviderModels({
      providers: new Map<string, Provider>([['slow', slow], ['fast', fast]]),
      settings: { slow: { type: 'lmstudio' }, fast: { type: 'openai-compatible', discover: true } },
      timeoutMs: 50,
    });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect([...found]).toEqual([['fast', ['m1']]]);
  });
});

describe('compileRouter with discovered models', () => {
  it('lists discovered models as provider/model after the configured ones, without duplicates', () => {
    const providers = new Map<string, Provider>([['local', createFakeProvider('local', { models: ['llama3.2'] })]]);
    const router = compileRouter({
      groups: {}, providers, created: 1,
      discovered: new Map([['local', ['llama3.2', 'qwen3:8b']], ['gone', ['x']]]),
    });
    expect(router.listModels()).toEqual([
      { id: 'local/llama3.2', ownedBy: 'local', created: 1 },
      { id: 'local/qwen3:8b', ownedBy: 'local', created: 1 },
    ]);
  });
});
