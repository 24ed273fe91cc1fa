/**
 * Google API error bodies as the Generative Language API sends them:
 * `{"error":{"code","message","status","details"?}}` with gRPC status names (PROTOCOLS §3.5).
 */

export interface GoogleErrorBody {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

/** A Google error body for `code`; `status` defaults to the gRPC name of the HTTP code. */
export function googleError(code: number, message: string, extra: { status?: string; details?: unknown[] } = {}): GoogleErrorBody {
  const error: GoogleErrorBody['error'] = { code, message, status: extra.status ?? STATUS_NAMES[code] ?? 'UNKNOWN' };
  if (extra.details) error.details = extra.details;
  return { error };
}

/** What Google answers for a wrong key: a 400, with the reason in the details. */
export function apiKeyInvalid(message = 'API key not valid. Please pass a valid API key.'): GoogleErrorBody {
  return googleError(400, message, {
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      },
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
    ],
  });
}

/** A missing key is a 403. */
export function apiKeyMissing(): GoogleErrorBody {
  return googleError(403, 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.');
}

/** A quota 429: the retry delay only in `google.rpc.RetryInfo` (Google sends no Retry-After header). */
export function quotaExceeded(retryDelaySeconds: number, message = 'You exceeded your current quota, please check your plan and billing details.'): GoogleErrorBody {
  return googleError(429, message, {
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
      },
      { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryDelaySeconds}s` },
    ],
  });
}

/** Google's "unknown field" complaint, raised for any field the API does not define. */
export function unknownField(name: string, at?: string): GoogleErrorBody {
  const where = at === undefined ? '' : ` at '${at}'`;
  return googleError(400, `Invalid JSON payload received. Unknown name "${name}"${where}: Cannot find field.`, {
    details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: at ?? '', description: `Invalid JSON payload received. Unknown name "${name}"${where}: Cannot find field.` }] }],
  });
}
