/**
 * The SSRF guard on image URLs fetched for providers that need bytes: `isPrivateAddress` over
 * the special IPv4/IPv6 ranges, `createImageFetcher` against a real loopback server (private
 * targets refused before any connection, non-http schemes, content type, size cap, no
 * redirects, timeouts), `inlineImageUrls`, and — once a native adapter with
 * `imageUrls: 'inline'` is registered — the whole path through the gateway and the SDK.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/errors.js';
import type { ChatRequest } from '../../src/core/types.js';
import { inlineImageUrls } from '../../src/providers/inline-images.js';
import { NATIVE_ADAPTERS } from '../../src/providers/native-adapters.js';
import { createImageFetcher, isPrivateAddress, type ImageFetcher, type ImageFetchOptions } from '../../src/transport/fetch-image.js';
import { startFakeOpenAI } from '../support/fake-openai.js';
import { startGateway } from '../support/gateway.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const PNG_DATA_URL = `data:image/png;base64,${PNG.toString('base64')}`;

interface LoopbackServer {
  origin: string;
  port: number;
  /** Paths requested, oldest first. */
  hits: string[];
  /** Paths of the requests that were not GETs (a local provider's model listing is a GET). */
  posts: string[];
  close(): Promise<void>;
}

const ROUTES: Record<string, (res: ServerResponse) => void> = {
  '/dot.png': (res) => res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(PNG),
  '/dot-charset.png': (res) => res.writeHead(200, { 'content-type': 'image/png; charset=binary' }).end(PNG),
  '/page.html': (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>not an image</h1>'),
  '/untyped': (res) => res.writeHead(200).end(PNG),
  '/big.png': (res) => res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(64 * 1024, 7)),
  '/redirect': (res) => res.writeHead(302, { location: '/dot.png' }).end(),
  '/hang': () => undefined,
};

/** An HTTP server on 127.0.0.1 that records every hit (a hit is what the guard must prevent). */
async function startLoopbackServer(): Promise<LoopbackServer> {
  const hits: string[] = [];
  const posts: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    hits.push(req.url ?? '/');
    if (req.method !== 'GET') posts.push(req.url ?? '/');
    const route = ROUTES[new URL(req.url ?? '/', 'http://x').pathname];
    if (route) route(res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    hits,
    posts,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let loopback: LoopbackServer;
let fetcher: ImageFetcher;

beforeAll(async () => {
  loopback = await startLoopbackServer();
  fetcher = createImageFetcher();
});
afterAll(async () => {
  await fetcher.close();
  await loopback.close();
});
beforeEach(() => {
  loopback.hits.length = 0;
});

const GUARDED: ImageFetchOptions = { allowPrivate: false, maxBytes: 1024 * 1024, timeoutMs: 2_000 };
const ALLOWED: ImageFetchOptions = { ...GUARDED, allowPrivate: true };
const PARAM = 'messages[0].content[1].image_url.url';

/** The GatewayError a fetch rejects with; fails when it succeeds. */
async function refusal(url: string, options: ImageFetchOptions): Promise<GatewayError> {
  try {
    await fetcher.fetchAsDataUrl(url, PARAM, options);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback /8'],
    ['10.0.0.1', 'RFC 1918 10/8'],
    ['172.16.0.1', 'RFC 1918 172.16/12, low edge'],
    ['172.31.255.255', 'RFC 1918 172.16/12, high edge'],
    ['192.168.1.1', 'RFC 1918 192.168/16'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT, high edge'],
    ['0.0.0.0', '"this" network'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fc00::1', 'IPv6 unique local'],
    ['fd12:3456:789a::1', 'IPv6 unique local (fd)'],
    ['fe80::1', 'IPv6 link-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex form'],
    ['64:ff9b::7f00:1', 'NAT64 of 127.0.0.1'],
    ['2002:7f00:1::1', '6to4 of 127.0.0.1'],
    ['::7f00:1', 'IPv4-compatible (deprecated) loopback'],
    ['fec0::1', 'IPv6 site-local (deprecated)'],
    ['localhost', 'not an address at all'],
    ['', 'empty'],
  ])('%s is refused (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    ['8.8.8.8', 'public DNS'],
    ['1.1.1.1', 'public DNS'],
    ['93.184.216.34', 'public web server'],
    ['172.15.255.255', 'just below 172.16/12'],
    ['172.32.0.1', 'just above 172.16/12'],
    ['100.128.0.1', 'just above 100.64/10'],
    ['192.169.0.1', 'just above 192.168/16'],
    ['2001:4860:4860::8888', 'public IPv6'],
    ['2606:4700:4700::1111', 'public IPv6'],
    ['::ffff:8.8.8.8', 'IPv4-mapped public'],
  ])('%s is allowed (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('createImageFetcher: private targets are refused without a connection', () => {
  it.each([
    ['the loopback server itself', (port: number) => `http://127.0.0.1:${port}/dot.png`],
    ['a name that resolves to loopback', (port: number) => `http://localhost:${port}/dot.png`],
    ['IPv6 loopback', (port: number) => `http://[::1]:${port}/dot.png`],
    ['IPv4-mapped IPv6 loopback', (port: number) => `http://[::ffff:127.0.0.1]:${port}/dot.png`],
    ['loopback as one decimal number', (port: number) => `http://2130706433:${port}/dot.png`],
    ['loopback in hex shorthand', (port: number) => `http://0x7f.1:${port}/dot.png`],
    ['the unspecified address', (port: number) => `http://0.0.0.0:${port}/dot.png`],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
  ])('%s', async (_what, build) => {
    const error = await refusal(build(loopback.port), GUARDED);
    expect(error.code).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.param).toBe(PARAM);
    expect(error.message).toContain(PARAM);
    expect(error.message).toMatch(/private or loopback/);
    expect(loopback.hits).toEqual([]);
  });

  it.each([
    ['file:///etc/passwd'],
    ['ftp://127.0.0.1/dot.png'],
    ['gopher://127.0.0.1:70/'],
    ['not a url at all'],
  ])('refuses %s (only http and https)', async (url) => {
    const error = await refusal(url, GUARDED);
    expect(error.param).toBe(PARAM);
    expect(error.message).toMatch(/only http\(s\)|not a valid URL/);
    expect(loopback.hits).toEqual([]);
  });
});

describe('createImageFetcher: what an allowed server may send', () => {
  it('fetches an image as a data URL when private addresses are allowed', async () => {
    expect(await fetcher.fetchAsDataUrl(`${loopback.origin}/dot.png`, PARAM, ALLOWED)).toBe(PNG_DATA_URL);
    expect(loopback.hits).toEqual(['/dot.png']);
  });

  it('keeps only the media type of a content type with parameters', async () => {
    expect(await fetcher.fetchAsDataUrl(`${loopback.origin}/dot-charset.png`, PARAM, ALLOWED)).toBe(PNG_DATA_URL);
  });

  it.each([
    ['/page.html', /content type 'text\/html' is not an image/],
    ['/untyped', /content type 'none' is not an image/],
  ])('refuses %s: not an image', async (path, message) => {
    const error = await refusal(`${loopback.origin}${path}`, ALLOWED);
    expect(error.message).toMatch(message);
    expect(error.param).toBe(PARAM);
  });

  it('refuses a body over the size cap', async () => {
    const error = await refusal(`${loopback.origin}/big.png`, { ...ALLOWED, maxBytes: 16 * 1024 });
    expect(error.message).toMatch(/larger than 16384 bytes/);
  });

  it('accepts a body exactly at the size cap', async () => {
    expect(await fetcher.fetchAsDataUrl(`${loopback.origin}/dot.png`, PARAM, { ...ALLOWED, maxBytes: PNG.length })).toBe(PNG_DATA_URL);
  });

  it('does not follow redirects (the target could be anywhere)', async () => {
    const error = await refusal(`${loopback.origin}/redirect`, ALLOWED);
    expect(error.message).toMatch(/answered HTTP 302/);
    expect(loopback.hits).toEqual(['/redirect']);
  });

  it('refuses a non-200 answer', async () => {
    const error = await refusal(`${loopback.origin}/missing.png`, ALLOWED);
    expect(error.message).toMatch(/answered HTTP 404/);
  });

  it('gives up on a server that never answers, within the time cap', async () => {
    const started = Date.now();
    const error = await refusal(`${loopback.origin}/hang`, { ...ALLOWED, timeoutMs: 200 });
    expect(error.message).toMatch(/could not be downloaded/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = refusal(`${loopback.origin}/hang`, { ...ALLOWED, timeoutMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await pending).message).toMatch(/could not be downloaded/);
  });
});

function imageRequest(urls: string[]): ChatRequest {
  return {
    model: 'm',
    stream: false,
    includeUsage: false,
    dialect: 'openai',
    messages: [
      { role: 'system', content: 'Describe images.' },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, ...urls.map((url) => ({ type: 'image' as const, url }))] },
    ],
  };
}

describe('inlineImageUrls', () => {
  it('turns http(s) URLs into data URLs, names each param, and leaves the caller\'s request alone', async () => {
    const calls: Array<{ url: string; param: string }> = [];
    const recording: ImageFetcher = {
      fetchAsDataUrl: (url, param) => {
        calls.push({ url, param });
        return Promise.resolve(`data:image/png;base64,${Buffer.from(url).toString('base64')}`);
      },
      close: () => Promise.resolve(),
    };
    const request = imageRequest(['https://example.com/a.png', PNG_DATA_URL, 'http://example.com/b.png']);
    const snapshot = structuredClone(request);
    const inlined = await inlineImageUrls(request, recording, GUARDED);
    expect(calls).toEqual([
      { url: 'https://example.com/a.png', param: 'messages[1].content[1].image_url.url' },
      { url: 'http://example.com/b.png', param: 'messages[1].content[3].image_url.url' },
    ]);
    expect(inlined.messages[1]?.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', url: `data:image/png;base64,${Buffer.from('https://example.com/a.png').toString('base64')}` },
      { type: 'image', url: PNG_DATA_URL },
      { type: 'image', url: `data:image/png;base64,${Buffer.from('http://example.com/b.png').toString('base64')}` },
    ]);
    expect(request).toEqual(snapshot);
  });

  it('returns the same request when there is nothing to fetch', async () => {
    const request = imageRequest([PNG_DATA_URL]);
    expect(await inlineImageUrls(request, fetcher, GUARDED)).toBe(request);
  });

  it('rejects with a 400 naming the param when the URL is private, without touching the server', async () => {
    const request = imageRequest([`${loopback.origin}/dot.png`]);
    const error = await inlineImageUrls(request, fetcher, GUARDED).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).param).toBe('messages[1].content[1].image_url.url');
    expect((error as GatewayError).status).toBe(400);
    expect(loopback.hits).toEqual([]);
  });
});

/** Registered native adapter types that need image bytes (`imageUrls: 'inline'`). */
function findInlineAdapterTypes(): string[] {
  return Object.entries(NATIVE_ADAPTERS).flatMap(([type, entry]) => {
    try {
      const adapter = entry.create({ id: 'probe', type, baseUrl: 'http://127.0.0.1:9/', apiKey: 'probe-key-123456', options: { type } });
      return adapter.imageUrls === 'inline' ? [type] : [];
    } catch {
      return []; // An adapter that needs more settings to be created is not the one we are looking for.
    }
  });
}

const INLINE_TYPES = findInlineAdapterTypes();

describe('through the gateway', () => {
  const messages = (url: string): OpenAI.Chat.ChatCompletionMessageParam[] => [{
    role: 'user',
    content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url } }],
  }];

  if (INLINE_TYPES.length === 0) {
    it.skip('refuses a loopback image URL for a provider that needs bytes [skipped: no native adapter with imageUrls \'inline\' is registered yet]', () => {});
  }

  it.each(INLINE_TYPES)('refuses a loopback image URL for %s (needs bytes): 400 naming the param, nothing fetched or sent', async (type) => {
    const upstream = await startLoopbackServer();
    const gw = await startGateway({ providers: { native: { type, base_url: upstream.origin, api_key: 'upstream-key-123456' } } });
    try {
      const client = new OpenAI({ baseURL: gw.baseURL, apiKey: gw.masterKey, maxRetries: 0 });
      const error = await client.chat.completions.create({ model: 'native/some-model', messages: messages(`${loopback.origin}/dot.png`) })
        .then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
      expect(apiError.status).toBe(400);
      expect(apiError.type).toBe('invalid_request_error');
      expect(apiError.param).toBe('messages[0].content[1].image_url.url');
      expect(apiError.message).toContain('messages[0].content[1].image_url.url');
      expect(loopback.hits).toEqual([]);
      // Nothing reached the provider either (a local one may have listed its models at start-up).
      expect(upstream.posts).toEqual([]);
    } finally {
      await gw.close();
      await upstream.close();
    }
  });

  it('passes an image URL through untouched to an OpenAI-compatible provider (nothing is fetched)', async () => {
    const fake = await startFakeOpenAI();
    const gw = await startGateway({ providers: { up: { type: 'openai-compatible', base_url: fake.url } } });
    try {
      const client = new OpenAI({ baseURL: gw.baseURL, apiKey: gw.masterKey, maxRetries: 0 });
      const url = `${loopback.origin}/dot.png`;
      await client.chat.completions.create({ model: 'up/gpt-4o-mini', messages: messages(url) });
      expect(JSON.stringify(fake.requests.at(-1)?.body)).toContain(url);
      expect(loopback.hits).toEqual([]);
    } finally {
      await gw.close();
      await fake.close();
    }
  });
});
