import type { Usage } from './types.js';

/** Total tokens of a normalised usage (output already includes reasoning). */
export function totalTokens(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens;
}

/** Adds two usages field by field; `estimated` if either part was. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: sumOptional(a.cacheReadTokens, b.cacheReadTokens),
    cacheWriteTokens: sumOptional(a.cacheWriteTokens, b.cacheWriteTokens),
    reasoningTokens: sumOptional(a.reasoningTokens, b.reasoningTokens),
    estimated: a.estimated === true || b.estimated === true ? true : undefined,
  };
}

function sumOptional(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}
