/**
 * What the demo model says: deterministic text, tool calls and embeddings derived from the
 * request alone, so a newcomer's first request (and a test) always gets the same answer.
 */
import { createHash } from 'node:crypto';
import { isRecord } from '../../core/parse.js';
import type { ChatRequest, Message, ToolCall, ToolDefinition } from '../../core/types.js';

export const DEMO_NOTICE = 'This reply comes from the Switchyard demo provider, not a real model.';

function textOf(message: Message | undefined): string {
  if (!message || message.content === null) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** The tool the demo model will call, or undefined when it should answer in text. */
export function pickDemoTool(request: ChatRequest): ToolDefinition | undefined {
  const tools = request.tools ?? [];
  const last = request.messages[request.messages.length - 1];
  if (tools.length === 0 || request.toolChoice === 'none' || last?.role === 'tool') return undefined;
  const choice = request.toolChoice;
  return typeof choice === 'object' ? tools.find((t) => t.name === choice.name) ?? tools[0] : tools[0];
}

/** A deterministic call of `tool`, with arguments filled from its JSON schema. */
export function buildDemoToolCall(tool: ToolDefinition, request: ChatRequest): ToolCall {
  const id = `call_demo${createHash('sha256').update(tool.name + request.messages.length).digest('hex').slice(0, 16)}`;
  return { id, name: tool.name, arguments: JSON.stringify(buildDemoArguments(tool.parameters)) };
}

function buildDemoArguments(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  const properties = isRecord(schema?.properties) ? schema.properties : {};
  const args: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(properties)) args[name] = buildDemoValue(value);
  return args;
}

function buildDemoValue(schema: unknown): unknown {
  if (!isRecord(schema)) return 'demo';
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  switch (schema.type) {
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return buildDemoArguments(schema);
    default:
      return 'demo';
  }
}

/** The demo model's text reply: it repeats what it was told, and says what it is. */
export function buildDemoText(request: ChatRequest): string {
  const last = request.messages[request.messages.length - 1];
  if (last?.role === 'tool') return `The tool returned: ${textOf(last)}. ${DEMO_NOTICE}`;
  const said = textOf([...request.messages].reverse().find((m) => m.role === 'user')).trim();
  const reply = said.length > 0 ? `You said: "${said}". ${DEMO_NOTICE}` : DEMO_NOTICE;
  return request.maxTokens !== undefined ? reply.split(' ').slice(0, request.maxTokens).join(' ') : reply;
}

/** Splits text into word-sized stream deltas (spaces kept, so they concatenate back exactly). */
export function splitIntoDeltas(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** A unit-length vector seeded by the text's hash: same text, same vector. */
export function buildDemoEmbedding(text: string, dimensions: number): number[] {
  const values: number[] = [];
  let block = createHash('sha256').update(text).digest();
  while (values.length < dimensions) {
    for (let i = 0; i + 1 < block.length && values.length < dimensions; i += 2) {
      values.push((block.readUInt16LE(i) / 65535) * 2 - 1);
    }
    block = createHash('sha256').update(block).digest();
  }
  const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0)) || 1;
  return values.map((v) => v / norm);
}
