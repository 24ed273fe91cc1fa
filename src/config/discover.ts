/**
 * No config file: providers come from the usual environment variables (native providers and
 * presets) and a reachable Ollama (OLLAMA_HOST or 127.0.0.1:11434), so `npx switchyard serve`
 * just works.
 */
import { request } from 'undici';
import { NATIVE_ADAPTERS } from '../providers/native-adapters.js';
import { OPENAI_COMPATIBLE_PRESETS, PRESET_NAMES } from '../providers/presets.js';
import type { ProviderConfig } from './schema.js';

export interface Discovery {
  providers: Record<string, ProviderConfig>;
  /** One human-readable line per provider found (no secrets). */
  found: string[];
}

/** Finds providers from `env` and probes for a local Ollama (short timeout, never throws). */
export async function discoverProviders(env: NodeJS.ProcessEnv, probeTimeoutMs = 500): Promise<Discovery> {
  const providers: Record<string, ProviderConfig> = {};
  const found: string[] = [];
  for (const [name, entry] of Object.entries(NATIVE_ADAPTERS)) {
    const variable = entry.keyEnv?.find((v) => (env[v] ?? '') !== '');
    if (!variable) continue;
    const urlVariable = entry.baseUrlEnv?.find((v) => (env[v] ?? '') !== '');
    if (!entry.defaultBaseUrl && !urlVariable) continue;
    providers[name] = { type: name, api_key: env[variable] as string, ...(urlVariable ? { base_url: env[urlVariable] as string } : {}) };
    found.push(`${name} (${entry.label}, key from ${variable})`);
  }
  for (const name of PRESET_NAMES) {
    const preset = OPENAI_COMPATIBLE_PRESETS[name];
    if ('local' in preset) continue;
    const variable = preset.keyEnv.find((v) => (env[v] ?? '') !== '');
    if (!variable) continue;
    providers[name] = { type: name, api_key: env[variable] as string };
    found.push(`${name} (${preset.label}, key from ${variable})`);
  }
  const ollamaUrl = normaliseOllamaHost(env.OLLAMA_HOST);
  if (await isReachable(`${ollamaUrl}/api/tags`, probeTimeoutMs)) {
    // The native adapter: it speaks /api/chat at the server's root, not the /v1 shim.
    providers.ollama = { type: 'ollama', base_url: ollamaUrl };
    found.push(`ollama (local, ${ollamaUrl})`);
  }
  return { providers, found };
}

/** OLLAMA_HOST may be `host`, `host:port` or a URL (as the Ollama CLI accepts). */
export function normaliseOllamaHost(value: string | undefined): string {
  const raw = (value ?? '').trim() || '127.0.0.1:11434';
  // Like Ollama's envconfig: a bare host gets port 11434, a URL keeps its scheme's default port.
  const hasScheme = /^https?:\/\//.test(raw);
  let url: URL;
  try {
    url = new URL(hasScheme ? raw : `http://${raw}`);
  } catch {
    // Unparseable (`::1`, `http://`): probe the default rather than fail start-up.
    return 'http://127.0.0.1:11434';
  }
  if (!hasScheme && url.port === '' && !/:\d+\/*$/.test(raw)) url.port = '11434';
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  return url.origin;
}

async function isReachable(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await request(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}
