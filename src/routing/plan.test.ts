import { describe, expect, it } from 'vitest';
import { createFakeProvider } from '../../test/unit/support/fake-provider.js';
import { createSeededRandom } from '../../test/unit/support/streams.js';
import type { Provider } from '../providers/provider.js';
import { compileRouter, orderTargets, type RoutePlan, type Router } from './plan.js';

const openai = createFakeProvider('openai', { models: ['gpt-4o-mini'] });
const local = createFakeProvider('local');
const demo = createFakeProvider('demo', { models: ['chat', 'embed'], demo: true });
const providers = new Map<string, Provider>([['openai', openai], ['local', local], ['demo', demo]]);

function buildRouter(): Router {
  return compileRouter({
    groups: {
      chat: { strategy: 'fallback', targets: [{ provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'local', model: 'llama3.2', weight: 3 }] },
      fast: { strategy: 'weighted', targets: [{ provider: 'local', model: 'qwen2.5' }] },
      // A group may itself be named like a direct route; the group wins.
      'openai/gpt-4o': { strategy: 'fallback', targets: [{ provider: 'local', model: 'stand-in' }] },
    },
    providers,
    created: 1700000000,
  });
}

const summary = (plan: RoutePlan | undefined): unknown =>
  plan && { name: plan.name, strategy: plan.strategy, targets: plan.targets.map((t) => [t.provider.id, t.model, t.weight]) };

describe('compileRouter.resolve', () => {
  const router = buildRouter();

  it.each<[string, unknown]>([
    ['chat', { name: 'chat', strategy: 'fallback', targets: [['openai', 'gpt-4o-mini', 1], ['local', 'llama3.2', 3]] }],
    ['fast', { name: 'fast', strategy: 'weighted', targets: [['local', 'qwen2.5', 1]] }],
    ['openai/gpt-4o', { name: 'openai/gpt-4o', strategy: 'fallback', targets: [['local', 'stand-in', 1]] }],
    ['openai/gpt-4o-mini', { name: 'openai/gpt-4o-mini', strategy: 'direct', targets: [['openai', 'gpt-4o-mini', 1]] }],
    ['local/llama3.2:latest', { name: 'local/llama3.2:latest', strategy: 'direct', targets: [['local', 'llama3.2:latest', 1]] }],
    ['local/meta-llama/Llama-3.1-8B-Instruct', {
      name: 'local/meta-llama/Llama-3.1-8B-Instruct', strategy: 'direct', targets: [['local', 'meta-llama/Llama-3.1-8B-Instruct', 1]],
    }],
    ['demo/chat', { name: 'demo/chat', strategy: 'direct', targets: [['demo', 'chat', 1]] }],
  ])('%s', (model, expected) => {
    expect(summary(router.resolve(model))).toEqual(expected);
  });

  it.each(['gpt-4o', 'unknown/model', '/gpt-4o', 'openai/', '', 'meta-llama/Llama-3.1-8B-Instruct'])('%j → undefined', (model) => {
    expect(router.resolve(model)).toBeUndefined();
  });

  it('resolves to the configured provider objects', () => {
    expect(router.resolve('chat')?.targets[0]?.provider).toBe(openai);
  });
});

describe('compileRouter.listModels', () => {
  it('lists groups, group targets and provider models once each, in that order', () => {
    expect(buildRouter().listModels()).toEqual([
      { id: 'chat', ownedBy: 'switchyard', created: 1700000000 },
      { id: 'fast', ownedBy: 'switchyard', created: 1700000000 },
      { id: 'openai/gpt-4o', ownedBy: 'switchyard', created: 1700000000 },
      { id: 'openai/gpt-4o-mini', ownedBy: 'openai', created: 1700000000 },
      { id: 'local/llama3.2', ownedBy: 'local', created: 1700000000 },
      { id: 'local/qwen2.5', ownedBy: 'local', created: 1700000000 },
      { id: 'local/stand-in', ownedBy: 'local', created: 1700000000 },
      { id: 'demo/chat', ownedBy: 'switchyard-demo', created: 1700000000 },
      { id: 'demo/embed', ownedBy: 'switchyard-demo', created: 1700000000 },
    ]);
  });
});

describe('orderTargets', () => {
  const plan = (strategy: RoutePlan['strategy'], weights: number[]): RoutePlan => ({
    name: 'p',
    strategy,
    targets: weights.map((weight, i) => ({ provider: createFakeProvider(`p${i}`), model: `m${i}`, weight, key: `p${i}/m${i}` })),
    contextWindowFallbacks: [],
  });
  const ids = (targets: readonly { provider: Provider }[]): string[] => targets.map((t) => t.provider.id);

  it.each(['fallback', 'direct'] as const)('%s keeps the written order and never draws', (strategy) => {
    const p = plan(strategy, [1, 5, 10]);
    const random = (): number => {
      throw new Error('random must not be called');
    };
    expect(ids(orderTargets(p, random))).toEqual(['p0', 'p1', 'p2']);
    expect(orderTargets(p, random)).not.toBe(p.targets);
  });

  it.each<[number[], number[], string[]]>([
    // weights, random draws, expected order
    [[1, 1, 2], [0, 0], ['p0', 'p1', 'p2']],
    [[1, 1, 2], [0.99, 0.99], ['p2', 'p1', 'p0']],
    [[1, 1, 2], [0.3, 0.6], ['p1', 'p2', 'p0']],
    [[1, 3], [0.24], ['p0', 'p1']],
    [[1, 3], [0.26], ['p1', 'p0']],
  ])('weighted %j with draws %j → %j', (weights, draws, expected) => {
    let i = 0;
    const random = (): number => draws[i++] ?? 0;
    expect(ids(orderTargets(plan('weighted', weights), random))).toEqual(expected);
  });

  it('weighted order is a permutation, deterministic for a seed, and follows the weights', () => {
    const p = plan('weighted', [1, 2, 7]);
    const firsts = new Map<string, number>();
    const random = createSeededRandom(99);
    for (let i = 0; i < 5000; i++) {
      const order = ids(orderTargets(p, random));
      expect([...order].sort()).toEqual(['p0', 'p1', 'p2']);
      firsts.set(order[0] ?? '', (firsts.get(order[0] ?? '') ?? 0) + 1);
    }
    expect(ids(orderTargets(p, createSeededRandom(5)))).toEqual(ids(orderTargets(p, createSeededRandom(5))));
    // Expected shares 10% / 20% / 70%.
    expect((firsts.get('p0') ?? 0) / 5000).toBeGreaterThan(0.07);
    expect((firsts.get('p0') ?? 0) / 5000).toBeLessThan(0.13);
    expect((firsts.get('p2') ?? 0) / 5000).toBeGreaterThan(0.66);
    expect((firsts.get('p2') ?? 0) / 5000).toBeLessThan(0.74);
  });

  it('survives a random source that returns exactly 1', () => {
    expect(ids(orderTargets(plan('weighted', [1, 1]), () => 1))).toEqual(['p1', 'p0']);
  });
});
