import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Log } from '../../lib/log';
import { EventCursor } from './event-cursor';

/**
 * How far before the saved cursor a restarted forwarder reads again: events it had read but not yet sent or
 * spooled when it stopped (a crash, a kill) come again. Vigil gives a repeated event the same identity, so SQS
 * and its delivery ledger post it once.
 */
const REWIND_NANOS = 60n * 1_000_000_000n;

/** The last event time a previous forwarder kept, in nanoseconds; undefined when there is none to trust. */
const readCursorFile = (path: string): bigint | undefined => {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return /^\d{1,30}$/.test(text) ? BigInt(text) : undefined;
  } catch {
    return undefined;
  }
};

const writeCursorFile = (path: string, nanos: bigint): void => {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${nanos}\n`);
  renameSync(temporary, path);
};

export const DOCKER_EVENTS_ARGS = ['events', '--format', '{{json .}}', '--filter', 'type=container'] as const;

export interface DockerEventsOptions {
  /** The docker CLI to run: `docker` from PATH, or a path. */
  readonly command: string;
  readonly log: Log;
  /** Each event line, replays of lines already seen left out. */
  readonly onLine: (line: string) => void;
  /** Wait before reading again after `docker events` ended; doubles while it keeps failing at once. */
  readonly restartDelayMs?: number;
  readonly maxRestartDelayMs?: number;
  /**
   * Where the time of the last event is kept (beside the spool), so that a forwarder started again after it
   * stopped reads the events of the gap with `--since` too, not only across a dockerd restart.
   */
  readonly cursorFile?: string;
}

/**
 * Runs `docker events` for as long as it is not stopped. When it ends (dockerd restarted, the socket went
 * away) it runs again after a backoff with `--since` the last event seen, so the gap is read too.
 */
export class DockerEvents {
  /** How many times `docker events` has been started. */
  runs = 0;
  private stopped = false;
  private child: ChildProcess | undefined;
  private wake: (() => void) | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: DockerEventsOptions) {}

  /** Starts reading; the promise settles once stop() has ended the last run. */
  start(): Promise<void> {
    this.running = this.loop();
    return this.running;
  }

  /** Ends the running `docker events` and stops restarting it; lines it already printed are still read. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 1000);
      await this.running;
      clearTimeout(force);
    }
    await this.running;
  }

  private async loop(): Promise<void> {
    const initialDelay = this.options.restartDelayMs ?? 1000;
    const saved = this.options.cursorFile === undefined ? undefined : readCursorFile(this.options.cursorFile);
    this.saved = saved;
    const resumeAt = saved === undefined ? undefined : saved > REWIND_NANOS ? saved - REWIND_NANOS : 0n;
    const cursor = new EventCursor(BigInt(Date.now()) * 1_000_000n, resumeAt);
    if (resumeAt !== undefined)
      this.options.log.info('reading docker events from where the last forwarder stopped', {
        since: cursor.since(),
      });
    let delay = initialDelay;
    while (!this.stopped) {
      const args =
        this.runs === 0 && resumeAt === undefined
          ? [...DOCKER_EVENTS_ARGS]
          : [...DOCKER_EVENTS_ARGS, '--since', cursor.since()];
      this.runs += 1;
      const started = Date.now();
      const { ended, lines } = await this.runOnce(args, cursor);
      if (this.stopped) return;
      if (lines > 0 || Date.now() - started > 60_000) delay = initialDelay;
      this.options.log.warn('docker events ended: reading again', {
        ended,
        since: cursor.since(),
        inMs: delay,
      });
      await this.pause(delay);
      delay = Math.min(delay * 2, this.options.maxRestartDelayMs ?? 30_000);
    }
  }

  private runOnce(args: string[], cursor: EventCursor): Promise<{ ended: string; lines: number }> {
    return new Promise((resolve) => {
      let lines = 0;
      const child = spawn(this.options.command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      this.child = child;
      let failure: string | undefined;
      child.once('error', (error) => {
        failure = error.message;
      });
      const input = createInterface({ input: child.stdout });
      input.on('line', (line) => {
        lines += 1;
        if (cursor.observe(line)) this.options.onLine(line);
        this.keep(cursor);
      });
      let pending = 2;
      const settle = () => {
        pending -= 1;
        if (pending > 0) return;
        this.child = undefined;
        this.keep(cursor, true);
        const ended =
          failure ?? (child.signalCode ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`);
        resolve({ ended, lines });
      };
      input.once('close', settle);
      child.once('close', settle);
    });
  }

  private keptAt = 0;
  /** The cursor this forwarder started from: the file never goes back before it. */
  private saved: bigint | undefined;

  /** Writes the cursor beside the spool, at most once a second (a rename, so a crash leaves whole files). */
  private keep(cursor: EventCursor, force = false): void {
    const { cursorFile } = this.options;
    const last = cursor.lastNanos;
    // the cursor starts a minute before the saved one; until an event passes the saved one, there is nothing
    // new to keep, and writing the rewound time would step the file back a minute on every quiet restart
    if (cursorFile === undefined || last === undefined || (this.saved !== undefined && last <= this.saved))
      return;
    if (!force && Date.now() - this.keptAt < 1000) return;
    this.keptAt = Date.now();
    try {
      writeCursorFile(cursorFile, last);
    } catch (error) {
      this.options.log.warn('could not keep the docker events cursor', { error: (error as Error).message });
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
