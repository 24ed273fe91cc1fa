import { describe, expect, it } from 'vitest';
import { computeCost, createPriceBook, createTargetPriceBook } from './pricing.js';

describe('createPriceBook', () => {
  const book = createPriceBook({
    'openai/gpt-4o-mini': { input: 0.15, cached_input: 0.075, output: 0.6 },
    'gpt-4o-mini': { input: 1, output: 1 },
    'llama3.2': { input: 0, output: 0 },
  }, { priceOf: (provider) => (provider === 'catalog' ? { input: 5, output: 15 } : undefined) });

  it('prefers provider/model, then the bare model, then the fallback book', () => {
    expect(book.priceOf('openai', 'gpt-4o-mini')).toEqual({ input: 0.15, cachedInput: 0.075, output: 0.6 });
    expect(book.priceOf('azure', 'gpt-4o-mini')).toEqual({ input: 1, output: 1 });
    expect(book.priceOf('local', 'llama3.2')).toEqual({ input: 0, output: 0 });
    expect(book.priceOf('catalog', 'anything')).toEqual({ input: 5, output: 15 });
    expect(book.priceOf('nobody', 'unknown')).toBeUndefined();
  });
});

describe('computeCost', () => {
  it('prices cache reads at the cached-input rate and output (reasoning included) at the output rate', () => {
    const cost = computeCost({ inputTokens: 1_000_000, cacheReadTokens: 400_000, outputTokens: 200_000, reasoningTokens: 50_000 }, {
      input: 0.15, cachedInput: 0.075, output: 0.6,
    });
    expect(cost.unpriced).toBe(false);
    expect(cost.usd).toBeCloseTo(0.6 * 0.15 + 0.4 * 0.075 + 0.2 * 0.6, 12);
  });

  it('uses the input price for cache reads when no cached price is set', () => {
    expect(computeCost({ inputTokens: 10, cacheReadTokens: 10, outputTokens: 0 }, { input: 1e6, output: 0 }).usd).toBe(10);
  });

  it('flags an unknown price and counts 0', () => {
    expect(computeCost({ inputTokens: 10, outputTokens: 10 }, undefined)).toEqual({ usd: 0, unpriced: true });
  });
});

describe('createTargetPriceBook', () => {
  it('prices the targets of model groups that carry a price', () => {
    const book = createTargetPriceBook({
      chat: { strategy: 'fallback', targets: [{ provider: 'a', model: 'm1', price: { input: 1, output: 2 } }, { provider: 'b', model: 'm2' }] },
    });
    expect(book.priceOf('a', 'm1')).toEqual({ input: 1, output: 2 });
    expect(book.priceOf('b', 'm2')).toBeUndefined();
  });
});
