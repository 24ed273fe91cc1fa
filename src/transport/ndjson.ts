/**
 * Newline-delimited JSON framing (Ollama's streams): bytes → one string per non-blank line.
 * A real line parser like the SSE one: it buffers partial lines across chunks, accepts `\n`,
 * `\r\n` and `\r` line endings (also a `\r\n` split between two chunks), and decodes UTF-8 with
 * a streaming decoder so a multi-byte character cut at a chunk edge survives. Lines are handed
 * out unparsed: the codec parses each once. A raw `\r` cannot occur inside a JSON text (it must
 * be escaped), so reading it as a line end is safe. https://github.com/ndjson/ndjson-spec
 */
import { GatewayError } from '../core/errors.js';

export interface NdjsonParser {
  /** Feeds bytes; returns the lines completed by them (blank lines are skipped). */
  push(chunk: Uint8Array): string[];
  /** Flushes at end of input: a last line without its line ending is still delivered. */
  end(): string[];
}

export interface NdjsonParserOptions {
  /**
   * Longest line accepted, in UTF-16 code units (default 16 Mi). A longer one throws
   * `upstream_error`, so an upstream that never sends a newline cannot grow memory forever.
   */
  maxLineLength?: number;
}

/** Creates an incremental NDJSON line parser. */
export function createNdjsonParser(options: NdjsonParserOptions = {}): NdjsonParser {
  const maxLineLength = options.maxLineLength ?? 16 * 1024 * 1024;
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  // How much of `buffer` is known to hold no line ending: a long line arriving in many small
  // pieces is then scanned once, not once per piece.
  let scanned = 0;

  // Blank (or whitespace-only) lines carry no value and are skipped: that is also what makes a
  // `\r\n` — even one split across two chunks — a single line end.
  function emit(line: string, out: string[]): void {
    if (line.length > 0 && line.trim().length > 0) out.push(line);
  }

  function drain(out: string[], final: boolean): void {
    let pos = 0;
    // The next `\r`, searched once per drain and again only after it was passed: a stream of
    // `\n`-only lines (Ollama's) is not rescanned to its end for each line.
    let cr = buffer.indexOf('\r', scanned);
    for (;;) {
      if (cr !== -1 && cr < pos) cr = buffer.indexOf('\r', pos);
      const lf = buffer.indexOf('\n', pos > scanned ? pos : scanned);
      const end = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
      if (end === -1) break;
      emit(buffer.slice(pos, end), out);
      pos = end + 1;
    }
    buffer = pos === 0 ? buffer : buffer.slice(pos);
    scanned = buffer.length;
    if (final) {
      emit(buffer, out);
      buffer = '';
      scanned = 0;
    } else if (buffer.length > maxLineLength) {
      throw new GatewayError('upstream_error', `Upstream sent a stream line longer than ${maxLineLength} characters.`);
    }
  }

  return {
    push(chunk) {
      const out: string[] = [];
      buffer += decoder.decode(chunk, { stream: true });
      drain(out, false);
      return out;
    },
    end() {
      const out: string[] = [];
      buffer += decoder.decode();
      drain(out, true);
      return out;
    },
  };
}

/** Frames a byte stream into NDJSON lines, pulling upstream bytes only as fast as they are consumed. */
export async function* decodeNdjsonStream(body: AsyncIterable<Uint8Array>, options: NdjsonParserOptions = {}): AsyncGenerator<string> {
  const parser = createNdjsonParser(options);
  for await (const chunk of body) {
    const lines = parser.push(chunk);
    for (let i = 0; i < lines.length; i++) yield lines[i] as string;
  }
  yield* parser.end();
}
