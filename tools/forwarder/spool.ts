import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

/** How much the spool may hold; when an append would go over either bound, the oldest events make room. */
export interface SpoolLimits {
  readonly maxBytes: number;
  readonly maxEvents: number;
}

export const DEFAULT_SPOOL_LIMITS: SpoolLimits = { maxBytes: 32 * 1024 * 1024, maxEvents: 100_000 };

export interface AppendOutcome {
  /** Older events removed to keep the spool within its limits (the new ones too, if one alone is too big). */
  readonly dropped: number;
}

const NEWLINE = 0x0a;

/**
 * A disk spool of events Vigil could not take yet, one JSON object per line, so a forwarder that restarts
 * while Vigil is unreachable loses nothing. Appends are fsynced; a replay or a trim rewrites the file
 * atomically (temporary file, fsync, rename). A process killed mid-append leaves at most a torn last line:
 * opening the spool cuts it off, so the next append starts on a fresh line and every complete event survives.
 */
export class Spool {
  /** Bytes of a torn last line cut off when the spool was opened (0 when the file was whole). */
  readonly tornBytes: number;
  private bytes = 0;
  private count = 0;

  constructor(
    readonly path: string,
    readonly limits: SpoolLimits = DEFAULT_SPOOL_LIMITS,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    rmSync(this.temporary, { force: true }); // a rewrite that never reached its rename
    this.tornBytes = this.cutTornTail();
  }

  /** Appends events durably, first dropping the oldest ones if the limits require it. */
  append(events: readonly object[]): AppendOutcome {
    if (events.length === 0) return { dropped: 0 };
    const incoming = events.map((event) => `${JSON.stringify(event)}\n`);
    const incomingBytes = incoming.reduce((total, line) => total + Buffer.byteLength(line), 0);
    if (this.fits(this.bytes + incomingBytes, this.count + incoming.length)) {
      this.appendDurably(incoming.join(''), incomingBytes, incoming.length);
      return { dropped: 0 };
    }
    const lines = [...this.lines(), ...incoming];
    let bytes = lines.reduce((total, line) => total + Buffer.byteLength(line), 0);
    let first = 0;
    while (first < lines.length && !this.fits(bytes, lines.length - first)) {
      bytes -= Buffer.byteLength(lines[first] ?? '');
      first += 1;
    }
    this.rewrite(lines.slice(first));
    return { dropped: first };
  }

  read(): object[] {
    return this.lines().flatMap((line) => {
      try {
        return [JSON.parse(line) as object];
      } catch {
        return [];
      }
    });
  }

  /** Keeps only `remaining` (after a partial replay), or removes the file when nothing is left. */
  replace(remaining: readonly object[]): void {
    this.rewrite(remaining.map((event) => `${JSON.stringify(event)}\n`));
  }

  /** Events in the spool. */
  get size(): number {
    return this.count;
  }

  private get temporary(): string {
    return `${this.path}.tmp`;
  }

  private fits(bytes: number, count: number): boolean {
    return bytes <= this.limits.maxBytes && count <= this.limits.maxEvents;
  }

  /** Each complete line, with its newline. */
  private lines(): string[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => `${line}\n`);
  }

  private cutTornTail(): number {
    if (!existsSync(this.path)) return 0;
    const content = readFileSync(this.path);
    const whole = content.length === 0 || content[content.length - 1] === NEWLINE;
    const keep = whole ? content.length : content.lastIndexOf(NEWLINE) + 1;
    if (!whole) {
      const fd = openSync(this.path, 'r+');
      try {
        ftruncateSync(fd, keep);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    this.bytes = keep;
    this.count = this.lines().length;
    return content.length - keep;
  }

  private appendDurably(text: string, bytes: number, count: number): void {
    const created = !existsSync(this.path);
    const fd = openSync(this.path, 'a');
    const before = fstatSync(fd).size;
    try {
      const buffer = Buffer.from(text);
      for (let offset = 0; offset < buffer.length; ) offset += writeSync(fd, buffer, offset);
      fsyncSync(fd);
    } catch (error) {
      ftruncateSync(fd, before); // a failed append (a full disk) must not leave half a line behind
      throw error;
    } finally {
      closeSync(fd);
    }
    if (created) syncDirectory(this.path);
    this.bytes += bytes;
    this.count += count;
  }

  private rewrite(lines: readonly string[]): void {
    if (lines.length === 0) {
      rmSync(this.path, { force: true });
    } else {
      const fd = openSync(this.temporary, 'w');
      try {
        const buffer = Buffer.from(lines.join(''));
        for (let offset = 0; offset < buffer.length; ) offset += writeSync(fd, buffer, offset);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(this.temporary, this.path);
    }
    syncDirectory(this.path);
    this.bytes = lines.reduce((total, line) => total + Buffer.byteLength(line), 0);
    this.count = lines.length;
  }
}

/** Makes a created, renamed or removed file's directory entry durable. */
const syncDirectory = (path: string): void => {
  const fd = openSync(dirname(path), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};
