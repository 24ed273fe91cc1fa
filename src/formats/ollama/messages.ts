/**
 * Canonical messages → Ollama `/api/chat` messages (PROTOCOLS §4.2, §4.7): `content` is one
 * string, images are raw base64 in `images`, tool-call arguments are objects, and a tool
 * result names its tool in `tool_name` (looked up from the call it answers, as Ollama's own
 * OpenAI shim does).
 */
import { GatewayError } from '../../core/errors.js';
import { isRecord, type JsonObject } from '../../core/parse.js';
import type { ContentPart, Message, ToolCall } from '../../core/types.js';
import type { BuildContext } from '../../providers/adapter.js';

/** Encodes the conversation; throws a 400 naming the path for what cannot be sent at all. */
export function encodeOllamaMessages(messages: Message[], context: BuildContext): JsonObject[] {
  // Last one wins on a repeated id, like Ollama's shim (`nameFromToolCallID`).
  const toolNames = new Map<string, string>();
  for (const message of messages) for (const call of message.toolCalls ?? []) toolNames.set(call.id, call.name);
  return messages.map((message, i) => encodeMessage(message, { path: `messages[${i}]`, context, toolNames }));
}

interface MessageScope {
  path: string;
  context: BuildContext;
  toolNames: ReadonlyMap<string, string>;
}

function encodeMessage(message: Message, scope: MessageScope): JsonObject {
  // `developer` is already `system` in the canonical model: Ollama knows no other name for it.
  const out: JsonObject = { role: message.role };
  const content = encodeContent(message.content, scope);
  out.content = content.text;
  if (content.images.length > 0) out.images = content.images;
  // Reasoning sent back in history: a reasoning part, or OpenAI-style `reasoning_content`.
  const thinking = content.thinking ?? readThinking(message.extra);
  if (thinking !== undefined) out.thinking = thinking;
  if (message.toolCalls && message.toolCalls.length > 0) {
    out.tool_calls = message.toolCalls.map((call, j) => encodeToolCall(call, j, `${scope.path}.tool_calls[${j}]`));
  }
  if (message.role === 'tool') {
    const name = (message.toolCallId === undefined ? undefined : scope.toolNames.get(message.toolCallId)) ?? message.name;
    if (name !== undefined) out.tool_name = name;
    if (message.toolCallId !== undefined) out.tool_call_id = message.toolCallId;
  } else if (message.name !== undefined) {
    scope.context.drop(`${scope.path}.name`, 'Ollama messages have no participant name');
  }
  return out;
}

function readThinking(extra: Message['extra']): string | undefined {
  const value = extra?.reasoning_content ?? extra?.reasoning;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

interface EncodedContent {
  text: string;
  images: string[];
  thinking?: string;
}

function encodeContent(content: Message['content'], scope: MessageScope): EncodedContent {
  // Ollama's `content` is a required string: no content (an assistant tool-call turn) is "".
  if (content === null) return { text: '', images: [] };
  if (typeof content === 'string') return { text: content, images: [] };
  const out: EncodedContent = { text: '', images: [] };
  content.forEach((part, j) => addPart(out, part, `${scope.path}.content[${j}]`, scope.context));
  return out;
}

function addPart(out: EncodedContent, part: ContentPart, path: string, context: BuildContext): void {
  switch (part.type) {
    case 'text':
    case 'refusal':
      // Parts are joined as written, like OpenAI reads consecutive text parts.
      out.text += part.text;
      return;
    case 'image':
      out.images.push(decodeImageData(part.url, `${path}.image_url.url`));
      return;
    case 'reasoning':
      out.thinking = (out.thinking ?? '') + part.text;
      return;
    case 'audio':
    case 'file':
      context.drop(path, `Ollama accepts only text and images, not ${part.type === 'audio' ? 'audio' : 'files'}`);
  }
}

/**
 * The raw base64 Ollama wants (no `data:` prefix). http(s) URLs were already fetched and inlined
 * by the gateway (the adapter asks for `imageUrls: 'inline'`), so anything else is refused.
 */
export function decodeImageData(url: string, param: string): string {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma === -1) {
    throw new GatewayError('invalid_request', `'${param}' must be a data: URL or an http(s) URL.`, { param });
  }
  const payload = url.slice(comma + 1);
  if (/;base64$/i.test(url.slice(0, comma))) return payload;
  try {
    return Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
  } catch {
    throw new GatewayError('invalid_request', `'${param}' is not a valid data: URL.`, { param });
  }
}

function encodeToolCall(call: ToolCall, index: number, path: string): JsonObject {
  return { id: call.id, function: { index, name: call.name, arguments: parseArguments(call.arguments, `${path}.function.arguments`) } };
}

/** OpenAI's JSON text → the object Ollama takes; "" (a call without arguments) is `{}`. */
function parseArguments(text: string, param: string): JsonObject {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GatewayError('invalid_request', `'${param}' is not valid JSON (Ollama takes tool-call arguments as a JSON object).`, { param });
  }
  if (!isRecord(value)) {
    throw new GatewayError('invalid_request', `'${param}' must be a JSON object for Ollama.`, { param });
  }
  return value;
}
