/**
 * A fake Azure OpenAI resource over real HTTP (node:http on 127.0.0.1, an ephemeral port). Both
 * URL shapes (PROTOCOLS §8.1): the dated API `/openai/deployments/{deployment}/{op}?api-version=…`
 * (the version required) and the v1 API `/openai/v1/{op}` with the deployment as `model`; ops
 * `chat/completions` and `embeddings`, plus the model lists. Auth by `api-key` or an Entra
 * Bearer token. Answers carry Azure's content-filter annotations (render.ts). Records requests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderAzureChunks, renderAzureCompletion, renderAzureEmbeddings, renderAzureError, splitPieces, type AzureAnswer } from './render.js';
import type { AzureFakeReply, AzureRecordedRequest, AzureStreamControl, FakeAzure, FakeAzureOptions } from './types.js';

export type { AzureFakeReply, AzureFakeUsage, AzureRecordedRequest, FakeAzure } from './types.js';
export { renderAzureError } from './render.js';

export const FAKE_AZURE_CREATED = 1733240517;

type Json = Record<string, unknown>;
type Plan = { status: number; body: unknown; headers?: Record<string, string> } | { frames: string[]; control: AzureStreamControl };

const DEPLOYMENT_ROUTE = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;
const V1_ROUTE = /^\/openai\/v1\/(chat\/completions|embeddings)$/;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function startFakeAzure(options: FakeAzureOptions): Promise<FakeAzure> {
  const requests: AzureRecordedRequest[] = [];
  const queue: AzureFakeReply[] = [];
  let seq = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const n = ++seq;
    const record = await readRequest(req);
    requests.push(record);
    const plan: Plan = authorised(req) ? route(record, n) : renderAzureError('auth',
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.');
    if ('frames' in plan) return writeFrames(res, plan);
    const payload = JSON.stringify(plan.body);
    res.writeHead(plan.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'apim-request-id': `req-${n}`, ...plan.headers });
    res.end(payload);
  }

  function authorised(req: IncomingMessage): boolean {
    if (req.headers['api-key'] === options.apiKey) return true;
    return options.entraToken !== undefined && req.headers.authorization === `Bearer ${options.entraToken}`;
  }

  function route(record: AzureRecordedRequest, n: number): Plan {
    const query = new URL(record.url, 'http://fake').searchParams;
    if (record.method === 'GET' && (record.path === '/openai/v1/models' || (record.path === '/openai/models' && query.has('api-version')))) {
      return { status: 200, body: { data: Object.values(options.deployments).map((id) => ({ id, object: 'model', created: FAKE_AZURE_CREATED, owned_by: 'system' })), object: 'list' } };
    }
    const dated = DEPLOYMENT_ROUTE.exec(record.path);
    const v1 = V1_ROUTE.exec(record.path);
    // The dated API needs its version; without one Azure answers a bare 404.
    if (record.method !== 'POST' || (!v1 && !(dated && query.has('api-version')))) return { status: 404, body: { error: { code: '404', message: 'Resource not found' } } };
    const body = isRecord(record.body) ? record.body : {};
    const deployment = dated ? decodeURIComponent(dated[1] ?? '') : String(body.model ?? '');
    const model = options.deployments[deployment];
    if (model === undefined) {
      return { status: 404, body: { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.' } } };
    }
    const next = queue.shift();
    if (next?.kind === 'error') return { status: next.status, body: next.body, ...(next.headers ? { headers: next.headers } : {}) };
    const op = (dated ? dated[2] : v1?.[1]) ?? '';
    const promptTokens = 3 + splitPieces(JSON.stringify(op === 'embeddings' ? body.input : body.messages)).length;
    if (op === 'embeddings') {
      const input = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input.map(String) : [];
      const vectors = next?.kind === 'embeddings' ? next.vectors : input.map((text) => [text.length / 100, -0.5, 0.25]);
      const billed = next?.kind === 'embeddings' && next.promptTokens !== undefined ? next.promptTokens : promptTokens;
      return { status: 200, body: renderAzureEmbeddings(vectors, { model, base64: body.encoding_format === 'base64', promptTokens: billed }) };
    }
    const answer: AzureAnswer = next?.kind === 'text' || next?.kind === 'tools' ? next : { kind: 'text', text: `Hello from fake Azure: ${lastUserText(body)}` };
    const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
    const ctx = { id: `chatcmpl-AZ${n}f3kQ1rT5uV7wX9yB2dE4gH6jL`, created: FAKE_AZURE_CREATED, model, promptTokens, includeUsage, seq: n };
    if (body.stream !== true) return { status: 200, body: renderAzureCompletion(answer, ctx) };
    return { frames: renderAzureChunks(answer, ctx).map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`), control: answer.stream ?? {} };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    reply: (next) => void queue.push(next),
    reset() {
      requests.length = 0;
      queue.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function writeFrames(res: ServerResponse, plan: Extract<Plan, { frames: string[] }>): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const stop = Math.min(plan.frames.length, plan.control.cutAfter ?? Infinity);
  for (const frame of plan.frames.slice(0, stop)) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('close', done);
        resolve();
      };
      res.once('close', done);
      res.write(frame, done);
    });
  }
  if (plan.control.cutAfter !== undefined) res.destroy();
  else res.end('data: [DONE]\n\n');
}

function lastUserText(body: Json): string {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  const content = messages.filter((m) => m.role === 'user').at(-1)?.content;
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).join(' ') : '';
}

async function readRequest(req: IncomingMessage): Promise<AzureRecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const raw = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = raw === '' ? undefined : JSON.parse(raw);
  } catch {
    body = undefined;
  }
  const url = req.url ?? '/';
  return { method: req.method ?? 'GET', path: new URL(url, 'http://fake').pathname, url, headers: req.headers, body };
}
