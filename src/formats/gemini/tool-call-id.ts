/**
 * Tool-call ids for Gemini, which rarely sends any (`functionCall.id` is optional) and needs two
 * things back on the next turn that an OpenAI client does not keep: the function's name (for
 * `functionResponse.name`, recovered from the assistant turn that made the call) and, on Gemini
 * 3, the call's `thoughtSignature` (a 400 without it — PROTOCOLS §3.9).
 *
 * The signature round-trips inside the id the client sees: `<base>__thought__<signature>` (the
 * separator LiteLLM uses, so ids minted by either gateway decode the same way). OpenAI clients
 * send tool-call ids back verbatim, on the assistant message and on the `tool` message, so the
 * signature returns with the history without any state in the gateway. Ids get long (a
 * signature is 100 B – 6 kB of base64); that is the price of statelessness.
 */
import { isRecord, type JsonObject } from '../../core/parse.js';

const SEPARATOR = '__thought__';

/** What a client-visible id carries. */
export interface GeminiToolCallRef {
  /** The id to send Gemini back as `functionCall.id` / `functionResponse.id`. */
  base: string;
  signature?: string;
}

/** Builds the client-visible id: Gemini's own id when it gave one, else `call_<responseId>_<choice>_<ordinal>`. */
export function encodeGeminiToolCallId(options: {
  nativeId: string | undefined;
  responseKey: string;
  choice: number;
  ordinal: number;
  signature: string | undefined;
}): string {
  const base = options.nativeId !== undefined && options.nativeId !== ''
    ? options.nativeId
    : `call_${options.responseKey}_${options.choice}_${options.ordinal}`;
  return options.signature ? `${base}${SEPARATOR}${options.signature}` : base;
}

/**
 * Splits a client-sent id. A signature may also come the way Google's own OpenAI-compatible
 * endpoint hands it out, in the tool call's `extra_content.google.thought_signature`.
 */
export function decodeGeminiToolCallId(id: string, extra?: JsonObject): GeminiToolCallRef {
  const at = id.indexOf(SEPARATOR);
  if (at > 0) return { base: id.slice(0, at), signature: id.slice(at + SEPARATOR.length) };
  const google = isRecord(extra?.extra_content) && isRecord(extra.extra_content.google) ? extra.extra_content.google : undefined;
  const signature = typeof google?.thought_signature === 'string' ? google.thought_signature : undefined;
  return signature ? { base: id, signature } : { base: id };
}
