/** `switchyard check`: validate the config and probe every provider with a cheap call. */
import { createRedactor } from '../core/redact.js';
import { toGatewayError } from '../core/errors.js';
import { createProviders } from '../providers/registry.js';
import { createImageFetcher } from '../transport/fetch-image.js';
import { createTransport } from '../transport/http.js';
import { resolveConfig, type ResolveOptions } from './resolve-config.js';

export interface CheckReport {
  ok: boolean;
  lines: string[];
}

/** Probes each provider (list models); one line per provider. `ok` is false if any failed. */
export async function runCheck(options: ResolveOptions, timeoutMs = 10_000): Promise<CheckReport> {
  const { config, source } = await resolveConfig(options);
  const lines = [`config: ${source} is valid`];
  const secrets = Object.values(config.providers).map((p) => p.api_key);
  const redact = createRedactor(secrets);
  const transport = createTransport({ connectTimeoutMs: config.routing.connect_timeout_ms });
  const images = createImageFetcher();
  const providers = createProviders({ config, transport, images, sanitize: redact });
  let ok = true;
  if (providers.size === 0) {
    ok = false;
    lines.push('no providers configured');
  }
  const results = await Promise.all([...providers.values()].map(async (provider) => {
    const started = performance.now();
    try {
      const models = await provider.listModels(AbortSignal.timeout(timeoutMs));
      const ms = Math.round(performance.now() - started);
      const label = provider.demo ? ' [DEMO provider]' : '';
      return { ok: true, line: `ok    ${provider.id} (${provider.type})${label}: ${models.length} models, ${ms} ms` };
    } catch (error) {
      return { ok: false, line: `FAIL  ${provider.id} (${provider.type}): ${redact(toGatewayError(error).message)}` };
    }
  }));
  for (const result of results) {
    ok &&= result.ok;
    lines.push(result.line);
  }
  await transport.close();
  await images.close();
  return { ok, lines };
}
