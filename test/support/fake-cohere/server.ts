/**
 * A fake Cohere v2 upstream over real HTTP (node:http on 127.0.0.1, ephemeral port): `POST
 * /v2/chat` (JSON, or typed SSE events with `stream: true`), `POST /v2/embed`, `GET /v1/models`,
 * Bearer auth. Like the real API it refuses fields it does not know, so a gateway that forwards
 * an OpenAI-only field fails here. Records every request; answers queued replies in order.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderCohereChatBody, renderCohereChatEvents, renderSseFrame, splitPieces } from './render.js';
import type { CohereFakeChat, CohereFakeReply, CohereRecordedRequest, FakeCohere } from './types.js';

/** https://docs.cohere.com/v2/reference/chat — the request fields the API accepts. */
const CHAT_FIELDS = new Set([
  'model', 'messages', 'stream', 'tools', 'strict_tools', 'documents', 'citation_options', 'response_format', 'safety_mode',
  'max_tokens', 'stop_sequences', 'temperature', 'seed', 'frequency_penalty', 'presence_penalty', 'k', 'p', 'logprobs',
  'tool_choice', 'thinking', 'priority',
]);
/** https://docs.cohere.com/v2/reference/embed */
const EMBED_FIELDS = new Set(['model', 'texts', 'images', 'inputs', 'input_type', 'embedding_types', 'output_dimension', 'max_tokens', 'truncate', 'priority']);
const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

export const FAKE_COHERE_MODELS = ['command-a-03-2025', 'command-a-vision-07-2025', 'command-a-reasoning-08-2025', 'embed-v4.0'];

type Json = Record<string, unknown>;
type Plan =
  | { status: number; body: unknown; headers?: Record<string, string> }
  | { sse: string[]; cutAfter?: number; hangAfter?: number; endAfter?: number };

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Starts the fake; `apiKey` is demanded as `Authorization: Bearer <apiKey>`. */
export async function startFakeCohere(options: { apiKey: string }): Promise<FakeCohere> {
  const requests: CohereRecordedRequest[] = [];
  const queue: CohereFakeReply[] = [];
  const abortWaiters: Array<() => void> = [];
  let seq = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const n = ++seq;
    let cutByFake = false;
    res.on('close', () => {
      if (!res.writableFinished && !cutByFake) abortWaiters.splice(0).forEach((resolve) => resolve());
    });
    const rawBody = await readBody(req);
    const url = req.url ?? '/';
    let body: unknown;
    try {
      body = rawBody === '' ? undefined : JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    const record: CohereRecordedRequest = { method: req.method ?? 'GET', path: new URL(url, 'http://fake').pathname, url, headers: req.headers, rawBody, body };
    requests.push(record);
    const id = `3f2e1d0c-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const onCut = (): void => {
      cutByFake = true;
    };
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) return send(res, error(401, 'invalid api token', id), onCut);
    send(res, route(record, id), onCut);
  }

  function route(record: CohereRecordedRequest, id: string): Plan {
    if (record.method === 'GET' && record.path === '/v1/models') {
      return { status: 200, body: { models: FAKE_COHERE_MODELS.map((name) => ({ name, endpoints: name.startsWith('embed') ? ['embed'] : ['chat'] })) } };
    }
    if (record.method !== 'POST' || (record.path !== '/v2/chat' && record.path !== '/v2/embed')) return error(404, `no route for ${record.method} ${record.path}`, id);
    if (!isRecord(record.body)) return error(400, 'invalid request: body must be a JSON object', id);
    const problem = record.path === '/v2/chat' ? validateChat(record.body) : validateEmbed(record.body);
    if (problem) return error(400, `invalid request: ${problem}`, id);
    const next = queue.shift();
    if (next?.kind === 'error') return { status: next.status, body: { id, message: next.message }, headers: next.headers ?? {} };
    if (record.path === '/v2/embed') return embed(record.body, next?.kind === 'embeddings' ? next : undefined, id);
    const answer = next?.kind === 'chat' ? next : defaultAnswer(record.body);
    const ctx = { id, usage: { input: countInput(record.body), output: splitPieces(answer.text ?? '').length + (answer.toolCalls?.length ?? 0) } };
    if (record.body.stream !== true) return { status: 200, body: renderCohereChatBody(answer, ctx) };
    const frames = renderCohereChatEvents(answer, ctx).map(renderSseFrame);
    const { cutAfter, hangAfter, endAfter } = answer;
    return { sse: frames, ...(cutAfter === undefined ? {} : { cutAfter }), ...(hangAfter === undefined ? {} : { hangAfter }), ...(endAfter === undefined ? {} : { endAfter }) };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (next) => void queue.push(next),
    waitForClientAbort: () => new Promise<void>((resolve) => abortWaiters.push(resolve)),
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function error(status: number, message: string, id: string): Plan {
  return { status, body: { id, message } };
}

function validateChat(body: Json): string | undefined {
  const unknown = Object.keys(body).find((key) => !CHAT_FIELDS.has(key));
  if (unknown !== undefined) return `unknown field: parameter ${unknown} is not a valid field`;
  if (typeof body.model !== 'string') return 'model is required';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages must be a non-empty list';
  for (const message of body.messages) {
    if (!isRecord(message) || typeof message.role !== 'string' || !ROLES.has(message.role)) return 'invalid message role';
    if (message.role === 'tool' && typeof message.tool_call_id !== 'string') return 'tool messages need tool_call_id';
  }
  if (body.tool_choice !== undefined && body.tool_choice !== 'REQUIRED' && body.tool_choice !== 'NONE') return 'tool_choice must be REQUIRED or NONE';
  if (body.tool_choice !== undefined && !Array.isArray(body.tools)) return 'tool_choice requires tools';
  return undefined;
}

function validateEmbed(body: Json): string | undefined {
  const unknown = Object.keys(body).find((key) => !EMBED_FIELDS.has(key));
  if (unknown !== undefined) return `unknown field: parameter ${unknown} is not a valid field`;
  if (typeof body.input_type !== 'string') return 'input_type is required for embed-v3 and newer models';
  if (!Array.isArray(body.texts)) return 'texts must be a list';
  return undefined;
}

function lastUserText(body: Json): string {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  const last = messages.filter((m) => m.role === 'user').at(-1);
  if (typeof last?.content === 'string') return last.content;
  return Array.isArray(last?.content) ? last.content.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).join(' ') : '';
}

function defaultAnswer(body: Json): CohereFakeChat {
  return { kind: 'chat', text: `Hello from fake Cohere: ${lastUserText(body)}` };
}

function countInput(body: Json): number {
  return 3 + JSON.stringify(body.messages ?? []).split(/\s+/).length;
}

/** Deterministic vectors (or the queued ones) in the `embeddings_by_type` shape. */
function embed(body: Json, answer: { vectors: number[][]; billedInputTokens?: number } | undefined, id: string): Plan {
  const texts = Array.isArray(body.texts) ? body.texts.map(String) : [];
  const vectors = answer?.vectors ?? texts.map((text) => [text.length / 10, 0.5, -0.25, 0.125]);
  const billed = answer?.billedInputTokens ?? texts.reduce((sum, text) => sum + splitPieces(text).length, 0);
  return {
    status: 200,
    body: { id, texts, embeddings: { float: vectors }, meta: { api_version: { version: '2' }, billed_units: { input_tokens: billed } }, response_type: 'embeddings_by_type' },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, plan: Plan, onCut: () => void): void {
  if ('sse' in plan) {
    void writeSse(res, plan, onCut);
    return;
  }
  const payload = JSON.stringify(plan.body);
  res.writeHead(plan.status, { ...plan.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** One write per event, each awaited, so events tend to arrive as separate reads. */
async function writeSse(res: ServerResponse, plan: Extract<Plan, { sse: string[] }>, onCut: () => void): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const { cutAfter, hangAfter } = plan;
  for (const frame of plan.sse.slice(0, Math.min(cutAfter ?? Infinity, hangAfter ?? Infinity, plan.endAfter ?? Infinity))) {
    if (res.destroyed) return;
    // A write callback may never run once the client has gone; `close` settles it instead.
    await new Promise<void>((resolve) => {
      res.once('close', resolve);
      res.write(frame, () => {
        res.off('close', resolve);
        resolve();
      });
    });
  }
  if (cutAfter !== undefined) {
    onCut();
    res.destroy();
  } else if (hangAfter === undefined) res.end();
}
