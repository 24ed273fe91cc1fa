/**
 * Validation of key changes, shared by the admin API and the CLI: the same rules and the same
 * messages wherever a key is created or updated.
 */
import { z } from 'zod';
import { GatewayError } from '../core/errors.js';
import { BUDGET_PERIODS, type KeyLimits } from './limits/key-limits.js';

const count = z.number().int().positive();

/** Every limit is optional; on update, null removes one (JSON merge patch). */
export const keyLimitsSchema = z.strictObject({
  rpm: count.optional(),
  rpd: count.optional(),
  tpm: count.optional(),
  tpd: count.optional(),
  concurrency: count.optional(),
  budget_usd: z.number().positive().optional(),
  budget_period: z.enum(BUDGET_PERIODS).optional(),
});

const limitsPatchSchema = z.strictObject(
  Object.fromEntries(Object.entries(keyLimitsSchema.shape).map(([name, schema]) => [name, schema.unwrap().nullable().optional()])),
);

const models = z.array(z.string().min(1)).min(1).nullable().optional();
/** ISO 8601 with an offset, stored normalised to UTC (`…Z`) so stored times compare as text. */
const expiresAt = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString()).nullable().optional();

export const createKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  models,
  expires_at: expiresAt,
  limits: keyLimitsSchema.nullable().optional(),
  enabled: z.boolean().optional(),
});

export const updateKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  models,
  expires_at: expiresAt,
  limits: limitsPatchSchema.nullable().optional(),
  enabled: z.boolean().optional(),
});

export type CreateKeyInput = z.output<typeof createKeySchema>;
export type UpdateKeyInput = z.output<typeof updateKeySchema>;

/** Parses a body with zod; the first problem becomes a 400 naming its field. */
export function parseKeyInput<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue?.path.map(String).join('.') || null;
  throw new GatewayError('invalid_request', `Invalid value for '${param ?? 'body'}': ${issue?.message ?? 'invalid'}.`, { param });
}

/** Limits with no field set are no limits. */
export function normaliseLimits(limits: KeyLimits | null | undefined): KeyLimits | null {
  if (!limits) return null;
  const kept = Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined)) as KeyLimits;
  return Object.keys(kept).length === 0 ? null : kept;
}
