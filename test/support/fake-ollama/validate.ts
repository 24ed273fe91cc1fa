/**
 * Request checks as Ollama's Go server makes them (`api.ChatRequest` / `api.EmbedRequest` JSON
 * decoding, then the handlers), with its error texts, so a gateway mapping bug shows up as the
 * 400 the real server would send rather than passing silently.
 */

export interface FakeOllamaProblem {
  status: number;
  error: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function goType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

function unmarshal(value: unknown, field: string, goTarget: string): FakeOllamaProblem {
  return { status: 400, error: `json: cannot unmarshal ${goType(value)} into Go struct field ${field} of type ${goTarget}` };
}

/** Go decodes `[]byte` from standard base64: a `data:` prefix or a URL fails here, as in Ollama. */
function checkBase64(value: unknown): FakeOllamaProblem | undefined {
  if (typeof value !== 'string') return unmarshal(value, 'Message.messages.images', 'api.ImageData');
  const bad = value.search(/[^A-Za-z0-9+/=]/);
  if (bad !== -1 || value.length % 4 !== 0) return { status: 400, error: `illegal base64 data at input byte ${bad === -1 ? value.length : bad}` };
  return undefined;
}

function checkMessage(message: unknown): FakeOllamaProblem | undefined {
  if (!isObject(message)) return unmarshal(message, 'ChatRequest.messages', 'api.Message');
  if (typeof message.role !== 'string') return unmarshal(message.role, 'Message.messages.role', 'string');
  if (message.content !== undefined && typeof message.content !== 'string') return unmarshal(message.content, 'Message.messages.content', 'string');
  for (const key of ['thinking', 'tool_name', 'tool_call_id']) {
    if (message[key] !== undefined && typeof message[key] !== 'string') return unmarshal(message[key], `Message.messages.${key}`, 'string');
  }
  if (message.images !== undefined) {
    if (!Array.isArray(message.images)) return unmarshal(message.images, 'Message.messages.images', '[]api.ImageData');
    for (const image of message.images) {
      const problem = checkBase64(image);
      if (problem) return problem;
    }
  }
  if (message.tool_calls !== undefined) {
    if (!Array.isArray(message.tool_calls)) return unmarshal(message.tool_calls, 'Message.messages.tool_calls', '[]api.ToolCall');
    for (const call of message.tool_calls) {
      const fn = isObject(call) ? call.function : undefined;
      if (!isObject(fn)) return unmarshal(fn, 'ToolCall.messages.tool_calls.function', 'api.ToolCallFunction');
      if (fn.arguments !== undefined && !isObject(fn.arguments)) {
        return unmarshal(fn.arguments, 'ToolCallFunction.messages.tool_calls.function.arguments', 'api.ToolCallFunctionArguments');
      }
    }
  }
  return undefined;
}

function checkOptions(options: unknown): FakeOllamaProblem | undefined {
  if (options === undefined) return undefined;
  if (!isObject(options)) return unmarshal(options, 'ChatRequest.options', 'map[string]interface {}');
  for (const key of ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'num_predict', 'seed', 'num_ctx', 'top_k']) {
    if (options[key] !== undefined && typeof options[key] !== 'number') return { status: 400, error: `option "${key}" must be of type number` };
  }
  if (options.stop !== undefined && !(Array.isArray(options.stop) && options.stop.every((s) => typeof s === 'string'))) {
    return { status: 400, error: 'option "stop" must be of an array of strings' };
  }
  return undefined;
}

/** `POST /api/chat`: the 400 Ollama would send, or undefined. */
export function checkChatRequest(body: Json): FakeOllamaProblem | undefined {
  if (typeof body.model !== 'string' || body.model === '') return { status: 400, error: 'model is required' };
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return unmarshal(body.stream, 'ChatRequest.stream', 'bool');
  if (body.messages !== undefined && !Array.isArray(body.messages)) return unmarshal(body.messages, 'ChatRequest.messages', '[]api.Message');
  for (const message of (body.messages as unknown[] | undefined) ?? []) {
    const problem = checkMessage(message);
    if (problem) return problem;
  }
  if (body.format !== undefined && body.format !== '' && body.format !== 'json' && !isObject(body.format)) {
    return { status: 400, error: `invalid format: ${JSON.stringify(body.format)}` };
  }
  if (body.think !== undefined && typeof body.think !== 'boolean' && typeof body.think !== 'string') {
    return { status: 400, error: 'think must be a boolean or string' };
  }
  if (body.keep_alive !== undefined && typeof body.keep_alive !== 'string' && typeof body.keep_alive !== 'number') {
    return unmarshal(body.keep_alive, 'ChatRequest.keep_alive', 'api.Duration');
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return unmarshal(body.tools, 'ChatRequest.tools', 'api.Tools');
    for (const tool of body.tools) {
      if (!isObject(tool) || !isObject(tool.function) || typeof tool.function.name !== 'string') {
        return unmarshal(tool, 'ChatRequest.tools', 'api.Tool');
      }
    }
  }
  return checkOptions(body.options);
}

/** `POST /api/embed`: the 400 Ollama would send, or undefined. */
export function checkEmbedRequest(body: Json): FakeOllamaProblem | undefined {
  if (typeof body.model !== 'string' || body.model === '') return { status: 400, error: 'model is required' };
  const input = body.input;
  const ok = typeof input === 'string' || (Array.isArray(input) && input.length > 0 && input.every((s) => typeof s === 'string'));
  if (!ok) return { status: 400, error: 'invalid input type' };
  return checkOptions(body.options);
}
