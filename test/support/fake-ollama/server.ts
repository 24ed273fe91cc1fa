/**
 * A fake Ollama over real HTTP (`node:http` on 127.0.0.1, an ephemeral port) speaking the native
 * API: `POST /api/chat` (NDJSON stream by default, one JSON object with `stream: false`),
 * `POST /api/embed`, `GET /api/tags`, `GET /api/version`, `GET /`. Records every request,
 * validates bodies as Ollama's Go server does, follows queued scripts and counts client aborts.
 */
import { createAbortCounter } from '../abort-counter.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFakeNdjson } from './ndjson-writer.js';
import { buildFakeEmbedding, goJson, renderChatBody, renderChatLines } from './render.js';
import type {
  FakeOllama, FakeOllamaOptions, FakeOllamaReply, FakeOllamaScript, FakeOllamaScriptHandler, RecordedOllamaRequest,
} from './types.js';
import { checkChatRequest, checkEmbedRequest } from './validate.js';

export const FAKE_OLLAMA_MODELS = ['llama3.2:latest', 'qwen3:8b', 'nomic-embed-text:latest'];
/** Unix ms of every answer's first `created_at`. */
export const FAKE_OLLAMA_BASE_TIME = Date.UTC(2025, 6, 7, 20, 22, 19, 184);
export const FAKE_OLLAMA_DEFAULT_TEXT = 'Hello from the fake Ollama.';

/** Ollama's error texts per status, used when a script gives none. */
const DEFAULT_ERRORS: Record<number, string> = {
  400: 'invalid request',
  401: 'unauthorized',
  403: 'forbidden',
  429: 'too many requests',
  500: 'an error was encountered while running the model',
  502: 'bad gateway',
  503: 'server busy, please try again.  maximum pending requests exceeded',
};

type Json = Record<string, unknown>;
type Answer = { status: number; body: string; headers?: Record<string, string>; contentType?: string };

interface ScriptEntry {
  handler: FakeOllamaScriptHandler;
  remaining: number;
}

/** Starts a fake Ollama; call `close()` when done. */
export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const installed = options.models ?? FAKE_OLLAMA_MODELS;
  const requests: RecordedOllamaRequest[] = [];
  let scripts: ScriptEntry[] = [];
  const aborts = createAbortCounter();
  let closing = false;


  // A script without `path` applies to POSTs only, so start-up model discovery (`GET /api/tags`)
  // never eats a script queued for a chat call.
  function takeScript(request: RecordedOllamaRequest): FakeOllamaScript {
    for (const entry of scripts) {
      const script = typeof entry.handler === 'function' ? entry.handler(request) : entry.handler;
      if (script === undefined) continue;
      if (script.path !== undefined ? script.path !== request.path : request.method !== 'POST') continue;
      entry.remaining--;
      scripts = scripts.filter((e) => e.remaining > 0);
      return script;
    }
    return {};
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let clientGone = false;
    let cutByFake = false;
    res.on('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      if (!cutByFake && !closing) aborts.note();
    });
    const request = await readRequest(req);
    if (request === undefined) return;
    requests.push(request);
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(res, { status: 401, body: goJson({ error: 'unauthorized' }) });
    }
    const script = takeScript(request);
    if (script.delayMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, script.delayMs));
      if (clientGone) return;
    }
    if (script.status !== undefined) {
      const error = script.error ?? DEFAULT_ERRORS[script.status] ?? `HTTP ${script.status}`;
      return send(res, { status: script.status, body: goJson({ error }), headers: script.headers ?? {} });
    }
    const route = routeRequest(request, script, installed);
    if ('status' in route) return send(res, { ...route, headers: { ...route.headers, ...script.headers } });
    await writeFakeNdjson(res, { lines: route.lines, script: script.stream ?? {}, headers: script.headers ?? {}, onCut: () => void (cutByFake = true) });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      send(res, { status: 500, body: goJson({ error: String(error) }) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get closedRequests() {
      return aborts.count;
    },
    script(handler, scriptOptions = {}) {
      scripts.push({ handler, remaining: scriptOptions.times ?? 1 });
    },
    waitForClose(count = 1) {
      return aborts.waitFor(count);
    },
    reset() {
      requests.length = 0;
      scripts = [];
      aborts.reset();
    },
    close() {
      closing = true;
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A whole answer, or the lines of a stream. */
function routeRequest(request: RecordedOllamaRequest, script: FakeOllamaScript, installed: string[]): Answer | { lines: string[] } {
  const { method, path } = request;
  if (method === 'GET' && path === '/') return { status: 200, body: 'Ollama is running', contentType: 'text/plain; charset=utf-8' };
  if (method === 'GET' && path === '/api/version') return { status: 200, body: goJson({ version: '0.12.6' }) };
  if (method === 'GET' && path === '/api/tags') return { status: 200, body: goJson({ models: installed.map(describeModel) }) };
  if (method !== 'POST' || (path !== '/api/chat' && path !== '/api/embed')) {
    return { status: 404, body: '404 page not found', contentType: 'text/plain' };
  }
  if (!isObject(request.body)) return { status: 400, body: goJson({ error: 'invalid character in request body' }) };
  const body = request.body;
  const problem = path === '/api/chat' ? checkChatRequest(body) : checkEmbedRequest(body);
  if (problem) return { status: problem.status, body: goJson({ error: problem.error }) };
  const model = body.model as string;
  if (!isInstalled(model, installed)) {
    return { status: 404, body: goJson({ error: `model "${model}" not found, try pulling it first` }) };
  }
  return path === '/api/chat' ? answerChat(body, script) : answerEmbed(body, script);
}

function answerChat(body: Json, script: FakeOllamaScript): Answer | { lines: string[] } {
  const model = body.model as string;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const context = { model, base: FAKE_OLLAMA_BASE_TIME, promptEvalCount: countPromptTokens(messages) };
  // An empty conversation only loads the model (PROTOCOLS §4.2 `done_reason: "load"`).
  const reply: FakeOllamaReply = messages.length === 0
    ? { text: '', doneReason: 'load', promptEvalCount: null, evalCount: null }
    : script.reply ?? { text: FAKE_OLLAMA_DEFAULT_TEXT };
  // Ollama streams unless told otherwise (`stream` defaults to true).
  if (body.stream === false) return { status: 200, body: renderChatBody(reply, context) };
  return { lines: renderChatLines(reply, context) };
}

function answerEmbed(body: Json, script: FakeOllamaScript): Answer {
  const inputs = typeof body.input === 'string' ? [body.input] : (body.input as string[]);
  const embeddings = script.embeddings ?? inputs.map(buildFakeEmbedding);
  const promptEvalCount = script.embedPromptEvalCount ?? inputs.reduce((n, s) => n + s.split(/\s+/).filter(Boolean).length, 0);
  return {
    status: 200,
    body: goJson({ model: body.model, embeddings, total_duration: 14143917, load_duration: 1019500, prompt_eval_count: promptEvalCount }),
  };
}

function countPromptTokens(messages: unknown[]): number {
  let total = 0;
  for (const message of messages) {
    const content = isObject(message) && typeof message.content === 'string' ? message.content : '';
    total += 4 + content.split(/\s+/).filter(Boolean).length;
  }
  return total;
}

/** `llama3.2` is `llama3.2:latest`, as Ollama resolves names. */
function isInstalled(model: string, installed: string[]): boolean {
  const full = model.includes(':') ? model : `${model}:latest`;
  return installed.includes(full) || installed.includes(model);
}

function describeModel(name: string, i: number): Json {
  return {
    name,
    model: name,
    modified_at: `2025-07-0${(i % 9) + 1}T14:12:07.449416712+02:00`,
    size: 2019393189 + i,
    digest: `${String(i).padStart(2, '0')}${'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b'}`.slice(0, 64),
    details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
  };
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

async function readRequest(req: IncomingMessage): Promise<RecordedOllamaRequest | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  } catch {
    return undefined;
  }
  const rawBody = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = rawBody.length > 0 ? JSON.parse(rawBody) : undefined;
  } catch {
    body = undefined;
  }
  const url = req.url ?? '/';
  return { method: req.method ?? 'GET', path: new URL(url, 'http://fake').pathname, url, headers: req.headers, rawBody, body };
}

function send(res: ServerResponse, answer: Answer): void {
  const payload = answer.body;
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-type': answer.contentType ?? 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}
