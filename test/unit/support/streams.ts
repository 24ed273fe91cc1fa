/** Small helpers for pure stream tests: seeded byte splitting and async-iterable plumbing. */

/** mulberry32: a tiny seeded PRNG, so a failing split is reproducible from its seed. */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits `bytes` at the given offsets (deduplicated, sorted, out-of-range ignored). */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const sorted = [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...sorted, bytes.length]) {
    out.push(bytes.subarray(start, cut));
    start = cut;
  }
  return out;
}

/** `count` random cut positions drawn from `random`. */
export function randomCuts(length: number, count: number, random: () => number): number[] {
  return Array.from({ length: count }, () => 1 + Math.floor(random() * (length - 1)));
}

/** Byte offsets that fall inside a multi-byte UTF-8 character. */
export function cutsInsideCharacters(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 1; i < bytes.length; i++) if (((bytes[i] ?? 0) & 0xc0) === 0x80) out.push(i);
  return out;
}

/** An async iterable over the given items (yields one per microtask turn). */
export async function* fromItems<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** An async iterable of UTF-8 bytes for each string. */
export function fromStrings(chunks: string[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  return fromItems(chunks.map((c) => encoder.encode(c)));
}

/** Drains an async iterable into an array. */
export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

/** Drains an async iterable, returning what was read before it threw and the error. */
export async function collectUntilError<T>(source: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of source) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}
