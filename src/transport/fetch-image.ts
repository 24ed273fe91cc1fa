/**
 * Fetching an image URL on a caller's behalf, for providers that need bytes. An SSRF guard:
 * only http(s); every address the name resolves to is checked at connect time (so DNS
 * rebinding cannot slip past), private, loopback, link-local and other special ranges are
 * refused unless allowed; no redirects; size, time and content type are capped.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, request } from 'undici';
import { GatewayError } from '../core/errors.js';

const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(net, prefix, 'ipv4');
// No `::ffff:0:0/96` rule: BlockList already checks IPv4-mapped IPv6 addresses against the IPv4
// rules above, and it also matches every plain IPv4 address against such a rule, which would
// refuse all IPv4 hosts.
// NAT64 (64:ff9b::/96), 6to4 (2002::/16) and IPv4-compatible (::/96) addresses embed an IPv4
// address that may be private; site-local (fec0::/10) is deprecated but still routed in places.
for (const [net, prefix] of [
  ['::', 96], ['::1', 128], ['64:ff9b::', 96], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** True for addresses a fetch on a caller's behalf must not reach. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface ImageFetchOptions {
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ImageFetcher {
  /** Fetches `url` and returns it as a `data:` URL. Throws a 400 GatewayError naming `param`. */
  fetchAsDataUrl(url: string, param: string, options: ImageFetchOptions): Promise<string>;
  close(): Promise<void>;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const refused = !allowPrivate && list.some((a) => isPrivateAddress(a.address));
      if (refused) return callback(Object.assign(new Error('private address refused'), { code: 'EPRIVATE' }), []);
      const all = (options as { all?: boolean }).all === true;
      const first = list[0];
      if (all) return callback(null, list);
      return callback(null, first?.address ?? '', first?.family);
    });
  };
}

export function createImageFetcher(): ImageFetcher {
  const agents = new Map<boolean, Agent>();
  const agentFor = (allowPrivate: boolean): Agent => {
    let agent = agents.get(allowPrivate);
    if (!agent) {
      agent = new Agent({ connect: { lookup: guardedLookup(allowPrivate), timeout: 5_000 } });
      agents.set(allowPrivate, agent);
    }
    return agent;
  };
  return {
    async fetchAsDataUrl(url, param, options) {
      const refuse = (why: string): never => {
        throw new GatewayError('invalid_request', `Could not use the image at '${param}': ${why}.`, { param });
      };
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return refuse('not a valid URL');
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return refuse('only http(s) URLs can be fetched');
      // A literal address never goes through DNS: check it here.
      const host = parsed.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) !== 0 && !options.allowPrivate && isPrivateAddress(host)) return refuse('private or loopback addresses are not fetched');
      const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
      try {
        const response = await request(parsed, { dispatcher: agentFor(options.allowPrivate), signal: AbortSignal.any(signals) });
        const type = String(response.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
        if (response.statusCode !== 200) {
          await response.body.dump();
          return refuse(`the server answered HTTP ${response.statusCode}`);
        }
        if (!type.startsWith('image/')) {
          await response.body.dump();
          return refuse(`content type '${type || 'none'}' is not an image`);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body) {
          size += (chunk as Buffer).length;
          if (size > options.maxBytes) {
            response.body.destroy();
            return refuse(`larger than ${options.maxBytes} bytes`);
          }
          chunks.push(chunk as Buffer);
        }
        return `data:${type};base64,${Buffer.concat(chunks).toString('base64')}`;
      } catch (error) {
        if (error instanceof GatewayError) throw error;
        const code = (error as { code?: string }).code;
        return refuse(code === 'EPRIVATE' ? 'private or loopback addresses are not fetched' : 'it could not be downloaded');
      }
    },
    async close() {
      await Promise.all([...agents.values()].map((a) => a.close()));
    },
  };
}
