/**
 * Renders the fake's answer as Anthropic does: a `message` object, and from it the SSE event
 * sequence (PROTOCOLS §2.3–2.4): message_start (usage with output_tokens 1), per block
 * content_block_start / deltas / content_block_stop (text in small pieces so multi-byte
 * characters straddle writes, tool input as `partial_json` fragments after an empty one,
 * thinking then its signature_delta), a ping, message_delta with the cumulative usage, then
 * message_stop.
 */
import type { FakeAnthropicReply, FakeAnthropicUsage } from './types.js';
import { signThinking } from './validate.js';

type Json = Record<string, unknown>;
type Block = Json & { type: string };

export interface FakeMessage {
  id: string;
  model: string;
  content: Block[];
  stopReason: string;
  usage: FakeAnthropicUsage;
}

const TEXT_PIECE = 6;
const JSON_PIECE = 7;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Splits by code points, so a piece never cuts a character (the bytes of one may still straddle writes). */
function pieces(text: string, size: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

function lastUserText(messages: unknown[]): string {
  for (const message of [...messages].reverse()) {
    if (!isRecord(message) || message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    const texts = Array.isArray(message.content) ? message.content.filter((b) => isRecord(b) && b.type === 'text') : [];
    const last = texts.at(-1);
    if (isRecord(last) && typeof last.text === 'string') return last.text;
  }
  return '';
}

/** The tool a forcing `tool_choice` makes the model call, if any. */
function forcedTool(body: Json): string | undefined {
  const choice = isRecord(body.tool_choice) ? body.tool_choice : undefined;
  const tools = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
  if (choice?.type === 'tool' && typeof choice.name === 'string') return choice.name;
  const first = tools[0];
  return choice?.type === 'any' && first && typeof first.name === 'string' ? first.name : undefined;
}

function parseObject(text: string): Json {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : { value };
  } catch {
    return { text };
  }
}

/** Builds the answer to a validated request: the scripted reply, else an echo of the last user text. */
export function planMessage(body: Json, reply: FakeAnthropicReply | undefined, seq: number): FakeMessage {
  const thinkingOn = isRecord(body.thinking) && body.thinking.type === 'enabled';
  const content: Block[] = [];
  const answer = reply && reply.kind !== 'error' ? reply : { kind: 'text' as const, text: `Hello from fake Anthropic: ${lastUserText(body.messages as unknown[])}` };
  if (thinkingOn && answer.thinking !== undefined) {
    content.push({ type: 'thinking', thinking: answer.thinking, signature: signThinking(answer.thinking) });
  }
  const id = (i: number): string => `toolu_fake${String(seq).padStart(4, '0')}${i}`;
  const forced = forcedTool(body);
  let stopReason: string;
  if (answer.kind === 'tools') {
    if (answer.text) content.push({ type: 'text', text: answer.text });
    answer.calls.forEach((call, i) => content.push({ type: 'tool_use', id: call.id ?? id(i), name: call.name, input: call.input }));
    stopReason = 'tool_use';
  } else if (forced !== undefined && answer.stopReason !== 'refusal') {
    // A forced tool is always called: the scripted text is taken as the tool's input.
    content.push({ type: 'tool_use', id: id(0), name: forced, input: parseObject(answer.text) });
    stopReason = 'tool_use';
  } else {
    if (answer.text !== '' && answer.stopReason !== 'refusal') content.push({ type: 'text', text: answer.text });
    stopReason = answer.stopReason ?? 'end_turn';
  }
  const usage = answer.usage ?? {
    input: Math.max(1, Math.ceil(JSON.stringify(body.messages).length / 4)),
    output: Math.max(1, Math.ceil(JSON.stringify(content).length / 4)),
  };
  return { id: `msg_fake${String(seq).padStart(6, '0')}`, model: String(body.model), content, stopReason, usage };
}

function encodeUsage(usage: FakeAnthropicUsage, final: boolean): Json {
  const out: Json = {
    input_tokens: usage.input,
    cache_creation_input_tokens: usage.cacheWrite ?? 0,
    cache_read_input_tokens: usage.cacheRead ?? 0,
    output_tokens: final ? usage.output : 1,
  };
  if (final && usage.thinking !== undefined) out.output_tokens_details = { thinking_tokens: usage.thinking };
  return out;
}

/** The non-streamed `message` body. */
export function renderMessage(message: FakeMessage): Json {
  return {
    id: message.id,
    type: 'message',
    role: 'assistant',
    model: message.model,
    content: message.content.map((b) => (b.type === 'text' ? { ...b, citations: null } : b)),
    stop_reason: message.stopReason,
    stop_sequence: null,
    usage: { ...encodeUsage(message.usage, true), service_tier: 'standard' },
  };
}

function blockEvents(block: Block, index: number): Json[] {
  const delta = (d: Json): Json => ({ type: 'content_block_delta', index, delta: d });
  const events: Json[] = [];
  if (block.type === 'text') {
    events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    for (const text of pieces(String(block.text), TEXT_PIECE)) events.push(delta({ type: 'text_delta', text }));
  } else if (block.type === 'thinking') {
    events.push({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
    for (const thinking of pieces(String(block.thinking), TEXT_PIECE)) events.push(delta({ type: 'thinking_delta', thinking }));
    events.push(delta({ type: 'signature_delta', signature: block.signature }));
  } else {
    events.push({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
    events.push(delta({ type: 'input_json_delta', partial_json: '' }));
    const json = JSON.stringify(block.input);
    if (json !== '{}') for (const partial of pieces(json, JSON_PIECE)) events.push(delta({ type: 'input_json_delta', partial_json: partial }));
  }
  events.push({ type: 'content_block_stop', index });
  return events;
}

/** The SSE events of a streamed answer, in order. */
export function renderStreamEvents(message: FakeMessage): Json[] {
  const events: Json[] = [{
    type: 'message_start',
    message: {
      id: message.id, type: 'message', role: 'assistant', model: message.model, content: [], stop_reason: null, stop_sequence: null,
      usage: { ...encodeUsage(message.usage, false), service_tier: 'standard' },
    },
  }];
  message.content.forEach((block, index) => {
    const blockEventsList = blockEvents(block, index);
    events.push(...blockEventsList.slice(0, 1));
    if (index === 0) events.push({ type: 'ping' });
    events.push(...blockEventsList.slice(1));
  });
  if (message.content.length === 0) events.push({ type: 'ping' });
  events.push({ type: 'message_delta', delta: { stop_reason: message.stopReason, stop_sequence: null }, usage: encodeUsage(message.usage, true) });
  events.push({ type: 'message_stop' });
  return events;
}

/** The Anthropic error body. */
export function renderError(type: string, message: string, seq: number): Json {
  return { type: 'error', error: { type, message }, request_id: `req_fake${String(seq).padStart(6, '0')}` };
}
