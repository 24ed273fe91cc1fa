/** Small readers and deterministic text helpers shared by the fake's routes. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a message `content`: a string, or the `text` parts of an array joined by spaces. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (isRecord(part) && typeof part.text === 'string') texts.push(part.text);
  }
  return texts.join(' ');
}

/** Splits text into stream pieces at each whitespace run's start, so `pieces.join('') === text`. */
export function splitIntoPieces(text: string): string[] {
  return text.split(/(?=\s)(?<!\s)/).filter((piece) => piece.length > 0);
}

/** A stand-in tokenizer: one token per whitespace-separated word. */
export function countTokens(text: string): number {
  return text.split(/\s+/).filter((word) => word.length > 0).length;
}

/** Splits a string into fixed-size fragments (at least one, possibly empty). */
export function splitFixed(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

/** Deterministic padding like OpenAI's `obfuscation` field (random-looking, varying length). */
export function buildObfuscation(seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const length = (seed * 7) % 13;
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(seed * 31 + i * 17) % alphabet.length] ?? 'x';
  return out;
}
