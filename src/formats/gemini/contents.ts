/**
 * Canonical messages → Gemini `systemInstruction` + `contents` (PROTOCOLS §3.6): leading system
 * messages become the system instruction, roles become `user` / `model`, tool calls become
 * `functionCall` parts (with their thought signature back), tool results become
 * `functionResponse` parts named after the call they answer, and consecutive turns of one role
 * are merged (Gemini wants roles to alternate).
 */
import { GatewayError } from '../../core/errors.js';
import { isRecord, type JsonObject } from '../../core/parse.js';
import type { ContentPart, Message } from '../../core/types.js';
import { decodeGeminiToolCallId } from './tool-call-id.js';

/**
 * The value Google documents for replaying a function call whose signature was lost (a
 * conversation that began on another provider, a client that rebuilt its ids): Gemini 3 then
 * skips the check instead of refusing the request. https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export const GEMINI_SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

export interface EncodeGeminiContentsOptions {
  /** Reports a field Gemini cannot express (a warning, or a 400 in strict mode). */
  drop: (field: string, reason: string) => void;
  /** The target model validates thought signatures on replayed function calls (Gemini 3 and later). */
  requireThoughtSignatures: boolean;
}

export interface GeminiContents {
  systemInstruction?: JsonObject;
  contents: JsonObject[];
}

type GeminiRole = 'user' | 'model';

interface State {
  options: EncodeGeminiContentsOptions;
  /** Client-visible tool-call id → function name, from the assistant turns seen so far. */
  callNames: Map<string, string>;
}

/** Encodes the conversation. Throws a 400 when a tool result answers no earlier tool call. */
export function encodeGeminiContents(messages: Message[], options: EncodeGeminiContentsOptions): GeminiContents {
  const state: State = { options, callNames: new Map() };
  const system: JsonObject[] = [];
  const contents: Array<{ role: GeminiRole; parts: JsonObject[] }> = [];
  let leading = true;
  messages.forEach((message, i) => {
    const path = `messages[${i}]`;
    if (message.name !== undefined && message.role !== 'tool') options.drop(`${path}.name`, 'Gemini has no participant names');
    if (message.role === 'system' && leading) {
      system.push(...encodeTextOnly(message.content, `${path}.content`, options));
      return;
    }
    // Later system messages stay where they are, as user text: hoisting them into the system
    // instruction would reorder the conversation and defeat implicit caching (LiteLLM #42104).
    leading = false;
    const role: GeminiRole = message.role === 'assistant' ? 'model' : 'user';
    const parts = encodeMessageParts(message, path, state);
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  });
  // A conversation of system messages only: OpenAI answers it, Gemini refuses empty `contents`.
  if (contents.length === 0 && system.length > 0) return { contents: [{ role: 'user', parts: system }] };
  const out: GeminiContents = { contents };
  if (system.length > 0) out.systemInstruction = { parts: system };
  return out;
}

function encodeMessageParts(message: Message, path: string, state: State): JsonObject[] {
  switch (message.role) {
    case 'system':
      return encodeTextOnly(message.content, `${path}.content`, state.options);
    case 'user':
      return encodeUserContent(message.content, `${path}.content`, state.options);
    case 'assistant':
      return [...encodeTextOnly(message.content, `${path}.content`, state.options), ...encodeToolCalls(message, path, state)];
    case 'tool':
      return [encodeToolResult(message, path, state)];
  }
}

/** Text (and refusal) parts; anything else is reported and left out. Reasoning is never sent back. */
function encodeTextOnly(content: Message['content'], path: string, options: EncodeGeminiContentsOptions): JsonObject[] {
  if (content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  const parts: JsonObject[] = [];
  content.forEach((part, j) => {
    if (part.type === 'text' || part.type === 'refusal') {
      if (part.text !== '') parts.push({ text: part.text });
    } else if (part.type !== 'reasoning') {
      options.drop(`${path}[${j}]`, `Gemini accepts only text in this message (got ${part.type})`);
    }
  });
  return parts;
}

function encodeUserContent(content: Message['content'], path: string, options: EncodeGeminiContentsOptions): JsonObject[] {
  if (content === null || typeof content === 'string') return encodeTextOnly(content, path, options);
  const parts: JsonObject[] = [];
  content.forEach((part, j) => {
    const encoded = encodeUserPart(part, `${path}[${j}]`, options);
    if (encoded) parts.push(encoded);
  });
  return parts;
}

function encodeUserPart(part: ContentPart, path: string, options: EncodeGeminiContentsOptions): JsonObject | undefined {
  switch (part.type) {
    case 'text':
    case 'refusal':
      return part.text === '' ? undefined : { text: part.text };
    case 'reasoning':
      return undefined;
    case 'image':
      if (part.detail === 'low' || part.detail === 'high') options.drop(`${path}.image_url.detail`, 'Gemini has no per-image detail level');
      return encodeMedia(part.url, 'image/jpeg');
    case 'audio':
      return { inlineData: { mimeType: audioMimeType(part.format), data: part.data } };
    case 'file':
      if (part.data !== undefined) return encodeMedia(part.data, 'application/pdf');
      options.drop(`${path}.file.file_id`, 'Gemini cannot read OpenAI file ids; send the file as file_data');
      return undefined;
  }
}

const DATA_URL = /^data:([^;,]+)?((?:;[^;,]*)*?);base64,/;

/**
 * A data URL becomes `inlineData`; raw base64 is taken as `fallbackMime`; any other URL (a
 * Files API or `gs://` URI — http(s) image URLs were already fetched and inlined by the
 * gateway) becomes `fileData`.
 */
function encodeMedia(value: string, fallbackMime: string): JsonObject {
  const match = DATA_URL.exec(value);
  if (match) return { inlineData: { mimeType: match[1] ?? fallbackMime, data: value.slice(match[0].length) } };
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return { fileData: { fileUri: value } };
  return { inlineData: { mimeType: fallbackMime, data: value } };
}

function audioMimeType(format: string): string {
  return format.includes('/') ? format : `audio/${format}`;
}

function encodeToolCalls(message: Message, path: string, state: State): JsonObject[] {
  if (!message.toolCalls) return [];
  // Gemini 3 signs only the first call of a parallel batch; later unsigned calls are legitimate.
  let batchSigned = false;
  return message.toolCalls.map((call, j) => {
    const ref = decodeGeminiToolCallId(call.id, call.extra);
    state.callNames.set(call.id, call.name);
    const args = parseArguments(call.arguments, `${path}.tool_calls[${j}].function.arguments`, state.options);
    const part: JsonObject = { functionCall: { id: ref.base, name: call.name, args } };
    const lost = state.options.requireThoughtSignatures && !batchSigned;
    const signature = ref.signature ?? (lost ? GEMINI_SKIP_THOUGHT_SIGNATURE : undefined);
    if (ref.signature !== undefined) batchSigned = true;
    if (signature !== undefined) part.thoughtSignature = signature;
    return part;
  });
}

/** Gemini's `args` is an object (a protobuf Struct): anything else cannot be sent. */
function parseArguments(text: string, path: string, options: EncodeGeminiContentsOptions): JsonObject {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed)) return parsed;
  } catch {
    // Reported below.
  }
  options.drop(path, 'Gemini needs function-call arguments to be a JSON object; sent as {}');
  return {};
}

function encodeToolResult(message: Message, path: string, state: State): JsonObject {
  const id = message.toolCallId ?? '';
  const name = state.callNames.get(id) ?? message.name;
  if (name === undefined) {
    const shown = id.length > 80 ? `${id.slice(0, 80)}…` : id;
    throw new GatewayError('invalid_request',
      `Invalid parameter: the tool message '${path}' answers tool call '${shown}', which no earlier assistant message made.`,
      { param: `${path}.tool_call_id` });
  }
  const response: JsonObject = { id: decodeGeminiToolCallId(id).base, name, response: encodeToolOutput(message.content, path, state.options) };
  return { functionResponse: response };
}

/**
 * `functionResponse.response` must be an object: JSON-object output is sent as it is, anything
 * else as `{"content": "<text>"}` (PROTOCOLS §3.6).
 */
function encodeToolOutput(content: Message['content'], path: string, options: EncodeGeminiContentsOptions): JsonObject {
  const text = encodeTextOnly(content, `${path}.content`, options).map((part) => part.text as string).join('');
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isRecord(parsed)) return parsed;
    } catch {
      // Not JSON after all: sent as text.
    }
  }
  return { content: text };
}
