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
  /**
   * When the stream failed or was abandoned before the upstream reported usage: the prompt
   * estimate plus the output seen so far, so an aborted stream still pays for what it used.
   */
  estimatedUsage?: Usage;
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
    if (outcome.usage === undefined) {
      outcome.estimatedUsage = { inputTokens: options.estimatePromptTokens(), outputTokens: outputEstimate, estimated: true };
    }
    options.onEnd(outcome);
  }
}

/**
 * Prompt tokens from message text: roughly by default (when the upstream reports no usage), or
 * with `count` (the tokenizer, for limit reservations).
 */
export function estimateMessagesTokens(messages: ReadonlyArray<{ content: unknown }>, count: (text: string) => number = estimateTokens): number {
  let total = 0;
  for (const message of messages) {
    total += 4;
    if (typeof message.content === 'string') total += count(message.content);
    else if (Array.isArray(message.content)) {
      for (const part of message.content as Array<{ type?: string; text?: unknown }>) {
        if (typeof part.text === 'string') total += count(part.text);
      }
    }
  }
  return total;
}

/** The prompt as plain text (`role: text` lines), for the usage log when `server.log_prompts` is on. */
export function promptTextOf(messages: ReadonlyArray<{ role?: string; content: unknown }>): string {
  return messages.map((message) => {
    const content = typeof message.content === 'string' ? message.content
      : Array.isArray(message.content)
        ? (message.content as Array<{ text?: unknown }>).map((part) => (typeof part.text === 'string' ? part.text : '')).join('')
        : '';
    return message.role === undefined ? content : `${message.role}: ${content}`;
  }).join('\n');
}
