/**
 * Helpers for the resilience tests: settle an SDK call into its error, drain a stream while
 * keeping what arrived, a fake wall clock, a raw upstream that answers whatever bytes a test
 * wants (malformed JSON), and readers for `/status` and `/metrics`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { RunningGateway } from './gateway.js';

/** The SDK error a call rejects with (fails when it resolves or throws something else). */
export async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Reads a stream to its end or its error: what arrived, and the error if any. */
export async function drain<T>(stream: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of stream) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}

/** A wall clock the test moves by hand (`deps.now`). */
export function createFakeClock(start = Date.parse('2026-08-01T12:00:00Z')): { now: () => number; advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** An upstream that answers every request with `status` and exactly `body` (bytes as given). */
export async function startRawUpstream(status: number, body: string, contentType = 'application/json'): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': contentType });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** `GET /status` as JSON (master key sent when given). */
export async function readStatus(gw: RunningGateway, key?: string): Promise<StatusDocument> {
  const response = await fetch(`${gw.origin}/status`, key ? { headers: { authorization: `Bearer ${key}` } } : {});
  if (response.status !== 200) throw new Error(`/status answered ${response.status}`);
  return (await response.json()) as StatusDocument;
}

/** `GET /metrics` text. */
export async function readMetrics(gw: RunningGateway): Promise<string> {
  const response = await fetch(`${gw.origin}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}

/** The value of one sample line (`name{labels} value`) whose labels include all of `labels`; undefined if absent. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((w) => line.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

export interface TargetStatus {
  provider: string;
  model: string;
  status: string;
  breaker: { state: string; reason: string | null; since: string | null; until: string | null };
  in_flight: number;
  requests_5m: number;
  error_rate_5m: number | null;
  error_rate_60m: number | null;
  latency_ms: { p50: number; p95: number; samples: number } | null;
  ttft_ms: { p50: number; p95: number; samples: number } | null;
}

export interface StatusDocument {
  status: string;
  in_flight: { streams: number; upstream_requests: number };
  providers: Record<string, TargetStatusGroup & { quota?: { limits: Record<string, number>; used: Record<string, number>; exhausted?: string } }>;
  models: Record<string, TargetStatusGroup & { strategy: string }>;
}

export type TargetStatusGroup = Omit<TargetStatus, 'provider' | 'model' | 'breaker'> & { targets: TargetStatus[] };
