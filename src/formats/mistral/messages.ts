/**
 * Canonical messages → Mistral chat messages (PROTOCOLS §6.1–6.3). Mistral validates more than
 * OpenAI: tool-call ids must be 9 alphanumerics, a `user` turn may not follow a `tool` turn, a
 * trailing assistant message needs `prefix: true`, and unknown fields are refused (422), so
 * every message is built field by field.
 */
import type { JsonObject } from '../../core/parse.js';
import type { ContentPart, Message } from '../../core/types.js';
import type { BuildContext } from '../../providers/adapter.js';
import { mapMistralToolCallId } from './tool-ids.js';

/** Encodes the conversation; fields Mistral cannot take are reported through `context.drop`. */
export function encodeMistralMessages(messages: Message[], context: BuildContext): JsonObject[] {
  const toolNames = new Map<string, string>();
  for (const message of messages) for (const call of message.toolCalls ?? []) toolNames.set(call.id, call.name);
  const out: JsonObject[] = [];
  messages.forEach((message, i) => {
    const path = `messages[${i}]`;
    if (message.name !== undefined && message.role !== 'tool') context.drop(`${path}.name`, 'Mistral messages have no name');
    if (message.role === 'user' && out.at(-1)?.role === 'tool') {
      // Mistral refuses `user` right after `tool` (400 "Unexpected role 'user' after role 'tool'",
      // code 3230; avante PR #2695, zed PR #31736): an empty assistant turn bridges the two.
      out.push({ role: 'assistant', content: '' });
    }
    out.push(encodeMessage(message, { path, context, toolNames, last: i === messages.length - 1 }));
  });
  return out;
}

interface MessageContext {
  path: string;
  context: BuildContext;
  toolNames: Map<string, string>;
  last: boolean;
}

function encodeMessage(message: Message, ctx: MessageContext): JsonObject {
  switch (message.role) {
    case 'system':
      // `developer` is OpenAI's newer name for the same thing; Mistral knows only `system`.
      return { role: 'system', content: encodeTextOnly(message.content, ctx, 'system') };
    case 'user':
      return { role: 'user', content: encodeUserContent(message.content, ctx) };
    case 'assistant':
      return encodeAssistant(message, ctx);
    case 'tool': {
      const id = message.toolCallId ?? '';
      const out: JsonObject = { role: 'tool', content: encodeTextOnly(message.content, ctx, 'tool'), tool_call_id: mapMistralToolCallId(id) };
      // Mistral takes the function's name on a tool result; it comes from the call being answered.
      const name = message.name ?? ctx.toolNames.get(id);
      if (name !== undefined) out.name = name;
      return out;
    }
  }
}

function encodeAssistant(message: Message, ctx: MessageContext): JsonObject {
  const out: JsonObject = { role: 'assistant' };
  const text = assistantText(message.content);
  const calls = message.toolCalls ?? [];
  if (text !== null || calls.length === 0) out.content = text ?? '';
  if (calls.length > 0) {
    out.tool_calls = calls.map((call) => ({
      id: mapMistralToolCallId(call.id),
      type: 'function',
      // A call without arguments is sent as an empty object: Mistral parses them as JSON.
      function: { name: call.name, arguments: call.arguments === '' ? '{}' : call.arguments },
    }));
  } else if (ctx.last) {
    // A trailing assistant message is a prefill to continue from; without `prefix` Mistral answers
    // 400 "Expected last role User or Tool (or Assistant with prefix True)". Mistral's reply then
    // starts with the prefill text (its documented behaviour), which is passed on unchanged.
    out.prefix = true;
  }
  return out;
}

/** Assistant text: text parts joined; a refusal (OpenAI-only) is sent as text; reasoning is not resent. */
function assistantText(content: Message['content']): string | null {
  if (content === null || typeof content === 'string') return content;
  let text: string | null = null;
  let refusal: string | null = null;
  for (const part of content) {
    if (part.type === 'text') text = (text ?? '') + part.text;
    else if (part.type === 'refusal') refusal = (refusal ?? '') + part.text;
  }
  return text ?? refusal;
}

/** System and tool content: a string, or text chunks; other parts cannot be expressed there. */
function encodeTextOnly(content: Message['content'], ctx: MessageContext, role: string): unknown {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  const chunks: JsonObject[] = [];
  content.forEach((part, j) => {
    if (part.type === 'text') chunks.push({ type: 'text', text: part.text });
    else ctx.context.drop(`${ctx.path}.content[${j}]`, `Mistral takes only text in ${role} messages`);
  });
  return chunks;
}

function encodeUserContent(content: Message['content'], ctx: MessageContext): unknown {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  const chunks: JsonObject[] = [];
  content.forEach((part, j) => {
    const chunk = encodeUserPart(part);
    if (chunk) chunks.push(chunk);
    else ctx.context.drop(`${ctx.path}.content[${j}]`, `Mistral chat takes text, images and PDF documents, not this ${part.type} part`);
  });
  return chunks;
}

/** Mistral's user chunks: `text`, `image_url` (URL or data URI), `document_url` (PDF URL or data URI). */
function encodeUserPart(part: ContentPart): JsonObject | undefined {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
      return { type: 'image_url', image_url: part.detail ? { url: part.url, detail: part.detail } : { url: part.url } };
    case 'file': {
      if (part.data === undefined || !part.data.startsWith('data:application/pdf')) return undefined;
      const chunk: JsonObject = { type: 'document_url', document_url: part.data };
      if (part.filename !== undefined) chunk.document_name = part.filename;
      return chunk;
    }
    default:
      // Audio input and provider file ids have no chat-completions form on Mistral.
      return undefined;
  }
}
