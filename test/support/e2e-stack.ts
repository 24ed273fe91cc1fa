/**
 * One end-to-end "stack" for the e2e tests: fake OpenAI upstream(s) + a real Switchyard pointed
 * at them + an official `openai` SDK client. Retries are instant (injected sleep) and every
 * requested sleep is recorded, so tests can check Retry-After handling without waiting.
 */
import OpenAI from 'openai';
import type { GatewayDeps } from '../../src/gateway.js';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai.js';
import { startGateway, type RunningGateway } from './gateway.js';

/** The upstream provider key the gateway is configured with (and the fakes demand). */
export const UPSTREAM_KEY = 'upstream-secret-key-123456';
/** The second fake's key, for fallback groups. */
export const BACKUP_UPSTREAM_KEY = 'backup-upstream-secret-654321';

export interface E2EStack {
  fake: FakeOpenAI;
  /** A second fake upstream (provider id `backup`), present when `backup: true`. */
  backup: FakeOpenAI | undefined;
  gw: RunningGateway;
  /** An SDK client using the master key. */
  client: OpenAI;
  /** Milliseconds passed to the injected sleep, in call order. */
  sleeps: number[];
  /** An SDK client using `apiKey`. */
  clientFor(apiKey: string): OpenAI;
  close(): Promise<void>;
}

export interface E2EStackOptions {
  /** Start a second fake and configure it as provider `backup`. */
  backup?: boolean;
  /** Merged over the default document (top-level keys replace; `providers` and `models` merge). */
  config?: (urls: { fake: string; backup: string | undefined }) => Record<string, unknown>;
  deps?: GatewayDeps;
}

/** Starts the fakes and the gateway. Default config: provider `up`, group `chat` → up/gpt-4o-mini. */
export async function startE2EStack(options: E2EStackOptions = {}): Promise<E2EStack> {
  const fake = await startFakeOpenAI({ apiKey: UPSTREAM_KEY });
  const backup = options.backup ? await startFakeOpenAI({ apiKey: BACKUP_UPSTREAM_KEY }) : undefined;
  const extra = options.config?.({ fake: fake.url, backup: backup?.url }) ?? {};
  const providers: Record<string, unknown> = {
    up: { type: 'openai-compatible', base_url: fake.url, api_key: UPSTREAM_KEY },
    ...(backup ? { backup: { type: 'openai-compatible', base_url: backup.url, api_key: BACKUP_UPSTREAM_KEY } } : {}),
    ...(extra.providers as Record<string, unknown> | undefined),
  };
  const models: Record<string, unknown> = {
    chat: { targets: [{ provider: 'up', model: 'gpt-4o-mini' }] },
    ...(extra.models as Record<string, unknown> | undefined),
  };
  const sleeps: number[] = [];
  const gw = await startGateway(
    { ...extra, providers, models },
    {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
      ...options.deps,
    },
  );
  const clientFor = (apiKey: string): OpenAI => new OpenAI({ baseURL: gw.baseURL, apiKey, maxRetries: 0 });
  return {
    fake,
    backup,
    gw,
    client: clientFor(gw.masterKey),
    sleeps,
    clientFor,
    async close() {
      await gw.close();
      await fake.close();
      await backup?.close();
    },
  };
}

/** Creates a client key through the admin API; returns the created record (with `key`). */
export async function createClientKey(
  gw: RunningGateway,
  body: { name: string; models?: string[]; expires_at?: string; limits?: Record<string, unknown> },
): Promise<{ id: string; key: string } & Record<string, unknown>> {
  const response = await fetch(`${gw.origin}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gw.masterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`creating a key failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; key: string } & Record<string, unknown>;
}

/** A raw HTTP call to the gateway (for malformed bodies and header variants the SDK will not send). */
export async function rawRequest(
  gw: RunningGateway,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Headers; text: string; json: unknown }> {
  const response = await fetch(`${gw.origin}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.headers ?? {},
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The gateway's `request` log lines (one per request). */
export function requestLogs(gw: RunningGateway): Array<Record<string, unknown>> {
  return gw.logs.filter((line) => line.msg === 'request');
}

/** Rejects if `promise` does not settle within `ms` (so a missing event fails fast, not by test timeout). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
