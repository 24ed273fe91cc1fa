/** A key's own limits: the dimensions of a provider's free tier, all optional. */

export const BUDGET_PERIODS = ['daily', 'weekly', 'monthly', 'never'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** As in the admin API and the database (snake_case JSON). Absent fields are not limited. */
export interface KeyLimits {
  /** Requests per minute (sliding 60 s window). */
  rpm?: number;
  /** Requests per calendar day in `limits.timezone`. */
  rpd?: number;
  /** Tokens (prompt + completion) per minute (sliding). */
  tpm?: number;
  /** Tokens per calendar day. */
  tpd?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** USD to spend per budget period. */
  budget_usd?: number;
  /** When the budget resets (default monthly). */
  budget_period?: BudgetPeriod;
}

export const LIMIT_FIELDS = ['rpm', 'rpd', 'tpm', 'tpd', 'concurrency', 'budget_usd'] as const;

/** True when the limits restrict anything (a key without limits skips admission entirely). */
export function hasAnyLimit(limits: KeyLimits | null | undefined): limits is KeyLimits {
  if (!limits) return false;
  return LIMIT_FIELDS.some((field) => limits[field] !== undefined);
}

/** True when admission needs a token estimate (token windows or a budget). */
export function needsTokenEstimate(limits: KeyLimits): boolean {
  return limits.tpm !== undefined || limits.tpd !== undefined || limits.budget_usd !== undefined;
}

/**
 * Applies a JSON merge patch (RFC 7396) to limits: a field set to null is removed, others are
 * replaced; `null` for the whole object clears every limit. Returns null when nothing is left.
 */
export function mergeKeyLimits(current: KeyLimits | null, patch: Record<string, unknown> | null): KeyLimits | null {
  if (patch === null) return null;
  const merged: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete merged[field];
    else if (value !== undefined) merged[field] = value;
  }
  const limits = merged as KeyLimits;
  return Object.keys(limits).length === 0 ? null : limits;
}
