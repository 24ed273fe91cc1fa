// Starts the built gateway (`node dist/main.js serve --config <tmp.yaml>`) for a bench run.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { findFreePort, spawnNode, stopChild } from './processes.mjs';

export const SWITCHYARD_MASTER_KEY = 'bench-master-key-0123456789';
export const SWITCHYARD_MODEL = 'up/gpt-4o-mini';
// BENCH_SWITCHYARD_MAIN points the bench at another build (e.g. a baseline checkout's dist).
const MAIN = process.env.BENCH_SWITCHYARD_MAIN ?? fileURLToPath(new URL('../dist/main.js', import.meta.url));

function buildConfigYaml({ port, tmpDir, upstreamPort }) {
  return [
    `server: { host: 127.0.0.1, port: ${port}, master_key: ${SWITCHYARD_MASTER_KEY} }`,
    `storage: { database: "sqlite:${join(tmpDir, 'bench.db')}" }`,
    'providers:',
    `  up: { type: openai-compatible, base_url: "http://127.0.0.1:${upstreamPort}/v1", api_key: upstream-key }`,
    '',
  ].join('\n');
}

/** Polls GET /healthz until 200; throws when the child exits first or after 20 s. */
async function waitHealthy(child, origin) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited (${child.exitCode ?? child.signalCode}) before /healthz answered`);
    }
    try {
      const res = await request(`${origin}/healthz`, { headersTimeout: 1_000, bodyTimeout: 1_000 });
      await res.body.dump();
      if (res.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error('/healthz did not answer 200 within 20 s');
}

/** One real chat completion, so a half-built gateway is reported instead of benchmarked. */
async function probe(origin) {
  const res = await request(`${origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SWITCHYARD_MASTER_KEY}` },
    body: JSON.stringify({ model: SWITCHYARD_MODEL, messages: [{ role: 'user', content: 'ping' }] }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`probe request answered ${res.statusCode}: ${text.slice(0, 200)}`);
}

/**
 * Starts Switchyard against the fake upstream. Resolves `{ child, origin }`, or
 * `{ unavailable: reason }` when it is not built, does not start, or cannot answer a chat call.
 */
export async function startSwitchyard({ tmpDir, upstreamPort, core }) {
  if (!existsSync(MAIN)) return { unavailable: `${MAIN} not found (run npm run build)` };
  const port = await findFreePort();
  const configPath = join(tmpDir, 'switchyard.yaml');
  writeFileSync(configPath, buildConfigYaml({ port, tmpDir, upstreamPort }));
  // Its one-JSON-line-per-request log is part of the cost being measured, so it stays on.
  const child = spawnNode({ args: [MAIN, 'serve', '--config', configPath], core, stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(child, origin);
    await probe(origin);
    return { child, origin };
  } catch (error) {
    await stopChild(child);
    return { unavailable: error.message };
  }
}
