// Closed-loop load generator, run as its own process so its CPU is not the target's.
// Driven over IPC by run.mjs:
//   parent → {type:'run', origin, authorization, model, mode, concurrency, warmupMs, durationMs}
//   child  → {type:'warm'}    warm-up finished and drained; the target is idle
//   parent → {type:'measure'} CPU sampled; start the measured window
//   child  → {type:'result', ...summary} measured window finished and drained
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

const SYSTEM = 'You are a concise assistant. Answer in one or two sentences.';
const QUESTION = 'In one sentence: what does an API gateway in front of several model providers do?';

function buildBody({ model, mode }) {
  const body = {
    model,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: QUESTION },
    ],
    temperature: 0.2,
    max_tokens: 64,
  };
  if (mode === 'stream') Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  return JSON.stringify(body);
}

/** Checks a non-stream answer; returns an error kind or null. */
function checkCompletion(text) {
  const json = JSON.parse(text);
  if (json.object !== 'chat.completion') return 'not a chat.completion';
  if (typeof json.choices?.[0]?.message?.content !== 'string') return 'no message content';
  if (typeof json.usage?.total_tokens !== 'number') return 'no usage';
  return null;
}

/** Checks an SSE answer: ends with [DONE], has a usage chunk with `choices: []`. */
function checkStream(text) {
  const events = text.split(/\r?\n\r?\n/).map((e) => e.trim()).filter((e) => e.length > 0);
  if (events.at(-1) !== 'data: [DONE]') return 'stream does not end with [DONE]';
  const usageEvent = events.findLast((e) => e.includes('"usage":{'));
  if (!usageEvent) return 'stream has no usage chunk';
  const chunk = JSON.parse(usageEvent.slice('data:'.length));
  if (!Array.isArray(chunk.choices) || chunk.choices.length !== 0) return 'usage chunk has choices';
  if (events.length < 4) return 'stream too short';
  return null;
}

function createRecorder() {
  return { completed: 0, errors: 0, errorKinds: {}, latencies: [], ttfbs: [] };
}

function recordError(recorder, kind) {
  recorder.errors += 1;
  recorder.errorKinds[kind] = (recorder.errorKinds[kind] ?? 0) + 1;
}

async function sendOne(ctx, recorder) {
  const start = performance.now();
  try {
    const res = await ctx.pool.request(ctx.request);
    let ttfb;
    let text = '';
    for await (const part of res.body) {
      ttfb ??= performance.now() - start;
      text += part.toString('utf8');
    }
    const latency = performance.now() - start;
    if (res.statusCode !== 200) return recordError(recorder, `HTTP ${res.statusCode}`);
    const problem = ctx.mode === 'stream' ? checkStream(text) : checkCompletion(text);
    if (problem) return recordError(recorder, problem);
    recorder.completed += 1;
    recorder.latencies.push(latency);
    recorder.ttfbs.push(ttfb ?? latency);
  } catch (error) {
    recordError(recorder, error.code ?? error.name ?? 'exception');
  }
}

/** Runs `concurrency` request loops until `ms` elapse, then waits for the last ones (drain). */
async function runPhase(ctx, ms, recorder) {
  const deadline = performance.now() + ms;
  const loop = async () => {
    while (performance.now() < deadline) await sendOne(ctx, recorder);
  };
  await Promise.all(Array.from({ length: ctx.concurrency }, loop));
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summarize(recorder, elapsedMs) {
  const latencies = recorder.latencies.sort((a, b) => a - b);
  const ttfbs = recorder.ttfbs.sort((a, b) => a - b);
  return {
    completed: recorder.completed,
    errors: recorder.errors,
    errorKinds: recorder.errorKinds,
    elapsedMs,
    rps: recorder.completed / (elapsedMs / 1000),
    latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99) },
    ttfbMs: { p50: percentile(ttfbs, 50), p99: percentile(ttfbs, 99) },
  };
}

async function main() {
  const [config] = await once(process, 'message');
  const pool = new Pool(config.origin, { connections: config.concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  const ctx = {
    pool,
    mode: config.mode,
    concurrency: config.concurrency,
    request: {
      path: '/v1/chat/completions',
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: config.authorization },
      body: buildBody(config),
    },
  };
  await runPhase(ctx, config.warmupMs, createRecorder());
  process.send({ type: 'warm' });
  await once(process, 'message');
  const recorder = createRecorder();
  const start = performance.now();
  await runPhase(ctx, config.durationMs, recorder);
  const summary = summarize(recorder, performance.now() - start);
  process.send({ type: 'result', ...summary });
  await pool.close();
  process.disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
