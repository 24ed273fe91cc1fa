/**
 * The in-process limiter forgets nothing on a restart: per-day counts and the budget spent in
 * the current period are read back from the usage log when the gateway starts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { createClientKey, rawRequest } from '../support/e2e-stack.js';

describe('in-process limits across a restart', () => {
  let dir: string;
  const document = (): Record<string, unknown> => ({
    storage: { database: `sqlite:${join(dir, 'switchyard.db')}` },
    providers: { demo: { type: 'mock' } },
    pricing: { 'demo/chat': { input: 1_000, output: 1_000 } },
  });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-restart-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const chat = (gw: RunningGateway, key: string): ReturnType<typeof rawRequest> => rawRequest(gw, '/v1/chat/completions', {
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'demo/chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }),
  });

  it('keeps requests per day and the budget spent', async () => {
    let gw = await startGateway(document());
    const perDay = await createClientKey(gw, { name: 'rpd', limits: { rpd: 2 } });
    const budget = await createClientKey(gw, { name: 'budget', limits: { budget_usd: 0.012, budget_period: 'never' } });
    expect((await chat(gw, perDay.key)).status).toBe(200);
    expect((await chat(gw, perDay.key)).status).toBe(200);
    expect((await chat(gw, budget.key)).status).toBe(200);
    // Each call reserves ~$0.01 (5 prompt + 5 output tokens) and costs ~$0.006: a second fits only if the first is forgotten.
    // Closing flushes the usage log (SIGTERM does the same).
    await gw.close();

    gw = await startGateway(document());
    try {
      const refused = await chat(gw, perDay.key);
      expect(refused.status).toBe(429);
      expect(refused.json).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
      const spent = await chat(gw, budget.key);
      expect([spent.status, (spent.json as { error?: { code?: string } }).error?.code]).toEqual([429, 'insufficient_quota']);
    } finally {
      await gw.close();
    }
  });
});
