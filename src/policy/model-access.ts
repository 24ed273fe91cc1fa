/** Model allow-lists on keys: exact names and `*` wildcards (`claude-*`, `ollama/*`). */
import { GatewayError } from '../core/errors.js';
import type { Principal } from './authenticate.js';

function matches(pattern: string, model: string): boolean {
  if (!pattern.includes('*')) return pattern === model;
  const escaped = pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${escaped}$`).test(model);
}

/** True when the principal may use `model`. */
export function isModelAllowed(principal: Principal, model: string): boolean {
  if (principal.kind === 'master' || principal.key.models === null) return true;
  return principal.key.models.some((pattern) => matches(pattern, model));
}

/** Throws 403 when the principal's key may not use `model`. */
export function assertModelAllowed(principal: Principal, model: string): void {
  if (!isModelAllowed(principal, model)) {
    throw new GatewayError('permission_denied', `This API key is not allowed to use model '${model}'.`, { param: 'model' });
  }
}
