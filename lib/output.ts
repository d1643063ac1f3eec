/**
 * Standard output gathered over one invocation and written with one call at its end. Each write to Lambda's
 * log pipe is a system call (pipes are synchronous on Linux: Node.js "process I/O"), and for a small delivery
 * the ingest's log line and its metrics line cost more than everything else it does; one write instead of
 * two or more halves that. Only the ingest functions gather: their invocations last milliseconds. A line
 * written to standard error first writes what was gathered, so lines keep their order.
 */
export interface Output {
  /** Gathers one line (with its newline) for standard output. */
  line(text: string): void;
  /** Writes what was gathered, as one write. */
  flush(): void;
}

export const gatheredOutput = (
  write: (text: string) => void = (text) => process.stdout.write(text),
): Output => {
  let pending = '';
  return {
    line(text) {
      pending += text;
    },
    flush() {
      if (pending === '') return;
      const text = pending;
      pending = '';
      write(text);
    },
  };
};
