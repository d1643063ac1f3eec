import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

/**
 * A disk spool of events Vigil could not take yet, one JSON object per line, so a forwarder that restarts
 * while Vigil is unreachable loses nothing. Writes are append-only; a replay rewrites what is left atomically.
 */
export class Spool {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  append(events: readonly object[]): void {
    if (events.length === 0) return;
    appendFileSync(this.path, `${events.map((event) => JSON.stringify(event)).join('\n')}\n`);
  }

  read(): object[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as object];
        } catch {
          return [];
        }
      });
  }

  /** Keeps only `remaining` (after a partial replay), or removes the file when nothing is left. */
  replace(remaining: readonly object[]): void {
    if (remaining.length === 0) {
      rmSync(this.path, { force: true });
      return;
    }
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, `${remaining.map((event) => JSON.stringify(event)).join('\n')}\n`);
    renameSync(temporary, this.path);
  }

  get size(): number {
    return this.read().length;
  }
}
