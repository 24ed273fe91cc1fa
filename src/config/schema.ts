/**
 * The config file's schema (CONTRACT.md "Configuration file"). Validated once at start-up;
 * unknown keys are refused so a typo is an error, not a silently ignored setting.
 */
import { z } from 'zod';
import { isRecord } from '../core/parse.js';
import { NATIVE_TYPES } from '../providers/native-adapters.js';
import { PRESET_NAMES } from '../providers/presets.js';

/** Every accepted `type`: native adapters, then OpenAI-compatible presets not served natively. */
export const PROVIDER_TYPES = [
  'openai', 'openai-compatible', 'mock', ...NATIVE_TYPES,
  ...PRESET_NAMES.filter((n) => n !== 'openai' && !NATIVE_TYPES.includes(n)),
] as [string, ...string[]];

/** `${PORT:-4000}` expands to a string: numeric fields accept a numeric string too. */
function envNumber(schema: z.ZodNumber): z.ZodType<number, unknown> {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v), schema);
}

const limitsSchema = z.strictObject({
  rpm: envNumber(z.number().int().positive()).optional(),
  rpd: envNumber(z.number().int().positive()).optional(),
  tpm: envNumber(z.number().int().positive()).optional(),
  tpd: envNumber(z.number().int().positive()).optional(),
});

const providerSchema = z.strictObject({
  type: z.enum(PROVIDER_TYPES),
  api_key: z.string().optional(),
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  limits: limitsSchema.optional(),
  /** Models to list under `id/…` in `GET /v1/models`. */
  models: z.array(z.string().min(1)).optional(),
  first_byte_timeout_ms: envNumber(z.number().int().positive()).optional(),
  idle_timeout_ms: envNumber(z.number().int().positive()).optional(),
  /** Image URLs are fetched for providers that need bytes; private addresses only if allowed. */
  allow_private_image_urls: z.boolean().optional(),
  /** azure: `api-version` query parameter (deployment URLs). */
  api_version: z.string().min(1).optional(),
  /** anthropic: the `anthropic-version` header (default 2023-06-01). */
  anthropic_version: z.string().min(1).optional(),
  /** How the key is sent, where a provider accepts several ways. */
  auth: z.enum(['bearer', 'x-api-key', 'api-key', 'header']).optional(),
  /** Output limit sent when the caller gives none and the provider requires one (Anthropic). */
  default_max_tokens: envNumber(z.number().int().positive()).optional(),
  /** mock only: pause between stream chunks and before the first token. */
  pacing_ms: envNumber(z.number().int().min(0)).optional(),
  first_token_ms: envNumber(z.number().int().min(0)).optional(),
});

const targetSchema = z.strictObject({
  provider: z.string().min(1),
  model: z.string().min(1),
  weight: envNumber(z.number().positive()).optional(),
});

const modelGroupSchema = z.strictObject({
  strategy: z.enum(['fallback', 'weighted']).default('fallback'),
  targets: z.array(targetSchema).min(1),
});

const providerIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'provider ids use letters, digits, "_", "-" and "." (no "/")');

export const configSchema = z
  .strictObject({
    server: z.strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: envNumber(z.number().int().min(0).max(65535)).default(4000),
      master_key: z.string().min(16, 'master_key must be at least 16 characters').optional(),
      body_limit_mb: envNumber(z.number().positive().max(1024)).default(10),
      log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    }).prefault({}),
    storage: z.strictObject({
      database: z.string().regex(/^sqlite:/, 'only sqlite:PATH is supported in this version (e.g. sqlite:./.switchyard/switchyard.db)')
        .default('sqlite:./.switchyard/switchyard.db'),
    }).prefault({}),
    providers: z.record(providerIdSchema, providerSchema).default({}),
    models: z.record(z.string().min(1), modelGroupSchema).default({}),
    routing: z.strictObject({
      retries: envNumber(z.number().int().min(0).max(10)).default(2),
      timeout_ms: envNumber(z.number().int().positive()).default(600_000),
      connect_timeout_ms: envNumber(z.number().int().positive()).default(10_000),
      first_byte_timeout_ms: envNumber(z.number().int().positive()).default(300_000),
      idle_timeout_ms: envNumber(z.number().int().positive()).default(120_000),
      max_retry_after_ms: envNumber(z.number().int().min(0)).default(30_000),
    }).prefault({}),
  })
  // Cross-references are checked even when other fields are wrong (zod skips refinements after
  // any issue by default), so a bad file gets every problem listed at once. The value may then be
  // partly invalid, hence the defensive reads.
  .superRefine(checkReferences, { when: (payload) => isRecord(payload.value) });

function checkReferences(config: unknown, ctx: z.RefinementCtx): void {
  if (!isRecord(config)) return;
  const providers = isRecord(config.providers) ? config.providers : {};
  for (const [id, provider] of Object.entries(providers)) {
    if (isRecord(provider) && provider.type === 'openai-compatible' && provider.base_url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['providers', id, 'base_url'], message: 'required for type openai-compatible' });
    }
  }
  const models = isRecord(config.models) ? config.models : {};
  for (const [name, group] of Object.entries(models)) {
    const targets = isRecord(group) && Array.isArray(group.targets) ? group.targets : [];
    targets.forEach((target: unknown, i) => {
      if (!isRecord(target) || typeof target.provider !== 'string' || Object.hasOwn(providers, target.provider)) return;
      ctx.addIssue({
        code: 'custom',
        path: ['models', name, 'targets', i, 'provider'],
        message: `unknown provider '${target.provider}' (configured: ${Object.keys(providers).join(', ') || 'none'})`,
      });
    });
  }
}

/** The validated, defaulted config. */
export type Config = z.output<typeof configSchema>;
export type ProviderConfig = Config['providers'][string];
export type ModelGroupConfig = Config['models'][string];
