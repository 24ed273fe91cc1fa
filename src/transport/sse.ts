/**
 * Server-sent events framing: bytes → messages. A real line parser: it buffers partial lines
 * across chunks, accepts `\n`, `\r\n` and `\r` line endings (also a `\r\n` split between two
 * chunks), skips `:` comments, joins multi-line `data:` fields, and decodes UTF-8 with a
 * streaming decoder so a multi-byte character cut at a chunk edge survives.
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */

export interface SseMessage {
  /** The `event:` name, when the server gave one. */
  event?: string;
  data: string;
  id?: string;
}

export interface SseParser {
  /** Feeds bytes; returns the messages completed by them. */
  push(chunk: Uint8Array): SseMessage[];
  /** Flushes at end of input: a last message without its blank line is still delivered. */
  end(): SseMessage[];
}

/** Creates an incremental SSE parser. */
export function createSseParser(): SseParser {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  // How much of `buffer` is known to hold no line ending: a long line arriving in many small
  // pieces is then scanned once, not once per piece.
  let scanned = 0;
  let skipLeadingLf = false;
  let dataLines: string[] = [];
  let eventName: string | undefined;
  let lastId: string | undefined;

  function dispatch(out: SseMessage[]): void {
    if (dataLines.length > 0) {
      const message: SseMessage = { data: dataLines.length === 1 ? (dataLines[0] as string) : dataLines.join('\n') };
      if (eventName !== undefined) message.event = eventName;
      if (lastId !== undefined) message.id = lastId;
      out.push(message);
    }
    dataLines = [];
    eventName = undefined;
  }

  function handleLine(line: string, out: SseMessage[]): void {
    if (line.length === 0) return dispatch(out);
    if (line.charCodeAt(0) === 58 /* ':' */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* ' ' */) value = value.slice(1);
    if (field === 'data') dataLines.push(value);
    else if (field === 'event') eventName = value;
    else if (field === 'id' && !value.includes('\0')) lastId = value;
  }

  function drain(out: SseMessage[], final: boolean): void {
    let pos = 0;
    let cr = buffer.indexOf('\r', scanned);
    for (;;) {
      if (skipLeadingLf && pos < buffer.length) {
        if (buffer.charCodeAt(pos) === 10) pos++;
        skipLeadingLf = false;
      }
      if (cr !== -1 && cr < pos) cr = buffer.indexOf('\r', pos);
      const lf = buffer.indexOf('\n', pos > scanned ? pos : scanned);
      let end: number;
      if (lf === -1 && cr === -1) break;
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        end = lf;
        handleLine(buffer.slice(pos, end), out);
        pos = end + 1;
      } else {
        end = cr;
        handleLine(buffer.slice(pos, end), out);
        pos = end + 1;
        // A `\r` may be the first half of `\r\n` whose `\n` arrives in the next chunk.
        skipLeadingLf = true;
      }
    }
    buffer = pos === 0 ? buffer : buffer.slice(pos);
    scanned = buffer.length;
    if (final) {
      if (buffer.length > 0) handleLine(buffer, out);
      buffer = '';
      dispatch(out);
    }
  }

  return {
    push(chunk) {
      const out: SseMessage[] = [];
      buffer += decoder.decode(chunk, { stream: true });
      drain(out, false);
      return out;
    },
    end() {
      const out: SseMessage[] = [];
      buffer += decoder.decode();
      drain(out, true);
      return out;
    },
  };
}

/** Frames a byte stream into SSE messages, pulling upstream bytes only as fast as they are consumed. */
export async function* decodeSseStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  const parser = createSseParser();
  for await (const chunk of body) {
    const messages = parser.push(chunk);
    for (let i = 0; i < messages.length; i++) yield messages[i] as SseMessage;
  }
  yield* parser.end();
}
