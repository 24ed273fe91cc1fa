/** Reading a Gemini candidate's `content.parts`, shared by the response and stream decoders. */
import { isRecord, type JsonObject } from '../../core/parse.js';

/** One part, reduced to what the canonical model carries. */
export type GeminiPartReading =
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; text: string }
  | { kind: 'tool'; name: string; args: string; nativeId?: string; signature?: string };

/**
 * Text parts (`thought: true` ones are reasoning summaries) and function calls, in order. Empty
 * text (Gemini's carrier for a trailing `thoughtSignature`), code-execution parts and inline
 * media the chat format has no slot for are skipped.
 */
export function readGeminiParts(candidate: JsonObject): GeminiPartReading[] {
  const content = isRecord(candidate.content) ? candidate.content : undefined;
  const parts = Array.isArray(content?.parts) ? content.parts : [];
  const out: GeminiPartReading[] = [];
  for (const part of parts) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string') {
      if (part.text !== '') out.push({ kind: part.thought === true ? 'reasoning' : 'text', text: part.text });
    } else if (isRecord(part.functionCall)) {
      out.push(readFunctionCall(part.functionCall, part.thoughtSignature));
    }
  }
  return out;
}

function readFunctionCall(call: JsonObject, signature: unknown): GeminiPartReading {
  const reading: GeminiPartReading = {
    kind: 'tool',
    name: typeof call.name === 'string' ? call.name : '',
    args: JSON.stringify(isRecord(call.args) ? call.args : {}),
  };
  if (typeof call.id === 'string' && call.id !== '') reading.nativeId = call.id;
  if (typeof signature === 'string' && signature !== '') reading.signature = signature;
  return reading;
}
