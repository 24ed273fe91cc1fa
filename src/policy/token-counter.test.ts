import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../core/estimate.js';
import { createTokenCounter } from './token-counter.js';

describe('createTokenCounter', () => {
  it('estimates until warmed, then counts with the loaded tokenizer', async () => {
    let loads = 0;
    const counter = createTokenCounter(() => {
      loads++;
      return Promise.resolve((text: string) => text.split(' ').length);
    });
    expect(counter.exact).toBe(false);
    expect(counter.count('one two three four five six seven eight')).toBe(estimateTokens('one two three four five six seven eight'));
    await Promise.all([counter.warm(), counter.warm()]);
    expect(loads).toBe(1);
    expect(counter.exact).toBe(true);
    expect(counter.count('one two three')).toBe(3);
    expect(counter.count('')).toBe(0);
  });

  it('remembers the counts of recent texts (a repeated system prompt is tokenized once)', async () => {
    const seen: string[] = [];
    const counter = createTokenCounter(() => Promise.resolve((text: string) => {
      seen.push(text);
      return text.length;
    }));
    await counter.warm();
    expect([counter.count('You are terse.'), counter.count('You are terse.'), counter.count('hi')]).toEqual([14, 14, 2]);
    expect(seen).toEqual(['You are terse.', 'hi']);
  });

  it('keeps estimating when the tokenizer cannot load or refuses a text', async () => {
    const broken = createTokenCounter(() => Promise.reject(new Error('no memory')));
    await broken.warm();
    expect([broken.exact, broken.count('abcdefgh')]).toEqual([false, 2]);
    const picky = createTokenCounter(() => Promise.resolve(() => {
      throw new Error('special token');
    }));
    await picky.warm();
    expect(picky.count('<|endoftext|>')).toBe(estimateTokens('<|endoftext|>'));
  });

  it('loads gpt-tokenizer (o200k_base) by default', async () => {
    const counter = createTokenCounter();
    await counter.warm();
    expect(counter.exact).toBe(true);
    expect(counter.count('Hello, world!')).toBe(4);
  });
});
