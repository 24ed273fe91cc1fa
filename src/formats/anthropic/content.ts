/**
 * Canonical content parts → Anthropic content blocks (PROTOCOLS §2.2, §2.6): text, images
 * (data URL → base64 source, http(s) URL → url source), documents, and signed thinking.
 * Empty text never becomes a block: Anthropic rejects `{"type":"text","text":""}` with a 400.
 */
import { GatewayError } from '../../core/errors.js';
import { isRecord, type JsonObject } from '../../core/parse.js';
import type { ContentPart, FilePart, ImagePart, Message } from '../../core/types.js';
import type { BuildContext } from '../../providers/adapter.js';

/** How parts are encoded: `passthrough` re-attaches Anthropic-only part fields (caller spoke Anthropic). */
export interface ContentOptions {
  context: BuildContext;
  passthrough: boolean;
}

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

function unsupported(param: string, message: string): GatewayError {
  return new GatewayError('unsupported', message, { param });
}

function withExtra(block: JsonObject, part: { extra?: JsonObject }, options: ContentOptions): JsonObject {
  return options.passthrough && part.extra ? { ...part.extra, ...block } : block;
}

/** Splits a `data:<mime>;base64,<data>` URL; undefined when it is not a base64 data URL. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+)((?:;[^;,]*)*),/i.exec(url);
  if (!match || !/;base64/i.test(match[2] ?? '')) return undefined;
  return { mediaType: (match[1] ?? '').toLowerCase(), data: url.slice(match[0].length) };
}

/** A text block, or nothing for empty text. */
export function encodeTextBlock(text: string, part: { extra?: JsonObject }, options: ContentOptions): JsonObject[] {
  return text.length === 0 ? [] : [withExtra({ type: 'text', text }, part, options)];
}

function encodeImage(part: ImagePart, path: string, options: ContentOptions): JsonObject {
  if (part.detail === 'low' || part.detail === 'high') {
    options.context.drop(`${path}.image_url.detail`, 'Anthropic has no image detail setting');
  }
  if (/^https?:\/\//i.test(part.url)) return withExtra({ type: 'image', source: { type: 'url', url: part.url } }, part, options);
  const parsed = parseDataUrl(part.url);
  if (!parsed) throw unsupported(`${path}.image_url.url`, 'Anthropic takes images as https URLs or base64 data URLs.');
  if (!IMAGE_TYPES.has(parsed.mediaType)) {
    throw unsupported(`${path}.image_url.url`, `Anthropic accepts JPEG, PNG, GIF and WebP images, not '${parsed.mediaType}'.`);
  }
  return withExtra({ type: 'image', source: { type: 'base64', media_type: parsed.mediaType, data: parsed.data } }, part, options);
}

function encodeFile(part: FilePart, path: string, options: ContentOptions): JsonObject[] {
  if (part.data === undefined) {
    options.context.drop(`${path}.file.file_id`, 'file ids belong to the provider that issued them');
    return [];
  }
  const parsed = parseDataUrl(part.data);
  let source: JsonObject;
  if (parsed?.mediaType === 'application/pdf') source = { type: 'base64', media_type: 'application/pdf', data: parsed.data };
  else if (parsed?.mediaType === 'text/plain') {
    source = { type: 'text', media_type: 'text/plain', data: Buffer.from(parsed.data, 'base64').toString('utf8') };
  } else throw unsupported(`${path}.file.file_data`, 'Anthropic accepts documents as base64 data URLs of PDF or plain text.');
  const block: JsonObject = { type: 'document', source };
  if (part.filename !== undefined) block.title = part.filename;
  return [withExtra(block, part, options)];
}

/** Blocks for one user-side part. Audio is refused (400): Anthropic has no audio input. */
export function encodePartBlocks(part: ContentPart, path: string, options: ContentOptions): JsonObject[] {
  switch (part.type) {
    case 'text':
      return encodeTextBlock(part.text, part, options);
    case 'refusal':
      return encodeTextBlock(part.text, {}, options);
    case 'image':
      return [encodeImage(part, path, options)];
    case 'file':
      return encodeFile(part, path, options);
    case 'audio':
      throw unsupported(`${path}.input_audio`, 'Anthropic models do not take audio input.');
    case 'reasoning':
      return [];
  }
}

/** The blocks of a user or tool message's content (a string is one text block). */
export function encodeContentBlocks(content: Message['content'], path: string, options: ContentOptions): JsonObject[] {
  if (content === null) return [];
  if (typeof content === 'string') return encodeTextBlock(content, {}, options);
  return content.flatMap((part, j) => encodePartBlocks(part, `${path}[${j}]`, options));
}

/**
 * The assistant's signed thinking, to be sent back first in its turn (Anthropic refuses a
 * continued tool turn whose thinking is missing or altered). From canonical reasoning parts, or
 * else from LiteLLM-style `thinking_blocks` an OpenAI client sent back with the message; a
 * streamed reply's block arrives with empty `thinking`, filled from `reasoning_content`.
 */
export function encodeThinkingBlocks(message: Message): JsonObject[] {
  const parts = Array.isArray(message.content) ? message.content : [];
  const fromParts = parts.flatMap((part): JsonObject[] => {
    if (part.type !== 'reasoning') return [];
    if (part.redactedData !== undefined) return [{ type: 'redacted_thinking', data: part.redactedData }];
    return part.signature ? [{ type: 'thinking', thinking: part.text, signature: part.signature }] : [];
  });
  if (fromParts.length > 0) return fromParts;
  const listed = message.extra?.thinking_blocks;
  if (!Array.isArray(listed)) return [];
  let reasoning = typeof message.extra?.reasoning_content === 'string' ? message.extra.reasoning_content : undefined;
  return listed.flatMap((block): JsonObject[] => {
    if (!isRecord(block)) return [];
    if (block.type === 'redacted_thinking' && typeof block.data === 'string') return [{ type: 'redacted_thinking', data: block.data }];
    if (block.type !== 'thinking' || typeof block.signature !== 'string' || block.signature === '') return [];
    let thinking = typeof block.thinking === 'string' ? block.thinking : '';
    if (thinking === '' && reasoning !== undefined) {
      thinking = reasoning;
      reasoning = undefined;
    }
    return [{ type: 'thinking', thinking, signature: block.signature }];
  });
}
