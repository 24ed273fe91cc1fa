/**
 * A cheap token estimate for when an upstream reports no usage: CJK characters count about one
 * token each, other text about four characters per token. Results are flagged `estimated`.
 * (gpt-tokenizer is exact for OpenAI models but costs ~110 MB and ~300 ms to load, too much
 * for a fallback; reservations that need precision load it where they need it.)
 */
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/g;

export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  const cjk = text.match(CJK)?.length ?? 0;
  return cjk + Math.ceil((text.length - cjk) / 4);
}
