import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';
import { runCli } from './run-cli.js';

const FAKE_KEY = 'sk-fake-check-key-0123456789abcdef';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('switchyard check', () => {
  let fake: FakeOpenAI;
  let dir: string;

  beforeAll(async () => {
    fake = await startFakeOpenAI({ apiKey: FAKE_KEY });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-cli-check-'));
    fake.reset();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const writeConfig = (text: string, name = 'switchyard.yaml'): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('prints one ok line per provider and exits 0', async () => {
    const path = writeConfig(`
providers:
  primary:
    type: openai
    base_url: ${fake.url}
    api_key: \${FAKE_KEY}
  compat:
    type: openai-compatible
    base_url: ${fake.url}
    api_key: \${FAKE_KEY}
`);
    const result = await runCli(['check', '--config', path], { cwd: dir, env: { FAKE_KEY } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe(`config: ${path} is valid`);
    expect(lines.slice(1).sort()).toEqual([
      expect.stringMatching(/^ok {4}compat \(openai-compatible\): 6 models, \d+ ms$/),
      expect.stringMatching(/^ok {4}primary \(openai\): 6 models, \d+ ms$/),
    ]);
    expect(fake.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ['GET', '/v1/models', `Bearer ${FAKE_KEY}`],
      ['GET', '/v1/models', `Bearer ${FAKE_KEY}`],
    ]);
    expect(result.stdout + result.stderr).not.toContain(FAKE_KEY);
  });

  it('prints a FAIL line for a provider on a closed port and exits 1', async () => {
    const port = await closedPort();
    const path = writeConfig(`
providers:
  good:
    type: openai
    base_url: ${fake.url}
    api_key: ${FAKE_KEY}
  dead:
    type: openai-compatible
    base_url: http://127.0.0.1:${port}/v1
`);
    const result = await runCli(['check', '--config', path], { cwd: dir });
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^ok {4}good \(openai\): 6 models/));
    expect(lines).toContainEqual('FAIL  dead (openai-compatible): Could not connect to the upstream.');
    expect(result.stderr).not.toMatch(/^ {4}at /m);
  });

  it('reports a rejected key without echoing it', async () => {
    const wrongKey = 'sk-wrong-key-abcdefghijklmnop';
    // A fake that echoes the presented key in its 401, as some upstreams do.
    const echoing = await startFakeOpenAI();
    echoing.script({ status: 401, error: { message: `Incorrect API key provided: ${wrongKey}. Check it.` } });
    const path = writeConfig(`providers:\n  openai:\n    type: openai\n    base_url: ${echoing.url}\n    api_key: ${wrongKey}\n`);
    const result = await runCli(['check', '--config', path], { cwd: dir }).finally(() => echoing.close());
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL {2}openai \(openai\): Incorrect API key provided: \[redacted\]\. Check it\.$/m);
    expect(result.stdout + result.stderr).not.toContain(wrongKey);
  });

  it('lists every problem of an invalid config by path on stderr, without a stack trace, and exits 1', async () => {
    const path = writeConfig(`
server:
  prot: 4000
providers:
  openai:
    type: opnai
    api_key: \${UNSET_KEY}
models:
  chat:
    targets:
      - provider: nowhere
        model: x
`);
    const result = await runCli(['check', '--config', path], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`Invalid configuration in ${path}:`);
    for (const problem of [
      '  - providers.openai.api_key: environment variable UNSET_KEY is not set',
      '  - server: Unrecognized key: "prot"',
      '  - providers.openai.type: Invalid option: expected one of',
      "  - models.chat.targets.0.provider: unknown provider 'nowhere'",
    ]) {
      expect(result.stderr).toContain(problem);
    }
    expect(result.stderr).not.toMatch(/^ {4}at /m);
    expect(result.stderr).not.toMatch(/ConfigError|\.js:\d+/);
  });

  it('reports a JSON config with a wrong type, and a missing file', async () => {
    const json = writeConfig(JSON.stringify({ routing: { retries: 'three' } }), 'switchyard.json');
    const bad = await runCli(['check', '--config', json], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ {2}- routing\.retries: /m);

    const missing = join(dir, 'nope.yaml');
    const gone = await runCli(['check', '--config', missing], { cwd: dir });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`${missing}: file not found`);
    expect(gone.stderr).not.toMatch(/^ {4}at /m);
  });

  it('fails when no provider is configured', async () => {
    const path = writeConfig('providers: {}\n');
    const result = await runCli(['check', '--config', path], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('no providers configured');
  });
});
