/**
 * From a public model name to an answered call: access check, plan, retries and fallbacks.
 * Streams are primed (first event pulled) inside the attempt, so a stream that fails before
 * its first event is retried like any other failure.
 */
import { GatewayError } from '../core/errors.js';
import type { Principal } from '../policy/authenticate.js';
import { assertModelAllowed } from '../policy/model-access.js';
import type { Outcome } from '../providers/provider.js';
import { executePlan, type Attempted, type RetryPolicy } from './execute.js';
import { orderTargets, type Router, type Target } from './plan.js';
import { primeStream } from './prime-stream.js';

export interface DispatchOptions<T> {
  router: Router;
  retry: RetryPolicy;
  principal: Principal;
  /** The public model name from the request. */
  model: string;
  signal: AbortSignal;
  attempt: (target: Target) => Promise<T>;
}

/** Runs the call for `model`; throws 403 if the key may not use it, 404 if nothing serves it. */
export function dispatchCall<T>(options: DispatchOptions<T>): Promise<Attempted<T>> {
  assertModelAllowed(options.principal, options.model);
  const plan = options.router.resolve(options.model);
  if (!plan) {
    throw new GatewayError('model_not_found', `The model '${options.model}' does not exist or you do not have access to it.`, {
      param: 'model',
    });
  }
  return executePlan(orderTargets(plan, options.retry.random), options.attempt, { policy: options.retry, signal: options.signal });
}

/** For streams, waits for the first event so failures before it can still fall back. */
export async function primeOutcome<R>(outcome: Outcome<R>): Promise<Outcome<R>> {
  return outcome.stream ? { stream: true, events: await primeStream(outcome.events) } : outcome;
}
