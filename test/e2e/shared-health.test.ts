/**
 * Two gateways sharing one Redis (`storage.redis`): a breaker one instance opens (bad key) is
 * open for the other, and provider quota use adds up across them. Uses the real Redis at
 * 127.0.0.1:6379 (or $REDIS_URL); skipped with a message when it is missing, failed under CI=true.
 */
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startE2EStack, UPSTREAM_KEY, type E2EStack } from '../support/e2e-stack.js';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { describeWithServices, REDIS_URL } from '../support/services.js';
import { readStatus, rejection } from '../support/resilience.js';

const describeRedis = await describeWithServices(['redis']);
const HELLO = [{ role: 'user' as const, content: 'hello' }];

describeRedis('two gateways, one Redis', () => {
  let a: E2EStack;
  let b: RunningGateway;
  let clientB: OpenAI;

  beforeAll(async () => {
    const shared = (urls: { fake: string }): Record<string, unknown> => ({
      storage: { redis: REDIS_URL, redis_prefix: `switchyard-test:${randomUUID()}:` },
      routing: { retries: 0 },
      providers: { metered: { type: 'openai-compatible', base_url: urls.fake, api_key: UPSTREAM_KEY, limits: { rpm: 3 } } },
      models: { resilient: { targets: [{ provider: 'up', model: 'gpt-4o-mini' }, { provider: 'backup', model: 'gpt-4.1-nano' }] } },
    });
    let document: Record<string, unknown> = {};
    a = await startE2EStack({ backup: true, config: (urls) => (document = shared(urls)) });
    // The second instance: the same config (and so the same upstreams), its own process state.
    const providers = {
      up: { type: 'openai-compatible', base_url: a.fake.url, api_key: UPSTREAM_KEY },
      backup: { type: 'openai-compatible', base_url: a.backup?.url, api_key: 'backup-upstream-secret-654321' },
      ...(document.providers as Record<string, unknown>),
    };
    b = await startGateway({ ...document, providers });
    clientB = new OpenAI({ baseURL: b.baseURL, apiKey: b.masterKey, maxRetries: 0 });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a breaker opened on one instance (bad key) is open on the other', async () => {
    a.fake.script({ status: 401 });
    await a.client.chat.completions.create({ model: 'resilient', messages: HELLO });
    expect(a.fake.requests).toHaveLength(1);
    await a.gw.gateway.monitor.state.sync();
    await b.gateway.monitor.state.sync();

    const completion = await clientB.chat.completions.create({ model: 'resilient', messages: HELLO });
    expect(completion.choices[0]?.message.content).toBe('Hello from fake OpenAI: hello');
    expect(a.fake.requests).toHaveLength(1); // B went straight to the backup
    expect((await readStatus(b)).providers.up?.targets[0]?.breaker).toMatchObject({ state: 'open', reason: 'bad key (HTTP 401)' });
  });

  it('provider quota use adds up across instances', async () => {
    a.fake.reset();
    for (let i = 0; i < 3; i++) await a.client.chat.completions.create({ model: 'metered/gpt-4o-mini', messages: HELLO });
    await a.gw.gateway.monitor.state.sync();
    await b.gateway.monitor.state.sync();
    const error = await rejection(clientB.chat.completions.create({ model: 'metered/gpt-4o-mini', messages: HELLO }));
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/configured rpm limit/);
    expect(a.fake.requests).toHaveLength(3);
    expect((await readStatus(b)).providers.metered?.quota).toMatchObject({ used: { rpm: 3 }, exhausted: 'rpm' });
  });
});
