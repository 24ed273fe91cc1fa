/**
 * `switchyard keys create|list|show|revoke` and `switchyard usage` on the database of a config
 * file (SQLite here; the scale-out suite runs them against PostgreSQL), and a running gateway
 * seeing the change without a restart.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type RunningCli } from './run-cli.js';

const MASTER = 'sk-cli-master-key-0123456789abcdef';

describe('switchyard keys and usage', { timeout: 30_000 }, () => {
  let dir: string;
  let config: string;
  let serve: RunningCli | undefined;
  const cli = (args: string[]): ReturnType<typeof runCli> => runCli([...args, '--config', config], { cwd: dir });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-cli-keys-'));
    config = join(dir, 'switchyard.yaml');
    writeFileSync(config, [
      `server: { master_key: ${MASTER}, log_level: warn }`,
      `storage: { database: "sqlite:${join(dir, 'data', 'switchyard.db')}", key_refresh_ms: 200 }`,
      'providers: { demo: { type: mock } }',
      'usage: { flush_ms: 50 }',
      '',
    ].join('\n'));
  });
  afterAll(async () => {
    if (serve && serve.child.exitCode === null) {
      serve.child.kill('SIGKILL');
      await serve.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a key with limits, prints it once, and lists and shows it without the secret', async () => {
    const created = await cli(['keys', 'create', '--name', 'ci bot', '--models', 'demo/*,chat', '--rpm', '2', '--budget-usd', '1.5', '--budget-period', 'weekly']);
    expect(created.code).toBe(0);
    const [summary, key, notice] = created.stdout.trim().split('\n');
    expect(summary).toMatch(/^Created key_[0-9a-f]{16} \(ci bot\), limits: rpm=2 budget=\$1\.5\/weekly$/);
    expect(key).toMatch(/^sk-sy-[A-Za-z0-9_-]{32}$/);
    expect(notice).toMatch(/shown only once/);
    const id = summary?.match(/key_[0-9a-f]{16}/)?.[0] ?? '';

    const list = await cli(['keys', 'list']);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+PREFIX\s+STATUS\s+MODELS\s+LIMITS\s+EXPIRES$/);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain('demo/*,chat');
    expect(list.stdout).not.toContain(key?.slice(10));

    const show = await cli(['keys', 'show', id]);
    expect(JSON.parse(show.stdout)).toMatchObject({ id, name: 'ci bot', models: ['demo/*', 'chat'], limits: { rpm: 2, budget_usd: 1.5, budget_period: 'weekly' }, status: 'active' });
    expect(show.stdout).not.toContain(key?.slice(10));
    expect(readFileSync(join(dir, 'data', 'switchyard.db')).toString('latin1')).not.toContain(key?.slice(10));
  });

  it('explains bad input and unknown ids with exit code 1', async () => {
    const bad = await cli(['keys', 'create', '--name', 'x', '--rpm', '0']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--rpm.*positive integer/);
    const expires = await cli(['keys', 'create', '--name', 'x', '--expires', 'tomorrow']);
    expect(expires.code).toBe(1);
    expect(expires.stderr).toMatch(/expires_at/);
    const missing = await cli(['keys', 'show', 'key_missing']);
    expect([missing.code, missing.stderr.trim()]).toEqual([1, "switchyard: No API key with id 'key_missing'."]);
  });

  it('a running gateway sees a key created and revoked by the CLI, and usage reports its requests', async () => {
    serve = startCli(['serve', '--config', config, '--port', '0'], { cwd: dir });
    const [, origin] = await serve.waitForStderr(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const created = await cli(['keys', 'create', '--name', 'live', '--json']);
    const { id, key } = JSON.parse(created.stdout) as { id: string; key: string };
    let served = 0;
    const call = async (): Promise<Response> => {
      const answer = await fetch(`${origin}/v1/chat/completions`, {
        method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'demo/chat', messages: [{ role: 'user', content: 'hi' }] }),
      });
      if (answer.status === 200) served++;
      return answer;
    };
    // Without Redis the gateway's refresh (200 ms here) brings the new key in.
    const deadline = Date.now() + 3_000;
    let response = await call();
    while (response.status === 401 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      response = await call();
    }
    expect(response.status).toBe(200);
    expect((await call()).status).toBe(200);

    expect((await cli(['keys', 'revoke', id])).stdout).toMatch(new RegExp(`^Revoked ${id} \\(live\\) at `));
    let refused = await call();
    while (refused.status === 200 && Date.now() < deadline + 3_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      refused = await call();
    }
    expect(refused.status).toBe(401);

    await new Promise((resolve) => setTimeout(resolve, 200));
    const usage = await cli(['usage', '--key', id, '--by', 'model', '--json']);
    // Requests refused with 401 have no key to bill; every served one is there.
    expect(served).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ object: 'usage', by: 'model', data: [{ group: 'demo/chat', requests: served }], totals: { requests: served } });
    const table = await cli(['usage', '--key', id, '--since', '1h']);
    expect(table.stdout).toMatch(/^MODEL\s+REQUESTS\s+PROMPT/);
    expect(table.stdout).toMatch(new RegExp(`\ndemo/chat\\s+${served}\\s`));
    const csv = await cli(['usage', '--by', 'day', '--csv', '--key', id]);
    expect(csv.stdout.split('\r\n')[1]).toMatch(new RegExp(`^${new Date().toISOString().slice(0, 10)},${served},`));
  });
});
