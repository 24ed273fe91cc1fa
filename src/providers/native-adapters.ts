/**
 * Native adapters by config type, one line each. A type not listed here is an
 * OpenAI-compatible preset (or `openai-compatible` itself), served by the OpenAI-compatible
 * adapter. Kept apart from the registry so the config schema can list the types cheaply.
 */
import type { AdapterSettings, ProviderAdapter } from './adapter.js';
import { ANTHROPIC_DEFAULT_BASE_URL, createAnthropicAdapter } from './anthropic.js';
import { createAzureAdapter } from './azure.js';
import { COHERE_DEFAULT_BASE_URL, createCohereAdapter } from './cohere.js';
import { createGeminiAdapter, GEMINI_DEFAULT_BASE_URL } from './gemini.js';
import { createHuggingFaceAdapter, HUGGINGFACE_DEFAULT_BASE_URL } from './huggingface.js';
import { createMistralAdapter, MISTRAL_DEFAULT_BASE_URL } from './mistral.js';
import { createOllamaAdapter, OLLAMA_DEFAULT_BASE_URL } from './ollama.js';

export interface NativeAdapterEntry {
  /** Human name, for start-up messages. */
  label: string;
  /** Base URL when the config gives none. */
  defaultBaseUrl?: string;
  /** Environment variables checked, in order, for the key (no-config start-up). */
  keyEnv?: readonly string[];
  /** Environment variables for the base URL, where there is no default (Azure resources). */
  baseUrlEnv?: readonly string[];
  /** Runs on the user's machine: its models are discovered at start-up (`GET /v1/models`). */
  local?: boolean;
  create(settings: AdapterSettings): ProviderAdapter;
}

export const NATIVE_ADAPTERS: Readonly<Record<string, NativeAdapterEntry>> = {
  anthropic: { label: 'Anthropic', defaultBaseUrl: ANTHROPIC_DEFAULT_BASE_URL, keyEnv: ['ANTHROPIC_API_KEY'], create: createAnthropicAdapter },
  // No default: every Azure resource has its own host (`https://{resource}.openai.azure.com`).
  azure: { label: 'Azure OpenAI', keyEnv: ['AZURE_OPENAI_API_KEY'], baseUrlEnv: ['AZURE_OPENAI_ENDPOINT'], create: createAzureAdapter },
  cohere: { label: 'Cohere', defaultBaseUrl: COHERE_DEFAULT_BASE_URL, keyEnv: ['COHERE_API_KEY', 'CO_API_KEY'], create: createCohereAdapter },
  gemini: { label: 'Google Gemini', defaultBaseUrl: GEMINI_DEFAULT_BASE_URL, keyEnv: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], create: createGeminiAdapter },
  huggingface: {
    label: 'Hugging Face', defaultBaseUrl: HUGGINGFACE_DEFAULT_BASE_URL, keyEnv: ['HF_TOKEN', 'HUGGINGFACE_API_KEY'], create: createHuggingFaceAdapter,
  },
  mistral: { label: 'Mistral', defaultBaseUrl: MISTRAL_DEFAULT_BASE_URL, keyEnv: ['MISTRAL_API_KEY'], create: createMistralAdapter },
  // Found by probing (OLLAMA_HOST or 127.0.0.1:11434), not by a key.
  ollama: { label: 'Ollama', defaultBaseUrl: OLLAMA_DEFAULT_BASE_URL, local: true, create: createOllamaAdapter },
};

export const NATIVE_TYPES: readonly string[] = Object.keys(NATIVE_ADAPTERS);
