/**
 * Three gateway processes sharing the real PostgreSQL and Redis behave as one: an rpm limit
 * admits exactly its count across them, a budget is never overdrawn, a revocation (admin API
 * or CLI) is refused everywhere on the next request, a SIGKILLed instance's concurrency slots
 * come back within the lease, and a SIGTERM mid-stream loses no usage row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';
import { CLUSTER_MASTER_KEY, startCluster, type Cluster, type Instance } from '../support/cluster.js';
import { createPostgresSchema, createRedisNamespace, describeWithServices, REDIS_URL } from '../support/services.js';

const describeScale = await describeWithServices(['postgres', 'redis']);
const UPSTREAM_KEY = 'cluster-upstream-key-123456';
const LEASE_MS = 2_000;
const HELLO = [{ role: 'user' as const, content: 'hello' }];

describeScale('three instances sharing PostgreSQL and Redis', { timeout: 60_000 }, () => {
  let dir: string;
  let schema: Awaited<ReturnType<typeof createPostgresSchema>>;
  let ns: Awaited<ReturnType<typeof createRedisNamespace>>;
  let fake: FakeOpenAI;
  let cluster: Cluster;
  let db: pg.Client;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-cluster-'));
    [schema, ns, fake] = await Promise.all([createPostgresSchema(), createRedisNamespace(), startFakeOpenAI({ apiKey: UPSTREAM_KEY })]);
    fake.script({ reply: { text: 'ten tokens', usage: { promptTokens: 10, completionTokens: 10 } } }, { times: Infinity });
    cluster = await startCluster({
      dir,
      count: 3,
      config: {
        storage: { database: schema.url, redis: REDIS_URL, redis_prefix: ns.prefix, key_refresh_ms: 500 },
        limits: { lease_ms: LEASE_MS },
        usage: { flush_ms: 100 },
        pricing: { 'up/gpt-4o-mini': { input: 1_000, output: 1_000 } },
        providers: {
          up: { type: 'openai-compatible', base_url: fake.url, api_key: UPSTREAM_KEY },
          // 15 words at 300 ms: a stream that stays open for about 4.5 s.
          slow: { type: 'mock', pacing_ms: 300 },
        },
        models: { chat: { targets: [{ provider: 'up', model: 'gpt-4o-mini' }] } },
      },
    });
    db = new pg.Client({ connectionString: schema.url });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
    await db?.end();
    await fake?.close();
    await ns?.clean();
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (instance: Instance, apiKey: string): OpenAI => new OpenAI({ baseURL: `${instance.origin}/v1`, apiKey, maxRetries: 0 });

  const alive = (): Instance[] => cluster.instances.filter((i) => i.cli.child.exitCode === null && i.cli.child.signalCode === null);

  async function createKey(body: Record<string, unknown>): Promise<{ id: string; key: string }> {
    const response = await fetch(`${alive()[0]?.origin}/admin/keys`, {
      method: 'POST', headers: { authorization: `Bearer ${CLUSTER_MASTER_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; key: string };
    // Every instance knows it before the test starts (it arrives by pub/sub).
    await untilEvery(alive(), async (i) => (await status(i, '/v1/models', created.key)) === 200);
    return created;
  }

  async function status(instance: Instance, path: string, key: string): Promise<number> {
    return (await fetch(`${instance.origin}${path}`, { headers: { authorization: `Bearer ${key}` } })).status;
  }

  async function untilEvery(instances: Instance[], check: (i: Instance) => Promise<boolean>, timeoutMs = 3_000): Promise<number> {
    const started = Date.now();
    for (const instance of instances) {
      while (!(await check(instance))) {
        if (Date.now() - started > timeoutMs) throw new Error(`condition not met on ${instance.origin} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    return Date.now() - started;
  }

  async function attempt<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: InstanceType<typeof OpenAI.APIError> }> {
    try {
      return { ok: true, value: await promise };
    } catch (error) {
      if (error instanceof OpenAI.APIError) return { ok: false, error };
      throw error;
    }
  }

  it('admits exactly 10 of 30 concurrent requests spread over the 3 instances for rpm=10', async () => {
    const { key } = await createKey({ name: 'rpm', limits: { rpm: 10 } });
    const results = await Promise.all(Array.from({ length: 30 }, (_, n) => attempt(
      client(cluster.instances[n % 3] as Instance, key).chat.completions.create({ model: 'chat', messages: HELLO }),
    )));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    const refused = results.flatMap((r) => (r.ok ? [] : [r.error]));
    expect(refused).toHaveLength(20);
    expect(refused.every((e) => e instanceof OpenAI.RateLimitError && e.headers?.get('x-ratelimit-limit-requests') === '10')).toBe(true);
  });

  it('never overdraws a budget hit by 50 concurrent requests; usage rows and the shared counter agree', async () => {
    const budget = 0.5;
    const { id, key } = await createKey({ name: 'budget', limits: { budget_usd: budget } });
    const results = await Promise.all(Array.from({ length: 50 }, (_, n) => attempt(
      client(cluster.instances[n % 3] as Instance, key).chat.completions.create({ model: 'chat', messages: HELLO, max_tokens: 20 }),
    )));
    const served = results.filter((r) => r.ok).length;
    const refused = results.flatMap((r) => (r.ok ? [] : [r.error]));
    // Reservations of prompt + 20 output tokens at $0.001 each fit about 19 times in $0.50.
    expect(served).toBeGreaterThanOrEqual(15);
    expect(refused.length).toBe(50 - served);
    expect(refused.every((e) => e.status === 429 && e.code === 'insufficient_quota')).toBe(true);
    // Each served request cost its actual 20 tokens; spend is at most the budget.
    const rows = await until(async () => {
      const { rows: found } = await db.query<{ n: number; cost: number }>('select count(*)::int as n, coalesce(sum(cost_usd), 0) as cost from usage_events where key_id = $1', [id]);
      return found[0]?.n === 50 ? found[0] : undefined;
    });
    expect(rows.cost).toBeCloseTo(served * 0.02, 9);
    expect(rows.cost).toBeLessThanOrEqual(budget + 1e-9);
    const month = new Date().toISOString().slice(0, 7);
    const counter = Number(await ns.redis.get(`${ns.prefix}limits:{${id}}:budget:monthly:${month}`));
    expect(counter / 1e9).toBeCloseTo(rows.cost, 6);
  });

  it('refuses a key revoked on one instance (admin API, then CLI) on the next request everywhere', async () => {
    const a = await createKey({ name: 'revoked-by-api' });
    const b = await createKey({ name: 'revoked-by-cli' });
    const revoke = await fetch(`${cluster.instances[0]?.origin}/admin/keys/${a.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${CLUSTER_MASTER_KEY}` } });
    expect(revoke.status).toBe(200);
    expect(await untilEvery(cluster.instances, async (i) => (await status(i, '/v1/models', a.key)) === 401, 1_000)).toBeLessThan(1_000);
    const cli = await runCli(['keys', 'revoke', b.id, '--config', cluster.configPath], { cwd: dir });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toMatch(new RegExp(`^Revoked ${b.id}`));
    expect(await untilEvery(cluster.instances, async (i) => (await status(i, '/v1/models', b.key)) === 401, 1_000)).toBeLessThan(1_000);
  });

  it('frees the concurrency slots of a SIGKILLed instance within the lease', async () => {
    const { key } = await createKey({ name: 'slots', limits: { concurrency: 2 } });
    const [victim, survivor] = cluster.instances as [Instance, Instance];
    const streams = await Promise.all([0, 1].map(async () => {
      const stream = await client(victim, key).chat.completions.create({ model: 'slow/chat', messages: HELLO, stream: true });
      const iterator = stream[Symbol.asyncIterator]();
      await iterator.next();
      return iterator;
    }));
    expect(streams).toHaveLength(2);
    victim.cli.child.kill('SIGKILL');
    await victim.cli.exited;
    const killedAt = Date.now();
    const busy = await attempt(client(survivor, key).chat.completions.create({ model: 'chat', messages: HELLO }));
    expect(busy.ok ? 'admitted' : busy.error.message).toMatch(/concurrent/);
    await until(async () => ((await attempt(client(survivor, key).chat.completions.create({ model: 'chat', messages: HELLO }))).ok ? true : undefined), LEASE_MS + 2_000);
    expect(Date.now() - killedAt).toBeLessThanOrEqual(LEASE_MS + 1_000);
  });

  it('writes one usage row per request served after a SIGTERM mid-stream', async () => {
    const { id, key } = await createKey({ name: 'drained' });
    const target = cluster.instances[2] as Instance;
    const requestIds: string[] = [];
    const streams = await Promise.all([0, 1, 2].map(async () => {
      const { data: stream, response } = await client(target, key).chat.completions.create({ model: 'slow/chat', messages: HELLO, stream: true }).withResponse();
      requestIds.push(response.headers.get('x-request-id') ?? '');
      const iterator = stream[Symbol.asyncIterator]();
      await iterator.next();
      return iterator;
    }));
    target.cli.child.kill('SIGTERM');
    // The instance finishes the streams it has, then exits.
    const texts = await Promise.all(streams.map(async (iterator) => {
      let text = '';
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) text += next.value.choices[0]?.delta.content ?? '';
      return text;
    }).map((p) => p.catch(() => 'cut')));
    const exit = await target.cli.exited;
    expect(exit.code).toBe(0);
    const { rows } = await db.query<{ request_id: string; status: number }>('select request_id, status from usage_events where key_id = $1 order by request_id', [id]);
    expect(rows.map((r) => r.request_id).sort()).toEqual([...requestIds].sort());
    // The instance drained: every stream ran to its end and was recorded as served.
    expect(texts.every((t) => t.includes('demo provider'))).toBe(true);
    expect(rows.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('reports the shared usage through the CLI', async () => {
    const result = await runCli(['usage', '--by', 'key', '--csv', '--config', cluster.configPath], { cwd: dir });
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('group,requests,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,total_tokens,cost_usd');
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from usage_events');
    expect(lines.at(-1)?.split(',')[1]).toBe(String(rows[0]?.n));
  });
});

/** Polls `probe` until it returns a value (or throws after `timeoutMs`). */
async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
