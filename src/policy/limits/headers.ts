/** OpenAI's rate-limit headers, and its duration format (`6s`, `1m30s`, `250ms`). */
import type { LimitSnapshot } from './limiter.js';

/** Formats a duration as OpenAI does: `250ms` under a second, else Go-style `1h2m3s`, `6m0s`, `6s`. */
export function formatResetDuration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` for the windows in `snapshot`. */
export function buildRateLimitHeaders(snapshot: LimitSnapshot): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  for (const [name, state] of [['requests', snapshot.requests], ['tokens', snapshot.tokens]] as const) {
    if (!state) continue;
    headers.push(
      [`x-ratelimit-limit-${name}`, String(state.limit)],
      [`x-ratelimit-remaining-${name}`, String(state.remaining)],
      [`x-ratelimit-reset-${name}`, formatResetDuration(state.resetMs)],
    );
  }
  return headers;
}
