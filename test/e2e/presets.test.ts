/**
 * Smoke tests for every OpenAI-compatible preset (src/providers/presets.ts): a config without
 * `base_url` resolves to the preset's default; with `base_url` pointed at the fake OpenAI
 * upstream, a chat call through the official SDK works and carries `Authorization: Bearer
 * <key>`; and `discoverProviders` finds the preset from its key variable. Presets that a native
 * adapter now serves (mistral, ollama …) keep (a) and (c) but skip (b), which needs OpenAI's wire.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discoverProviders } from '../../src/config/discover.js';
import { validateConfig } from '../../src/config/load.js';
import { NATIVE_ADAPTERS } from '../../src/providers/native-adapters.js';
import { OPENAI_COMPATIBLE_PRESETS, PRESET_NAMES, type OpenAICompatiblePreset, type PresetName } from '../../src/providers/presets.js';
import { resolveBaseUrl } from '../../src/providers/registry.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';
import { startGateway, type RunningGateway } from '../support/gateway.js';

const preset = (name: PresetName): OpenAICompatiblePreset => OPENAI_COMPATIBLE_PRESETS[name];
const isLocal = (name: PresetName): boolean => preset(name).local === true;
const nativeEntry = (name: PresetName): (typeof NATIVE_ADAPTERS)[string] | undefined => NATIVE_ADAPTERS[name];
/** Presets still served by the OpenAI-compatible adapter (a native adapter takes over its type otherwise). */
const OPENAI_WIRE = PRESET_NAMES.filter((name) => nativeEntry(name) === undefined);
const upstreamKey = (name: PresetName): string => `sk-preset-${name}-0123456789abcdef`;

/** A port nothing listens on, so discovery's Ollama probe fails fast. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('(a) preset data and default base URLs', () => {
  it.each(PRESET_NAMES)('%s: a config without base_url validates and resolves to the default', (name) => {
    const config = validateConfig({ providers: { p: { type: name } } }, 'test', {});
    const settings = config.providers.p;
    if (settings === undefined) throw new Error('provider p missing after validation');
    const expected = nativeEntry(name)?.defaultBaseUrl ?? preset(name).baseUrl;
    expect(resolveBaseUrl('p', settings)).toBe(expected);
  });

  it.each(PRESET_NAMES)('%s: the base URL and key variables are well formed', (name) => {
    const { baseUrl, keyEnv } = preset(name);
    const url = new URL(baseUrl);
    expect(baseUrl.endsWith('/')).toBe(false);
    if (isLocal(name)) {
      // Local servers default to the loopback address, over plain http.
      expect(url.protocol).toBe('http:');
      expect(url.hostname).toBe('127.0.0.1');
    } else {
      expect(url.protocol).toBe('https:');
      expect(keyEnv.length, 'a cloud preset names at least one key variable').toBeGreaterThan(0);
    }
    for (const variable of keyEnv) expect(variable).toMatch(/^[A-Z][A-Z0-9_]*_API_KEY$/);
  });

  it('every preset name is an accepted provider type', () => {
    for (const name of PRESET_NAMES) {
      expect(() => validateConfig({ providers: { p: { type: name, api_key: 'k' } } }, 'test', {})).not.toThrow();
    }
  });
});

describe('(b) a chat call through each OpenAI-wire preset', () => {
  let fake: FakeOpenAI;
  let gw: RunningGateway;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const providers: Record<string, unknown> = Object.fromEntries(
      OPENAI_WIRE.map((name) => [name, { type: name, base_url: fake.url, api_key: upstreamKey(name) }]),
    );
    providers.keyless = { type: 'lmstudio', base_url: fake.url };
    gw = await startGateway({ providers, routing: { retries: 0 } });
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: gw.masterKey, maxRetries: 0 });
  });
  afterAll(async () => {
    await gw.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
  });

  for (const name of PRESET_NAMES) {
    if (!OPENAI_WIRE.includes(name)) {
      it.skip(`${name} [skipped: served by the native ${name} adapter now; the conformance matrix covers it]`, () => {});
      continue;
    }
    it(name, async () => {
      const completion = await client.chat.completions.create({ model: `${name}/preset-model`, messages: [{ role: 'user', content: 'ping' }] });
      expect(completion.choices[0]?.message.content).toBe('Hello from fake OpenAI: ping');
      expect(fake.requests).toHaveLength(1);
      const request = fake.requests[0];
      expect(request?.method).toBe('POST');
      expect(request?.path).toBe('/v1/chat/completions');
      expect(request?.headers.authorization).toBe(`Bearer ${upstreamKey(name)}`);
      expect(request?.body).toMatchObject({ model: 'preset-model', messages: [{ role: 'user', content: 'ping' }] });
    });
  }

  it('a local preset without a key sends no Authorization header', async () => {
    const completion = await client.chat.completions.create({ model: 'keyless/local-model', messages: [{ role: 'user', content: 'ping' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello from fake OpenAI: ping');
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe('(c) discovery from key variables', () => {
  let noOllama: string;

  beforeAll(async () => {
    noOllama = `127.0.0.1:${await closedPort()}`;
  });

  const cloudVariables = PRESET_NAMES.filter((name) => !isLocal(name))
    .flatMap((name) => preset(name).keyEnv.map((variable) => [name, variable] as const));

  it.each(cloudVariables)('%s is found from %s, and the found config resolves to its default URL', async (name, variable) => {
    const secret = `secret-${name}-${variable}-0123456789`;
    const { providers, found } = await discoverProviders({ [variable]: secret, OLLAMA_HOST: noOllama }, 200);
    expect(providers).toEqual({ [name]: { type: name, api_key: secret } });
    expect(found).toEqual([`${name} (${preset(name).label}, key from ${variable})`]);
    expect(found.join('\n')).not.toContain(secret);
    const config = validateConfig({ providers }, 'discovered', {});
    const settings = config.providers[name];
    if (settings === undefined) throw new Error(`discovered provider ${name} did not validate`);
    expect(resolveBaseUrl(name, settings)).toBe(nativeEntry(name)?.defaultBaseUrl ?? preset(name).baseUrl);
  });

  it('takes the first set variable when a preset lists several', async () => {
    const multi = PRESET_NAMES.filter((name) => !isLocal(name) && preset(name).keyEnv.length > 1);
    expect(multi.length).toBeGreaterThan(0);
    for (const name of multi) {
      const [first, ...rest] = preset(name).keyEnv;
      const env: NodeJS.ProcessEnv = { OLLAMA_HOST: noOllama, [first ?? '']: 'first-key-0123456789' };
      for (const variable of rest) env[variable] = `other-key-${variable}`;
      const { providers } = await discoverProviders(env, 200);
      expect(providers[name]?.api_key).toBe('first-key-0123456789');
    }
  });

  it.each(PRESET_NAMES.filter(isLocal))('local preset %s is not discovered from a key variable (it is probed, or configured)', async (name) => {
    const env: NodeJS.ProcessEnv = { OLLAMA_HOST: noOllama };
    for (const variable of preset(name).keyEnv) env[variable] = 'local-key-0123456789';
    const { providers } = await discoverProviders(env, 200);
    expect(providers[name]).toBeUndefined();
  });

  it('an empty variable does not count', async () => {
    const { providers } = await discoverProviders({ OPENAI_API_KEY: '', OLLAMA_HOST: noOllama }, 200);
    expect(providers).toEqual({});
  });
});
