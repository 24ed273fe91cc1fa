/**
 * Prompt token counting for admission estimates. gpt-tokenizer (o200k_base) is exact for
 * current OpenAI models and close for others, but loading it costs ~110 MB and ~300 ms, so it
 * is loaded only once some key has a token limit or a budget, in the background; until it is
 * ready, counts use the cheap character heuristic (core/estimate.ts).
 */
import { estimateTokens } from '../core/estimate.js';

export interface TokenCounter {
  /** Tokens in `text`: exact once the tokenizer is loaded, estimated before. */
  count(text: string): number;
  /** True once the tokenizer is loaded. */
  readonly exact: boolean;
  /** Starts loading the tokenizer (once); resolves when it is ready or failed to load. */
  warm(): Promise<void>;
}

type CountTokens = (text: string) => number;

/**
 * Counts are remembered for recent texts: system prompts and few-shot examples repeat on every
 * request of an app, and a map lookup costs far less than tokenizing them again.
 */
const CACHE_ENTRIES = 4_096;
const CACHE_MAX_LENGTH = 16_384;

async function loadTokenizer(): Promise<CountTokens> {
  const module = await import('gpt-tokenizer/encoding/o200k_base');
  return (text) => module.countTokens(text);
}

/** Creates a counter; `load` is injectable so tests need not pay for the real tokenizer. */
export function createTokenCounter(load: () => Promise<CountTokens> = loadTokenizer): TokenCounter {
  let exact: CountTokens | undefined;
  let loading: Promise<void> | undefined;
  let cache = new Map<string, number>();
  function countExactly(countTokens: CountTokens, text: string): number {
    try {
      return countTokens(text);
    } catch {
      // Input the tokenizer refuses (special-token text …) is still counted, roughly.
      return estimateTokens(text);
    }
  }
  return {
    count(text) {
      if (text.length === 0) return 0;
      if (exact === undefined) return estimateTokens(text);
      if (text.length > CACHE_MAX_LENGTH) return countExactly(exact, text);
      let tokens = cache.get(text);
      if (tokens === undefined) {
        tokens = countExactly(exact, text);
        // Dropping everything when full keeps this O(1) and needs no bookkeeping per hit.
        if (cache.size >= CACHE_ENTRIES) cache = new Map();
        cache.set(text, tokens);
      }
      return tokens;
    },
    get exact() {
      return exact !== undefined;
    },
    warm() {
      loading ??= load().then(
        (countTokens) => void (exact = countTokens),
        () => undefined,
      );
      return loading;
    },
  };
}
