/** The routing, health and shutdown settings of the config file (README "Routing and health"). */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from './load.js';

function problemsOf(text: string): string[] {
  try {
    parseConfigText(text, 'f', {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const PROVIDERS = 'providers:\n  a: { type: mock }\n  b: { type: mock }\n';

describe('routing config', () => {
  it('accepts every strategy, target prices and context-window fallbacks (groups or provider/model)', () => {
    const config = parseConfigText(`${PROVIDERS}models:
  cheap:
    strategy: lowest-cost
    targets:
      - { provider: a, model: small, price: { input: 0.15, output: 0.6 } }
      - { provider: b, model: big, price: { input: 2.5, output: 10 } }
    context_window_fallbacks: [fast, b/huge-context]
  fast: { strategy: least-latency, targets: [{ provider: a, model: m }] }
routing:
  heartbeat_ms: 0
  breaker: { error_rate: 0.25, min_requests: 20, window_ms: 30000, cooldown_ms: 5000 }
server: { protect_status: true, drain_timeout_ms: 5000 }
`, 'f', {});
    expect(config.models.cheap?.targets[0]?.price).toEqual({ input: 0.15, output: 0.6 });
    expect(config.models.cheap?.context_window_fallbacks).toEqual(['fast', 'b/huge-context']);
    expect(config.models.fast?.strategy).toBe('least-latency');
    expect(config.routing.heartbeat_ms).toBe(0);
    expect(config.routing.breaker).toEqual({ error_rate: 0.25, min_requests: 20, window_ms: 30_000, cooldown_ms: 5_000 });
    expect(config.server).toMatchObject({ protect_status: true, drain_timeout_ms: 5_000 });
  });

  it.each<[string, string, RegExp]>([
    ['unknown fallback', `${PROVIDERS}models:\n  g: { targets: [{ provider: a, model: m }], context_window_fallbacks: [nope] }`,
      /^models\.g\.context_window_fallbacks\.0: 'nope' is neither a model group nor provider\/model/],
    ['fallback with unknown provider', `${PROVIDERS}models:\n  g: { targets: [{ provider: a, model: m }], context_window_fallbacks: [z/m] }`,
      /^models\.g\.context_window_fallbacks\.0: /],
    ['negative price', `${PROVIDERS}models:\n  g: { targets: [{ provider: a, model: m, price: { input: -1, output: 1 } }] }`,
      /^models\.g\.targets\.0\.price\.input: /],
    ['price without output', `${PROVIDERS}models:\n  g: { targets: [{ provider: a, model: m, price: { input: 1 } }] }`,
      /^models\.g\.targets\.0\.price\.output: /],
    ['unknown strategy', `${PROVIDERS}models:\n  g: { strategy: fastest, targets: [{ provider: a, model: m }] }`, /^models\.g\.strategy: /],
    ['error rate above 1', 'routing: { breaker: { error_rate: 1.5 } }', /^routing\.breaker\.error_rate: /],
    ['breaker window under a second', 'routing: { breaker: { window_ms: 10 } }', /^routing\.breaker\.window_ms: /],
    ['negative heartbeat', 'routing: { heartbeat_ms: -1 }', /^routing\.heartbeat_ms: /],
    ['unknown breaker key', 'routing: { breaker: { threshold: 3 } }', /^routing\.breaker: Unrecognized key: "threshold"/],
  ])('refuses %s', (_name, text, pattern) => {
    const problems = problemsOf(text);
    expect(problems.some((p) => pattern.test(p)), problems.join('\n')).toBe(true);
  });
});
