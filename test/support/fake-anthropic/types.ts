import type { IncomingHttpHeaders } from 'node:http';

/** One request as the fake received it. */
export interface RecordedAnthropicRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/messages`. */
  path: string;
  /** Path with the query string. */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body; undefined when empty or not JSON. */
  body: unknown;
}

/** Token counts in Anthropic's own terms (`input` excludes the cache counts). */
export interface FakeAnthropicUsage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  thinking?: number;
}

/** The model's next answer, rendered as a Messages API message (or stream) by the fake. */
export type FakeAnthropicReply =
  | {
    kind: 'text';
    text: string;
    /** Default `end_turn`. */
    stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'refusal';
    /** Rendered as a signed thinking block, only when the request enabled thinking. */
    thinking?: string;
    usage?: FakeAnthropicUsage;
  }
  | {
    kind: 'tools';
    /** Text before the calls ("I'll check."). */
    text?: string;
    calls: Array<{ id?: string; name: string; input: Record<string, unknown> }>;
    thinking?: string;
    usage?: FakeAnthropicUsage;
  }
  | {
    kind: 'error';
    status: number;
    /** Anthropic `error.type`, e.g. `overloaded_error`. */
    type: string;
    message: string;
    retryAfterSeconds?: number;
  };

/** Failure and framing controls for a streamed answer. Counts are SSE events written. */
export interface FakeAnthropicStreamScript {
  /** Replaces the rendered events: objects are written as `event: <type>` + `data:`, strings verbatim. */
  events?: unknown[];
  /** Write this many events, then destroy the socket (an upstream cut mid-stream). */
  cutAfter?: number;
  /** Write this many events, then keep the response open until the client goes away. */
  hangAfter?: number;
  /** Write `after` events, then an `event: error` frame, then end the response. */
  inBandError?: { after: number; type: string; message: string };
}

/** One scripted response (first in, first out; unscripted requests get a default answer). */
export interface FakeAnthropicScript {
  reply?: FakeAnthropicReply;
  /** Respond with this JSON body verbatim (status defaults to 200). */
  body?: unknown;
  status?: number;
  headers?: Record<string, string>;
  stream?: FakeAnthropicStreamScript;
}

/** An Anthropic API error as the fake sends it. */
export interface FakeAnthropicError {
  status: number;
  type: string;
  message: string;
}
