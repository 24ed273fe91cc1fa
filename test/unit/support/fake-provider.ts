import type { Provider } from '../../../src/providers/provider.js';

/** A provider stub for routing tests: only identity fields matter; calls are not expected. */
export function createFakeProvider(id: string, options: { models?: string[]; demo?: boolean } = {}): Provider {
  const unexpected = (): never => {
    throw new Error(`fake provider ${id}: unexpected call`);
  };
  return {
    id,
    type: 'openai',
    dialect: 'openai',
    demo: options.demo ?? false,
    models: options.models ?? [],
    chat: unexpected,
    complete: unexpected,
    embed: unexpected,
    listModels: () => Promise.resolve(options.models ?? []),
  };
}
