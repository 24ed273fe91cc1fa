/**
 * TGI's text-generation stream → canonical events (PROTOCOLS §5.2, §9.3): SSE `data:` frames,
 * one per token — `{"index","token":{"id","text","logprob","special"},"generated_text":null,
 * "details":null}` — the last carrying the full `generated_text` and `details` (the end marker).
 * Special tokens (`</s>`) are not text. An in-band `{"error": …}` frame throws.
 */
import { GatewayError } from '../../core/errors.js';
import { createId } from '../../core/ids.js';
import { isRecord, parseStreamFrame } from '../../core/parse.js';
import type { Redactor } from '../../core/redact.js';
import type { StreamEvent } from '../../core/types.js';
import { decodeSseStream } from '../../transport/sse.js';
import { decodeTGIUsage, mapTGIFinishReason, type DecodeTGIOptions } from './text-generation.js';

export interface DecodeTGIStreamOptions extends DecodeTGIOptions {
  sanitize?: Redactor;
}

/** Decodes a TGI stream; throws GatewayError on an in-band error or a body that ends before `details`. */
export async function* decodeHFTextGenerationStream(
  body: AsyncIterable<Uint8Array>,
  options: DecodeTGIStreamOptions = {},
): AsyncGenerator<StreamEvent> {
  let text = '';
  let started = false;
  for await (const message of decodeSseStream(body)) {
    const frame = parseStreamFrame(message.data);
    if (frame.error !== undefined || message.event === 'error') {
      const detail = typeof frame.error === 'string' ? frame.error : undefined;
      throw new GatewayError('upstream_error', detail === undefined ? 'Upstream reported an error mid-stream.' : (options.sanitize ?? String)(detail));
    }
    // Started on the first frame, not before: a stream that fails before it can still be retried.
    if (!started) {
      started = true;
      yield { type: 'start', id: createId('cmpl-'), model: options.model ?? '', created: options.now?.() ?? Math.floor(Date.now() / 1000) };
    }
    const token = isRecord(frame.token) ? frame.token : {};
    if (token.special !== true && typeof token.text === 'string' && token.text !== '') {
      text += token.text;
      yield { type: 'text-delta', choice: 0, text: token.text };
    }
    if (isRecord(frame.details)) {
      const raw = typeof frame.details.finish_reason === 'string' ? frame.details.finish_reason : null;
      yield { type: 'finish', choice: 0, reason: raw === null ? 'stop' : mapTGIFinishReason(raw), rawReason: raw };
      yield { type: 'usage', usage: decodeTGIUsage(frame.details, text, options.prompt) };
      return;
    }
  }
  throw new GatewayError('upstream_error', 'Upstream stream ended before the response was complete.');
}

