import { randomBytes } from 'node:crypto';

/**
 * Unique ids without a crypto call per id: a random per-process prefix plus a counter. Ids are
 * identifiers, not secrets (keys are made with `randomBytes` directly).
 */
export function createIdSource(): (prefix: string) => string {
  const base = randomBytes(6).toString('hex');
  let counter = 0;
  return (prefix) => `${prefix}${base}${(counter++).toString(36).padStart(6, '0')}`;
}

const defaultSource = createIdSource();

/** An id with a prefix, e.g. `chatcmpl-3f9a0c…000001f`; unique within and across processes. */
export function createId(prefix: string): string {
  return defaultSource(prefix);
}
