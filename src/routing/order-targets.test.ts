import { describe, expect, it } from 'vitest';
import { createFakeProvider } from '../../test/unit/support/fake-provider.js';
import { orderTargets, type HealthSnapshot, type TargetHealth } from './order-targets.js';
import type { RoutePlan, Target } from './plan.js';

const target = (id: string, extra: Partial<Target> = {}): Target => ({ provider: createFakeProvider(id), model: 'm', weight: 1, key: `${id}/m`, ...extra });
const plan = (strategy: RoutePlan['strategy'], targets: Target[]): RoutePlan => ({ name: 'g', strategy, targets, contextWindowFallbacks: [] });
const ids = (targets: Target[]): string[] => targets.map((t) => t.provider.id);
const noRandom = (): number => {
  throw new Error('random must not be called');
};
const health = (entries: Record<string, Partial<TargetHealth>>): HealthSnapshot =>
  new Map(Object.entries(entries).map(([id, h]) => [`${id}/m`, { available: true, withinQuota: true, ...h }]));

describe('orderTargets strategies', () => {
  it('least-latency: fastest recent time to first token first; unmeasured targets first of all, in written order', () => {
    const p = plan('least-latency', [target('a'), target('b'), target('c'), target('d')]);
    expect(ids(orderTargets(p, noRandom, health({ a: { ttftMs: 900 }, b: { ttftMs: 120 }, c: { ttftMs: 400 } })))).toEqual(['d', 'b', 'c', 'a']);
    expect(ids(orderTargets(p, noRandom))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('lowest-cost: cheapest input + output price first, unpriced last, ties in written order', () => {
    const p = plan('lowest-cost', [
      target('free-ish'),
      target('dear', { price: { input: 2.5, output: 10 } }),
      target('cheap', { price: { input: 0.15, output: 0.6 } }),
      target('cheap-too', { price: { input: 0.6, output: 0.15 } }),
    ]);
    expect(ids(orderTargets(p, noRandom))).toEqual(['cheap', 'cheap-too', 'dear', 'free-ish']);
  });
});

describe('orderTargets health', () => {
  const p = plan('fallback', [target('a'), target('b'), target('c')]);

  it('leaves out targets whose breaker is open', () => {
    expect(ids(orderTargets(p, noRandom, health({ a: { available: false }, b: {}, c: {} })))).toEqual(['b', 'c']);
  });

  it('tries every target, in strategy order, when all are open rather than failing blind', () => {
    expect(ids(orderTargets(p, noRandom, health({ a: { available: false }, b: { available: false }, c: { available: false } })))).toEqual(['a', 'b', 'c']);
  });

  it('leaves out targets whose provider quota would be exceeded, unless nothing else is left', () => {
    expect(ids(orderTargets(p, noRandom, health({ a: { withinQuota: false }, b: {}, c: { available: false } })))).toEqual(['b']);
    expect(ids(orderTargets(p, noRandom, health({ a: { withinQuota: false }, b: { withinQuota: false }, c: { withinQuota: false } })))).toEqual(['a', 'b', 'c']);
  });

  it('applies health after the strategy (a weighted draw keeps its order among healthy targets)', () => {
    const weighted = plan('weighted', [target('a'), target('b', { weight: 3 }), target('c')]);
    expect(ids(orderTargets(weighted, () => 0.5, health({ b: { available: false } })))).toEqual(['c', 'a']);
  });
});
