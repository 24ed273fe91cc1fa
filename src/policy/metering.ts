/**
 * Metering tap on the event stream: it sees usage and the first token pass by, and reports
 * once when the stream ends — finished, failed or abandoned by the caller. When the upstream
 * sent no usage, an estimate is appended (flagged `estimated`) so the caller who asked for
 * usage and the bill see the same numbers.
 */
import { estimateTokens } from '../core/estimate.js';
import { toGatewayError, type GatewayError } from '../core/errors.js';
import type { StreamEvent, Usage } from '../core/types.js';

export interface StreamOutcome {
  usage?: Usage;
  error?: GatewayError;
  /** Milliseconds from the tap's creation to the first content event. */
  firstTokenMs?: number;
  /** The caller went away before the end. */
  abandoned: boolean;
}

export interface MeterOptions {
  /** Estimated prompt tokens, computed only if the upstream reports no usage. */
  estimatePromptTokens: () => number;
  onEnd: (outcome: StreamOutcome) => void;
  now?: () => number;
}

/** Wraps `events`; `onEnd` is called exactly once. */
export async function* meterStream(events: AsyncIterable<StreamEvent>, options: MeterOptions): AsyncGenerator<StreamEvent> {
  const now = options.now ?? performance.now.bind(performance);
  const started = now();
  const outcome: StreamOutcome = { abandoned: true };
  let outputEstimate = 0;
  try {
    const observe = (event: StreamEvent): void => {
      if (event.type === 'usage') outcome.usage = event.usage;
      else if (event.type === 'chunk') event.events.forEach(observe);
      else if (event.type !== 'start' && event.type !== 'finish') {
        if (outcome.firstTokenMs === undefined) outcome.firstTokenMs = now() - started;
        // Only needed when the upstream reports no usage; cheap enough to keep as we go.
        outputEstimate += estimateTokens(event.type === 'tool-call-delta' ? event.arguments : event.text);
      }
    };
    for await (const event of events) {
      observe(event);
      yield event;
    }
    if (outcome.usage === undefined) {
      outcome.usage = { inputTokens: options.estimatePromptTokens(), outputTokens: outputEstimate, estimated: true };
      yield { type: 'usage', usage: outcome.usage };
    }
    outcome.abandoned = false;
  } catch (error) {
    outcome.error = toGatewayError(error);
    outcome.abandoned = false;
    throw error;
  } finally {
    options.onEnd(outcome);
  }
}

/** A rough prompt-size estimate from message text (used only when the upstream reports no usage). */
export function estimateMessagesTokens(messages: ReadonlyArray<{ content: unknown }>): number {
  let total = 0;
  for (const message of messages) {
    total += 4;
    if (typeof message.content === 'string') total += estimateTokens(message.content);
    else if (Array.isArray(message.content)) {
      for (const part of message.content as Array<{ type?: string; text?: unknown }>) {
        if (typeof part.text === 'string') total += estimateTokens(part.text);
      }
    }
  }
  return total;
}
