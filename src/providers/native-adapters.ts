/**
 * Native adapters by config type, one line each. A type not listed here is an
 * OpenAI-compatible preset (or `openai-compatible` itself), served by the OpenAI-compatible
 * adapter. Kept apart from the registry so the config schema can list the types cheaply.
 */
import type { AdapterSettings, ProviderAdapter } from './adapter.js';

export interface NativeAdapterEntry {
  /** Base URL when the config gives none. */
  defaultBaseUrl?: string;
  create(settings: AdapterSettings): ProviderAdapter;
}

export const NATIVE_ADAPTERS: Readonly<Record<string, NativeAdapterEntry>> = {
};

export const NATIVE_TYPES: readonly string[] = Object.keys(NATIVE_ADAPTERS);
