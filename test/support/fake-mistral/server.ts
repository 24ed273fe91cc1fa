/**
 * A fake Mistral La Plateforme over real HTTP (node:http on 127.0.0.1, an ephemeral port):
 * `POST /v1/chat/completions` (JSON, or SSE with `stream: true`), `POST /v1/embeddings`,
 * `GET /v1/models`, Bearer auth. It validates like the real API (validate.ts) and answers in its
 * shapes (render.ts). Records every request; answers queued replies in order.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderMistralChunks, renderMistralCompletion, renderMistralEmbeddings, renderMistralError, splitPieces, type MistralAnswer } from './render.js';
import type { FakeMistral, MistralFakeReply, MistralRecordedRequest, MistralStreamControl } from './types.js';
import { validateMistralChat, validateMistralEmbeddings } from './validate.js';

export type { FakeMistral, MistralFakeReply, MistralFakeUsage, MistralRecordedRequest } from './types.js';
export { renderMistralError } from './render.js';

export const FAKE_MISTRAL_CREATED = 1769088720;
export const FAKE_MISTRAL_MODELS = ['mistral-small-latest', 'mistral-large-latest', 'magistral-medium-latest', 'mistral-embed'];

type Json = Record<string, unknown>;
type Plan =
  | { status: number; body: unknown; headers?: Record<string, string> }
  | { frames: string[]; control: MistralStreamControl };

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Starts the fake; requests must carry `Authorization: Bearer <apiKey>`. */
export async function startFakeMistral(options: { apiKey: string }): Promise<FakeMistral> {
  const requests: MistralRecordedRequest[] = [];
  const queue: MistralFakeReply[] = [];
  const abortWaiters: Array<() => void> = [];
  let seq = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const n = ++seq;
    let cutByFake = false;
    res.on('close', () => {
      if (!res.writableFinished && !cutByFake) abortWaiters.splice(0).forEach((resolve) => resolve());
    });
    const record = await readRequest(req);
    requests.push(record);
    const requestId = `${n.toString(16).padStart(8, '0')}feca71626a990e3740f99245`;
    const plan: Plan = req.headers.authorization === `Bearer ${options.apiKey}`
      ? route(record, n)
      : renderMistralError('auth', 'Unauthorized', requestId);
    if ('frames' in plan) {
      await writeFrames(res, plan, () => {
        cutByFake = true;
      });
      return;
    }
    const payload = JSON.stringify(plan.body);
    res.writeHead(plan.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...plan.headers });
    res.end(payload);
  }

  function route(record: MistralRecordedRequest, n: number): Plan {
    if (record.method === 'GET' && record.path === '/v1/models') {
      return { status: 200, body: { object: 'list', data: FAKE_MISTRAL_MODELS.map((id) => ({ id, object: 'model', created: FAKE_MISTRAL_CREATED, owned_by: 'mistralai' })) } };
    }
    const chat = record.path === '/v1/chat/completions';
    if (record.method !== 'POST' || (!chat && record.path !== '/v1/embeddings')) return { status: 404, body: { detail: 'Not Found' } };
    if (!isRecord(record.body)) return { status: 400, body: { object: 'error', message: 'Invalid JSON body', type: 'invalid_request_error', param: null, code: null } };
    const rejection = chat ? validateMistralChat(record.body) : validateMistralEmbeddings(record.body);
    if (rejection) return rejection;
    const next = queue.shift();
    if (next?.kind === 'error') return { status: next.status, body: next.body, ...(next.headers ? { headers: next.headers } : {}) };
    const model = typeof record.body.model === 'string' ? record.body.model : '';
    const promptTokens = 3 + splitPieces(JSON.stringify(chat ? record.body.messages : record.body.input)).length;
    const id = `${n.toString(16).padStart(4, '0')}bd0299614c679a0068a4f2c8ffd0`;
    if (!chat) {
      const input = typeof record.body.input === 'string' ? [record.body.input] : (record.body.input as string[]);
      const vectors = next?.kind === 'embeddings' ? next.vectors : input.map((text) => [text.length / 100, -0.5, 0.25]);
      const billed = next?.kind === 'embeddings' && next.promptTokens !== undefined ? next.promptTokens : promptTokens;
      return { status: 200, body: renderMistralEmbeddings(vectors, { id, model, base64: record.body.encoding_format === 'base64', promptTokens: billed }) };
    }
    const answer: MistralAnswer = next?.kind === 'text' || next?.kind === 'tools' ? next : { kind: 'text', text: `Hello from fake Mistral: ${lastUserText(record.body)}` };
    const ctx = { id, created: FAKE_MISTRAL_CREATED, model, promptTokens, seq: n };
    if (record.body.stream !== true) return { status: 200, body: renderMistralCompletion(answer, ctx) };
    return { frames: renderMistralChunks(answer, ctx).map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`), control: answer.stream ?? {} };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (next) => void queue.push(next),
    reset() {
      requests.length = 0;
      queue.length = 0;
    },
    waitForClientAbort: () => new Promise<void>((resolve) => abortWaiters.push(resolve)),
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes the frames (then `[DONE]`), applying the failure controls. */
async function writeFrames(res: ServerResponse, plan: Extract<Plan, { frames: string[] }>, onCut: () => void): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const { cutAfter, errorAfter, hangAfter } = plan.control;
  const stop = Math.min(plan.frames.length, cutAfter ?? Infinity, errorAfter?.after ?? Infinity, hangAfter ?? Infinity);
  for (const frame of plan.frames.slice(0, stop)) await write(res, frame);
  if (hangAfter !== undefined) return;
  if (cutAfter !== undefined) {
    onCut();
    res.destroy();
    return;
  }
  if (errorAfter !== undefined) {
    res.end(`data: ${JSON.stringify({ object: 'error', message: errorAfter.message, type: 'internal_error', param: null, code: null })}\n\n`);
    return;
  }
  res.end('data: [DONE]\n\n');
}

function write(res: ServerResponse, frame: string): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('close', done);
      resolve();
    };
    res.once('close', done);
    res.write(frame, done);
  });
}

function lastUserText(body: Json): string {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  const content = messages.filter((m) => m.role === 'user').at(-1)?.content;
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).join(' ') : '';
}

async function readRequest(req: IncomingMessage): Promise<MistralRecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = rawBody === '' ? undefined : JSON.parse(rawBody);
  } catch {
    body = undefined;
  }
  const url = req.url ?? '/';
  return { method: req.method ?? 'GET', path: new URL(url, 'http://fake').pathname, url, headers: req.headers, rawBody, body };
}
