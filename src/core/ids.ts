import { randomBytes } from 'node:crypto';

/** A random id with a prefix, e.g. `chatcmpl-3f9a…`; 24 hex chars is plenty against collisions. */
export function createId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}
