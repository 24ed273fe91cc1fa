/**
 * Transcription through Hugging Face's automatic-speech-recognition task (PROTOCOLS §5.2):
 * `POST {task base}/models/{model}`. The task takes raw audio bytes, or JSON with the audio in
 * base64 — the JSON form is used here, because it also carries `parameters` and the transport
 * sends text bodies. The answer is `{"text", "chunks"?: [{"text", "timestamp": [start, end]}]}`,
 * mapped to OpenAI's transcription `text` and verbose `segments`. Pure functions for issue 6.
 */
import { GatewayError } from '../../core/errors.js';
import { isRecord, type JsonObject } from '../../core/parse.js';

export interface HFSpeechRecognitionInput {
  audio: Uint8Array;
  /** Ask for chunk timestamps (OpenAI's `verbose_json` segments). */
  timestamps?: boolean;
}

/** Builds the JSON task body. */
export function encodeHFSpeechRecognitionRequest(input: HFSpeechRecognitionInput): JsonObject {
  const body: JsonObject = { inputs: Buffer.from(input.audio).toString('base64') };
  if (input.timestamps) body.parameters = { return_timestamps: true };
  return body;
}

export interface HFTranscription {
  text: string;
  /** Present when the model returned timestamped chunks; seconds. */
  segments?: Array<{ id: number; start: number; end: number; text: string }>;
}

/** Decodes `{text, chunks?}`. Throws `upstream_error` when there is no text. */
export function decodeHFSpeechRecognitionResponse(body: unknown): HFTranscription {
  if (!isRecord(body) || typeof body.text !== 'string') {
    throw new GatewayError('upstream_error', 'Upstream returned a malformed speech-recognition response: no text.');
  }
  const out: HFTranscription = { text: body.text };
  if (Array.isArray(body.chunks)) {
    out.segments = body.chunks.flatMap((chunk, id) => {
      if (!isRecord(chunk) || typeof chunk.text !== 'string' || !Array.isArray(chunk.timestamp)) return [];
      const [start, end] = chunk.timestamp as unknown[];
      if (typeof start !== 'number') return [];
      // The last chunk's end is `null` when the audio stops mid-word: it ends where it starts.
      return [{ id, start, end: typeof end === 'number' ? end : start, text: chunk.text }];
    });
  }
  return out;
}
