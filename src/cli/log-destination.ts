/**
 * Where `serve` writes its log lines: stdout, batched per event-loop turn. One write per turn
 * instead of one per request, and no buffer rescanning per line (sonic-boom's async mode
 * measures its whole buffer on every write).
 */

export interface LogDestination {
  write(line: string): void;
  /** Writes whatever is pending now (shutdown). */
  flushSync(): void;
}

export function createBatchedStdout(output: NodeJS.WritableStream = process.stdout): LogDestination {
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    output.write(text);
  };
  return {
    write(line) {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flushSync: flush,
  };
}
