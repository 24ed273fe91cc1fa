/**
 * Graceful shutdown of the real `switchyard serve` process: SIGTERM during a stream lets the
 * stream finish (and its usage be logged) before exit 0; new connections are refused meanwhile;
 * a stream that would never end is cut at `server.drain_timeout_ms`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';
import { drain } from '../support/resilience.js';
import { startCli, type RunningCli } from './run-cli.js';

const MASTER_KEY = 'sk-test-shutdown-master-0123456789';

describe('switchyard serve: SIGTERM', () => {
  let dir: string;
  let fake: FakeOpenAI;
  let cli: RunningCli | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-shutdown-'));
    fake = await startFakeOpenAI({ apiKey: 'upstream-key-shutdown-1234' });
  });
  afterEach(async () => {
    if (cli && cli.child.exitCode === null && cli.child.signalCode === null) {
      cli.child.kill('SIGKILL');
      await cli.exited;
    }
    cli = undefined;
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function serve(drainTimeoutMs: number): Promise<OpenAI> {
    const config = join(dir, 'switchyard.yaml');
    writeFileSync(config, [
      'server:',
      '  port: 0',
      `  master_key: ${MASTER_KEY}`,
      `  drain_timeout_ms: ${drainTimeoutMs}`,
      'providers:',
      '  up:',
      '    type: openai-compatible',
      `    base_url: ${fake.url}`,
      '    api_key: upstream-key-shutdown-1234',
      '',
    ].join('\n'));
    cli = startCli(['serve', '--config', config], { cwd: dir });
    const [, origin] = await cli.waitForStderr(/Switchyard listening on (http:\/\/127\.0\.0\.1:\d+)/);
    return new OpenAI({ baseURL: `${origin}/v1`, apiKey: MASTER_KEY, maxRetries: 0 });
  }

  it('lets a stream in flight finish, logs its usage, refuses new connections, and exits 0', async () => {
    const words = Array.from({ length: 8 }, (_, i) => `word${i}`).join(' ');
    fake.script({ stream: { chunkDelayMs: 100 }, reply: { text: words, usage: { promptTokens: 11, completionTokens: 8 } } });
    const client = await serve(10_000);
    const running = cli as RunningCli;
    const stream = await client.chat.completions.create({ model: 'up/gpt-4o-mini', messages: [{ role: 'user', content: 'count' }], stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);

    running.child.kill('SIGTERM');
    await running.waitForStderr(/Received SIGTERM/);
    await expect(fetch(client.baseURL.replace('/v1', '/healthz'))).rejects.toThrow();

    const { items, error } = await drain({ [Symbol.asyncIterator]: () => iterator });
    expect(error).toBeUndefined();
    const chunks = [first.value, ...items] as Array<{ choices: Array<{ delta: { content?: string | null }; finish_reason: string | null }> }>;
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(words);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');

    expect(await running.exited).toEqual({ code: 0, signal: null });
    const line = running.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'request' && l.model === 'up/gpt-4o-mini');
    expect(line).toMatchObject({ status: 200, stream: true, prompt_tokens: 11, completion_tokens: 8 });
  });

  it('cuts a stream that outlives server.drain_timeout_ms, then exits 0', async () => {
    fake.script({ stream: { hangAfter: 2 } });
    const client = await serve(300);
    const running = cli as RunningCli;
    const stream = await client.chat.completions.create({ model: 'up/gpt-4o-mini', messages: [{ role: 'user', content: 'forever' }], stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const started = performance.now();
    running.child.kill('SIGTERM');
    const { error } = await drain({ [Symbol.asyncIterator]: () => iterator });
    expect(error).toBeDefined();
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(running.stderr()).toMatch(/Drain timeout \(300 ms\)/);
    await fake.waitForClose(1);
  });
});
