/**
 * Start-up model discovery for local servers: Ollama's installed models (`/api/tags`) and the
 * `/v1/models` of local OpenAI-compatible servers (vLLM, LM Studio, llama.cpp, LocalAI), plus
 * any provider configured with `discover: true`, so `GET /v1/models` lists `provider/model` for
 * what is actually there. Bounded by one short timeout and never fatal: a server that is down
 * or slow just lists nothing beyond its configured models.
 */
import type { ProviderConfig } from '../config/schema.js';
import { NATIVE_ADAPTERS } from './native-adapters.js';
import { isPresetName, OPENAI_COMPATIBLE_PRESETS } from './presets.js';
import type { Provider } from './provider.js';

/** Whether a provider's models are discovered: `discover` when set, else whether it runs locally. */
export function shouldDiscoverModels(settings: Pick<ProviderConfig, 'type' | 'discover'>): boolean {
  if (settings.discover !== undefined) return settings.discover;
  if (NATIVE_ADAPTERS[settings.type]?.local === true) return true;
  return isPresetName(settings.type) && 'local' in OPENAI_COMPATIBLE_PRESETS[settings.type];
}

export interface DiscoverModelsOptions {
  providers: ReadonlyMap<string, Provider>;
  /** The providers' config, by id (for `type` and `discover`). */
  settings: Readonly<Record<string, Pick<ProviderConfig, 'type' | 'discover'>>>;
  /** The longest the whole discovery may take; every listing still pending then is abandoned. */
  timeoutMs: number;
  /** Told of each provider's outcome, for the start-up log. */
  onResult?: (result: { provider: string; models?: string[]; error?: unknown }) => void;
}

/** Lists the models of every provider that qualifies, in parallel; failures and timeouts list nothing. */
export async function discoverProviderModels(options: DiscoverModelsOptions): Promise<Map<string, string[]>> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const found = new Map<string, string[]>();
  const jobs = [...options.providers.values()]
    .filter((provider) => {
      const settings = options.settings[provider.id];
      return settings !== undefined && shouldDiscoverModels(settings);
    })
    .map(async (provider) => {
      try {
        const models = await Promise.race([provider.listModels(signal), rejectOnAbort(signal)]);
        found.set(provider.id, models);
        options.onResult?.({ provider: provider.id, models });
      } catch (error) {
        options.onResult?.({ provider: provider.id, error });
      }
    });
  await Promise.all(jobs);
  return found;
}

/** Rejects when `signal` aborts, so a provider that ignores its signal cannot hold start-up. */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}
