/**
 * The fake Ollama is only useful if it behaves like Ollama: streams unless `stream: false`,
 * NDJSON with `\n`, Go-escaped JSON, 404 for a model that is not pulled, and the 400s Ollama's
 * JSON decoding gives for what the gateway must never send (data: URLs in `images`, string
 * tool arguments). These checks keep it honest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from './fake-ollama.js';

let fake: FakeOllama;

beforeAll(async () => {
  fake = await startFakeOllama({ apiKey: 'fake-ollama-key-123' });
});
afterAll(async () => {
  await fake.close();
});

async function post(path: string, body: unknown, auth = true): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: 'Bearer fake-ollama-key-123' } : {}) },
    body: JSON.stringify(body),
  });
}

const hello = { model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] };

describe('fake Ollama', () => {
  it('streams NDJSON when `stream` is absent, ending with a done line that carries the counts', async () => {
    fake.script({ reply: { text: 'a <b> & c' } });
    const response = await post('/api/chat', hello);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const text = await response.text();
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('" \\u003cb\\u003e"');
    expect(text).toContain('" \\u0026"');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => (l.message as { content: string }).content).join('')).toBe('a <b> & c');
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop', eval_count: 4, prompt_eval_count: 5 });
    expect(lines.slice(0, -1).every((l) => l.done === false && !('done_reason' in l))).toBe(true);
  });

  it('answers one JSON object with `stream: false`', async () => {
    const response = await post('/api/chat', { ...hello, stream: false });
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toMatchObject({ model: 'llama3.2', message: { role: 'assistant', content: 'Hello from the fake Ollama.' }, done: true });
  });

  it.each([
    [{ ...hello, model: 'llama9' }, 404, 'model "llama9" not found, try pulling it first'],
    [{ ...hello, model: '' }, 400, 'model is required'],
    [{ model: 'llama3.2', messages: [{ role: 'user', content: 'x', images: ['data:image/png;base64,AAAA'] }] }, 400, 'illegal base64 data at input byte 4'],
    [{ model: 'llama3.2', messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] }, 400, 'json: cannot unmarshal array into Go struct field Message.messages.content of type string'],
    [{ model: 'llama3.2', messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: '{}' } }] }] }, 400, 'cannot unmarshal string'],
    [{ ...hello, options: { stop: 'x' } }, 400, 'option "stop" must be of an array of strings'],
  ])('refuses %j like Ollama: %d', async (body, status, error) => {
    const response = await post('/api/chat', body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toContain(error);
  });

  it('demands its key when it has one, and lists models and embeds', async () => {
    expect((await post('/api/chat', hello, false)).status).toBe(401);
    const tags = await fetch(`${fake.url}/api/tags`, { headers: { authorization: 'Bearer fake-ollama-key-123' } });
    expect(((await tags.json()) as { models: Array<{ name: string }> }).models.map((m) => m.name)).toEqual(['llama3.2:latest', 'qwen3:8b', 'nomic-embed-text:latest']);
    const embed = await post('/api/embed', { model: 'nomic-embed-text', input: ['a', 'b'] });
    const body = (await embed.json()) as { embeddings: number[][] };
    expect(body.embeddings).toHaveLength(2);
    expect(body.embeddings[0]).toHaveLength(8);
  });

  it('an empty conversation only loads the model', async () => {
    const response = await post('/api/chat', { model: 'llama3.2', messages: [], stream: false });
    expect(await response.json()).toMatchObject({ done: true, done_reason: 'load', message: { content: '' } });
  });
});
