import { GatewayError } from '../../../src/core/errors.js';

/** Runs `fn`, which must throw a GatewayError, and returns that error (fails the test otherwise). */
export function captureGatewayError(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw new Error(`expected a GatewayError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a GatewayError, but nothing was thrown');
}

/** Awaits `promise`, which must reject with a GatewayError, and returns that error. */
export async function captureGatewayErrorAsync(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw new Error(`expected a GatewayError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a GatewayError, but the promise resolved');
}
