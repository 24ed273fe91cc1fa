import { describe, expect, it } from 'vitest';
import { collect, collectUntilError, fromItems } from '../../test/unit/support/streams.js';
import { GatewayError } from '../core/errors.js';
import type { StreamEvent, Usage } from '../core/types.js';
import { estimateMessagesTokens, meterStream, promptTextOf, type StreamOutcome } from './metering.js';

const start: StreamEvent = { type: 'start', id: 'c', model: 'm', created: 1 };
const finish: StreamEvent = { type: 'finish', choice: 0, reason: 'stop', rawReason: 'stop' };
const text = (t: string): StreamEvent => ({ type: 'text-delta', choice: 0, text: t });
const usage: Usage = { inputTokens: 12, outputTokens: 3, cacheReadTokens: 4 };

function createMeter(now: number[] = [0]) {
  const outcomes: StreamOutcome[] = [];
  let promptEstimates = 0;
  let clock = 0;
  return {
    outcomes,
    get promptEstimates() {
      return promptEstimates;
    },
    options: {
      estimatePromptTokens: () => {
        promptEstimates++;
        return 42;
      },
      onEnd: (outcome: StreamOutcome) => void outcomes.push(outcome),
      now: () => now[Math.min(clock++, now.length - 1)] ?? 0,
    },
  };
}

describe('meterStream', () => {
  it('passes events through unchanged and reports the upstream usage once', async () => {
    const meter = createMeter([100, 130, 170]);
    const events = [start, text('Hello'), text(' world'), finish, { type: 'usage', usage } as StreamEvent];
    expect(await collect(meterStream(fromItems(events), meter.options))).toEqual(events);
    expect(meter.outcomes).toEqual([{ usage, firstTokenMs: 30, abandoned: false }]);
    expect(meter.promptEstimates).toBe(0);
  });

  it('appends an estimated usage event when the upstream sent none', async () => {
    const meter = createMeter();
    const events = [
      start,
      text('abcdefgh'), // 2 tokens
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'c1', name: 'f', arguments: '{"a":1}' } as StreamEvent, // 2 tokens
      { type: 'reasoning-delta', choice: 0, text: '中文' } as StreamEvent, // 2 tokens
      finish,
    ];
    const out = await collect(meterStream(fromItems(events), meter.options));
    const estimated: Usage = { inputTokens: 42, outputTokens: 6, estimated: true };
    expect(out).toEqual([...events, { type: 'usage', usage: estimated }]);
    expect(meter.outcomes).toEqual([{ usage: estimated, firstTokenMs: 0, abandoned: false }]);
    expect(meter.promptEstimates).toBe(1);
  });

  it('looks inside chunk events (same-dialect relay) for usage and the first token', async () => {
    const chunk = (events: StreamEvent[], usageOnly = false): StreamEvent => ({ type: 'chunk', dialect: 'openai', data: '{}', events, usageOnly });
    const withUsage = [chunk([start]), chunk([text('abcd')]), chunk([finish]), chunk([{ type: 'usage', usage }], true)];
    const meter = createMeter([0, 25]);
    expect(await collect(meterStream(fromItems(withUsage), meter.options))).toEqual(withUsage);
    expect(meter.outcomes).toEqual([{ usage, firstTokenMs: 25, abandoned: false }]);

    const withoutUsage = withUsage.slice(0, 3);
    const estimating = createMeter();
    const out = await collect(meterStream(fromItems(withoutUsage), estimating.options));
    expect(out.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 42, outputTokens: 1, estimated: true } });
    expect(estimating.outcomes).toHaveLength(1);
  });

  it('reports a failure once, with the error, and rethrows it', async () => {
    const meter = createMeter();
    const failure = new GatewayError('upstream_error', 'cut');
    async function* failing(): AsyncGenerator<StreamEvent> {
      yield start;
      yield text('a');
      throw failure;
    }
    const { items, error } = await collectUntilError(meterStream(failing(), meter.options));
    expect(error).toBe(failure);
    expect(items).toEqual([start, text('a')]);
    expect(meter.outcomes).toHaveLength(1);
    expect(meter.outcomes[0]).toMatchObject({ error: failure, abandoned: false });
    expect(meter.outcomes[0]?.usage).toBeUndefined();
    // What was used so far is still estimated, for the bill and the key's limits.
    expect(meter.outcomes[0]?.estimatedUsage).toEqual({ inputTokens: 42, outputTokens: 1, estimated: true });
  });

  it('wraps an unexpected error as internal in the report', async () => {
    const meter = createMeter();
    async function* failing(): AsyncGenerator<StreamEvent> {
      yield start;
      throw new RangeError('oops');
    }
    await collectUntilError(meterStream(failing(), meter.options));
    expect(meter.outcomes[0]?.error?.code).toBe('internal');
  });

  it('reports an abandoned stream once when the caller stops early, and closes the source', async () => {
    const meter = createMeter();
    let sourceClosed = false;
    async function* source(): AsyncGenerator<StreamEvent> {
      try {
        yield start;
        yield text('a');
        yield text('b');
        yield finish;
      } finally {
        sourceClosed = true;
      }
    }
    for await (const event of meterStream(source(), meter.options)) {
      if (event.type === 'text-delta') break;
    }
    expect(meter.outcomes).toEqual([{ firstTokenMs: 0, abandoned: true, estimatedUsage: { inputTokens: 42, outputTokens: 1, estimated: true } }]);
    expect(sourceClosed).toBe(true);
  });

  it('reports once when closed (twice) after the first pull', async () => {
    const meter = createMeter();
    const metered = meterStream(fromItems([start]), meter.options);
    await metered.next();
    await metered.return(undefined);
    await metered.return(undefined);
    expect(meter.outcomes).toHaveLength(1);
    expect(meter.outcomes[0]?.abandoned).toBe(true);
  });
});

describe('estimateMessagesTokens', () => {
  it.each<[string, Array<{ content: unknown }>, number]>([
    ['no messages', [], 0],
    ['one short string', [{ content: 'abcd' }], 5],
    ['null content counts the overhead', [{ content: null }], 4],
    ['text parts; images ignored', [{ content: [{ type: 'text', text: 'abcdefgh' }, { type: 'image_url' }] }], 6],
    ['CJK counts a token per character', [{ content: '你好世界' }], 8],
    ['several messages', [{ content: 'abcd' }, { content: 'abcdefgh' }], 11],
  ])('%s → %i', (_name, messages, expected) => {
    expect(estimateMessagesTokens(messages)).toBe(expected);
  });

  it('counts with the given counter (the tokenizer, for reservations)', () => {
    expect(estimateMessagesTokens([{ content: 'a b c' }, { content: [{ type: 'text', text: 'd e' }] }], (text) => text.split(' ').length)).toBe(13);
  });
});

describe('promptTextOf', () => {
  it('joins roles and text parts, one message per line', () => {
    expect(promptTextOf([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ text: 'Hi ' }, { url: 'x' }, { text: 'there' }] }]))
      .toBe('system: Be brief.\nuser: Hi there');
  });
});
