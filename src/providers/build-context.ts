import { GatewayError } from '../core/errors.js';
import type { BuildContext } from './adapter.js';
import type { ProviderCall } from './provider.js';

/** The build context of one call: drops are warnings, or 400s in strict mode. */
export function createBuildContext(call: Pick<ProviderCall, 'strict' | 'warnings'>, providerId: string): BuildContext {
  return {
    drop(field, reason) {
      if (call.strict) {
        throw new GatewayError('unsupported', `'${field}' cannot be sent to provider '${providerId}': ${reason}.`, { param: field });
      }
      call.warnings?.push(`${field} dropped for ${providerId}: ${reason}`);
    },
  };
}
