/**
 * The checks the real Mistral API makes before it answers (PROTOCOLS §6.1–6.3): its pydantic
 * schema refuses unknown fields with a 422 `extra_forbidden`; its message validator refuses
 * tool-call ids that are not 9 alphanumerics, a `user` turn right after a `tool` turn, and a
 * trailing assistant turn without `prefix: true` (langchain PR #24668, opencode #1680,
 * avante #2562, rig PR #1130). A gateway that gets any of this wrong fails against the fake.
 */

type Json = Record<string, unknown>;
export interface MistralRejection {
  status: number;
  body: unknown;
}

/** mistralai/client-ts `ChatCompletionRequest` (+ `reasoning_effort`, document limits). */
const CHAT_FIELDS = new Set([
  'model', 'temperature', 'top_p', 'max_tokens', 'stream', 'stop', 'random_seed', 'metadata', 'messages', 'response_format',
  'tools', 'tool_choice', 'presence_penalty', 'frequency_penalty', 'n', 'prediction', 'parallel_tool_calls', 'prompt_mode',
  'safe_prompt', 'reasoning_effort', 'document_image_limit', 'document_page_limit',
]);
const EMBED_FIELDS = new Set(['model', 'input', 'metadata', 'output_dimension', 'output_dtype', 'encoding_format']);
const MESSAGE_FIELDS: Record<string, ReadonlySet<string>> = {
  system: new Set(['role', 'content']),
  user: new Set(['role', 'content']),
  assistant: new Set(['role', 'content', 'tool_calls', 'prefix']),
  tool: new Set(['role', 'content', 'tool_call_id', 'name']),
};
const TOOL_ID = /^[A-Za-z0-9]{9}$/;
const TOOL_CHOICES = new Set(['auto', 'none', 'any', 'required']);

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function extraForbidden(loc: Array<string | number>, input: unknown): MistralRejection {
  return { status: 422, body: { detail: [{ type: 'extra_forbidden', loc: ['body', ...loc], msg: 'Extra inputs are not permitted', input }] } };
}

function invalid(message: string, type = 'invalid_request_error', code: string | null = null): MistralRejection {
  return { status: 400, body: { object: 'error', message, type, param: null, code } };
}

/** The 422/400 Mistral would answer to a chat body, or undefined when it would accept it. */
export function validateMistralChat(body: Json): MistralRejection | undefined {
  for (const key of Object.keys(body)) if (!CHAT_FIELDS.has(key)) return extraForbidden([key], body[key]);
  if (typeof body.model !== 'string') return { status: 422, body: { detail: [{ type: 'missing', loc: ['body', 'model'], msg: 'Field required' }] } };
  if (!Array.isArray(body.messages) || body.messages.length === 0) return invalid('Messages must not be empty');
  if (typeof body.tool_choice === 'string' && !TOOL_CHOICES.has(body.tool_choice)) {
    return { status: 422, body: { detail: [{ type: 'enum', loc: ['body', 'tool_choice'], msg: "Input should be 'auto', 'none', 'any' or 'required'" }] } };
  }
  return validateMessages(body.messages);
}

function validateMessages(messages: unknown[]): MistralRejection | undefined {
  let previous: string | undefined;
  for (const [i, message] of messages.entries()) {
    if (!isRecord(message) || typeof message.role !== 'string' || !(message.role in MESSAGE_FIELDS)) {
      return { status: 422, body: { detail: [{ type: 'union_tag_invalid', loc: ['body', 'messages', i], msg: 'Input tag does not match any of the expected tags' }] } };
    }
    const allowed = MESSAGE_FIELDS[message.role] as ReadonlySet<string>;
    for (const key of Object.keys(message)) if (!allowed.has(key)) return extraForbidden(['messages', i, key], message[key]);
    const ids = [
      ...(Array.isArray(message.tool_calls) ? message.tool_calls.map((c) => (isRecord(c) ? c.id : undefined)) : []),
      ...(message.role === 'tool' ? [message.tool_call_id] : []),
    ];
    const bad = ids.find((id) => typeof id !== 'string' || !TOOL_ID.test(id));
    if (ids.length > 0 && bad !== undefined) return invalid(`Tool call id was ${String(bad)} but must be a-z, A-Z, 0-9, with a length of 9.`);
    if (message.role === 'user' && previous === 'tool') {
      return invalid("Unexpected role 'user' after role 'tool'", 'invalid_request_message_order', '3230');
    }
    previous = message.role;
  }
  const last = messages.at(-1) as Json;
  if (last.role === 'assistant' && last.prefix !== true) {
    return invalid('Expected last role User or Tool (or Assistant with prefix True) for serving but got assistant', 'invalid_request_message_order');
  }
  return undefined;
}

/** The 422 Mistral would answer to an embeddings body, or undefined. */
export function validateMistralEmbeddings(body: Json): MistralRejection | undefined {
  for (const key of Object.keys(body)) if (!EMBED_FIELDS.has(key)) return extraForbidden([key], body[key]);
  const input = body.input;
  const ok = typeof input === 'string' || (Array.isArray(input) && input.every((item) => typeof item === 'string'));
  if (!ok) return { status: 422, body: { detail: [{ type: 'string_type', loc: ['body', 'input'], msg: 'Input should be a valid string' }] } };
  return undefined;
}
