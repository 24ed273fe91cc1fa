/**
 * Which config to run with: `--config F`, else `SWITCHYARD_CONFIG`, else `./switchyard.yaml`
 * when present, else providers discovered from the environment. `--demo` adds the demo provider.
 */
import { existsSync } from 'node:fs';
import { discoverProviders } from '../config/discover.js';
import { loadConfigFile, validateConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';

export interface ResolvedConfig {
  config: Config;
  /** The file used, or a description of the no-config start-up. */
  source: string;
  /** Lines describing the providers found (no secrets). */
  found: string[];
}

export interface ResolveOptions {
  configPath?: string;
  demo?: boolean;
  host?: string;
  port?: number;
  env: NodeJS.ProcessEnv;
}

export const DEMO_PROVIDER_ID = 'demo';

export async function resolveConfig(options: ResolveOptions): Promise<ResolvedConfig> {
  const path = options.configPath ?? options.env.SWITCHYARD_CONFIG ?? (existsSync('switchyard.yaml') ? 'switchyard.yaml' : undefined);
  let document: Record<string, unknown>;
  let source: string;
  let found: string[] = [];
  if (path !== undefined) {
    const config = loadConfigFile(path, options.env);
    document = structuredClone(config) as unknown as Record<string, unknown>;
    source = path;
    found = Object.entries(config.providers).map(([id, p]) => `${id} (${p.type})`);
  } else {
    const discovery = await discoverProviders(options.env);
    document = { providers: discovery.providers };
    source = 'environment (no config file)';
    found = discovery.found;
  }
  applyOverrides(document, options, found);
  return { config: validateConfig(document, source, {}), source, found };
}

function applyOverrides(document: Record<string, unknown>, options: ResolveOptions, found: string[]): void {
  const server = { ...(document.server as Record<string, unknown> | undefined) };
  if (options.host !== undefined) server.host = options.host;
  if (options.port !== undefined) server.port = options.port;
  document.server = server;
  if (!options.demo) return;
  const providers = { ...(document.providers as Record<string, unknown> | undefined) };
  if (!Object.hasOwn(providers, DEMO_PROVIDER_ID)) {
    providers[DEMO_PROVIDER_ID] = { type: 'mock', pacing_ms: 30 };
    found.push(`${DEMO_PROVIDER_ID} (built-in DEMO provider: canned replies, not a real model — models demo/chat, demo/embed)`);
  }
  document.providers = providers;
}
