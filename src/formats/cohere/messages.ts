/**
 * Canonical messages → Cohere v2 `messages` (PROTOCOLS §7). Roles map one to one (`developer`
 * is sent as `system`); assistant tool calls keep OpenAI's shape; tool results answer by
 * `tool_call_id`. Parts Cohere cannot take are dropped through the build context.
 */
import type { JsonObject } from '../../core/parse.js';
import type { ContentPart, Message, ToolCall } from '../../core/types.js';

/** Reports a field the target cannot express (BuildContext.drop). */
export type DropField = (field: string, reason: string) => void;

/** Encodes the conversation. Pure apart from `drop`, which may throw in strict mode. */
export function encodeCohereMessages(messages: Message[], drop: DropField): JsonObject[] {
  return messages.map((message, i) => {
    const path = `messages[${i}]`;
    if (message.name !== undefined) drop(`${path}.name`, 'Cohere messages have no participant names');
    switch (message.role) {
      case 'system':
        return { role: 'system', content: joinText(message.content, path, drop) };
      case 'user':
        return { role: 'user', content: encodeUserContent(message.content, path, drop) };
      case 'assistant':
        return encodeAssistant(message, path, drop);
      case 'tool':
        return { role: 'tool', tool_call_id: message.toolCallId ?? '', content: joinText(message.content, path, drop) };
    }
  });
}

/**
 * Cohere's assistant turn that calls tools carries its visible text as `tool_plan` (the API's
 * own shape for "what I am about to do"), not as `content`.
 */
function encodeAssistant(message: Message, path: string, drop: DropField): JsonObject {
  const text = joinText(message.content, path, drop);
  if (message.toolCalls && message.toolCalls.length > 0) {
    const out: JsonObject = { role: 'assistant', tool_calls: message.toolCalls.map(encodeToolCall) };
    if (text.length > 0) out.tool_plan = text;
    return out;
  }
  return { role: 'assistant', content: text };
}

function encodeToolCall(call: ToolCall): JsonObject {
  return { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } };
}

function encodeUserContent(content: Message['content'], path: string, drop: DropField): string | JsonObject[] {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  const parts: JsonObject[] = [];
  content.forEach((part, j) => {
    if (part.type === 'text') parts.push({ type: 'text', text: part.text });
    else if (part.type === 'image') {
      // Cohere's vision models take OpenAI's image part as is (data: URIs and https URLs).
      parts.push({ type: 'image_url', image_url: part.detail ? { url: part.url, detail: part.detail } : { url: part.url } });
    } else dropPart(part, `${path}.content[${j}]`, drop);
  });
  return parts;
}

/** The text of a content field; non-text parts are dropped (reasoning is silently left out). */
function joinText(content: Message['content'], path: string, drop: DropField): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  let text = '';
  content.forEach((part, j) => {
    if (part.type === 'text' || part.type === 'refusal') text += part.text;
    else if (part.type !== 'reasoning') dropPart(part, `${path}.content[${j}]`, drop);
  });
  return text;
}

function dropPart(part: ContentPart, path: string, drop: DropField): void {
  const reasons: Partial<Record<ContentPart['type'], string>> = {
    image: 'Cohere takes images only in user messages',
    audio: 'Cohere chat has no audio input',
    file: 'Cohere chat has no file input',
  };
  drop(path, reasons[part.type] ?? `Cohere cannot take a ${part.type} part here`);
}
