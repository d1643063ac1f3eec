import type { Log } from '../../lib/log';
import { isAlertWorthy } from '../../lib/sources/docker/noise';
import { type PostTarget, postBatch } from './post-batch';
import type { Spool } from './spool';

export interface ForwarderOptions {
  /** The docker route, e.g. https://…/webhooks/docker. */
  readonly url: string;
  readonly token: string;
  /** Added to every event, so a message says which machine the container runs on. */
  readonly host: string;
  readonly spool: Spool;
  readonly fetch?: typeof fetch;
  readonly log: Log;
  readonly batchSize?: number;
  readonly flushMs?: number;
  /** Attempts per batch before it goes to the spool. */
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
}

export interface ForwarderStats {
  read: number;
  skipped: number;
  sent: number;
  spooled: number;
  invalid: number;
  /** Events the full spool dropped, oldest first, to make room for newer ones. */
  spoolDropped: number;
}

export interface CloseOptions {
  /**
   * Shut down promptly (a signal): no more retries or backoff, requests still in flight get this long to
   * answer, and whatever is not delivered by then goes to the spool. Without it, close() retries as usual.
   */
  readonly graceMs?: number;
}

/** Waits, or less if `signal` aborts first. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Reads Docker Engine events (`docker events --format '{{json .}}' --filter type=container`, one JSON object
 * per line), keeps the alert-worthy ones, and posts them to Vigil in small batches with a bearer token.
 * A batch that cannot be delivered after a few tries with backoff goes to the disk spool and is replayed,
 * oldest first, before anything newer is sent once Vigil answers again.
 */
export class DockerForwarder {
  readonly stats: ForwarderStats = { read: 0, skipped: 0, sent: 0, spooled: 0, invalid: 0, spoolDropped: 0 };
  private pending: object[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** A delivery waiting for the one in flight; it takes everything pending when it starts. */
  private queued: Promise<void> | undefined;
  private readonly target: PostTarget;
  /** Aborts on a prompt close: retries and backoff stop at once. */
  private readonly hurry = new AbortController();
  /** Aborts once a prompt close's grace is over: requests still in flight give up. */
  private readonly deadline = new AbortController();

  constructor(private readonly options: ForwarderOptions) {
    this.target = { url: options.url, token: options.token, fetch: options.fetch ?? fetch, log: options.log };
  }

  /** One line of `docker events` output. */
  push(line: string): void {
    if (line.trim() === '') return;
    this.stats.read += 1;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      this.stats.invalid += 1;
      this.options.log.warn('skipped a line that is not JSON', { line: line.slice(0, 120) });
      return;
    }
    if (!isAlertWorthy(event)) {
      this.stats.skipped += 1;
      return;
    }
    this.pending.push({ ...(event as object), host: this.options.host });
    if (this.pending.length >= (this.options.batchSize ?? 20)) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.flushMs ?? 1000);
  }

  /**
   * Sends what is pending after whatever is already in flight. While a delivery is in flight, events
   * gather for the next one instead of queueing a delivery each, so a slow Vigil costs one wait, not many.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queued) return this.queued;
    const next = this.chain.then(() => {
      this.queued = undefined;
      const batch = this.pending;
      this.pending = [];
      return this.deliver(batch).catch((error: unknown) => {
        // the spool could not be written (a full disk): say so, and keep forwarding what comes next
        this.options.log.error('could not deliver or spool a batch: events lost', {
          events: batch.length,
          error: (error as Error).message,
        });
      });
    });
    this.queued = next;
    this.chain = next;
    return next;
  }

  /** Flushes, retries the spool once more, and reports what happened. */
  async close(options: CloseOptions = {}): Promise<ForwarderStats> {
    if (options.graceMs !== undefined) {
      this.hurry.abort();
      setTimeout(() => this.deadline.abort(), options.graceMs).unref();
    }
    await this.flush();
    return this.stats;
  }

  private async deliver(batch: readonly object[]): Promise<void> {
    if (this.options.spool.size > 0) {
      const spooled = this.options.spool.read();
      const left = await this.sendAll(spooled);
      if (left.length === 0 || left.length < spooled.length) this.options.spool.replace(left);
      if (left.length > 0) {
        this.spool(batch);
        return;
      }
      this.options.log.info('replayed the spool', { events: spooled.length });
    }
    if (batch.length === 0) return;
    this.spool(await this.sendAll(batch));
  }

  private spool(events: readonly object[]): void {
    if (events.length === 0) return;
    const { dropped } = this.options.spool.append(events);
    this.stats.spooled += events.length;
    this.options.log.warn('Vigil is unreachable: spooled events to disk', {
      events: events.length,
      spool: this.options.spool.path,
    });
    if (dropped === 0) return;
    this.stats.spoolDropped += dropped;
    this.options.log.error('the spool is full: dropped the oldest events to make room', {
      dropped,
      droppedSinceStart: this.stats.spoolDropped,
      spool: this.options.spool.path,
      maxBytes: this.options.spool.limits.maxBytes,
      maxEvents: this.options.spool.limits.maxEvents,
    });
  }

  /** Sends in batches; returns the events not delivered (from the first batch that failed on). */
  private async sendAll(events: readonly object[]): Promise<object[]> {
    const size = this.options.batchSize ?? 20;
    for (let start = 0; start < events.length; start += size) {
      const chunk = events.slice(start, start + size);
      if (!(await this.sendWithRetries(chunk))) return events.slice(start);
      this.stats.sent += chunk.length;
    }
    return [];
  }

  private async sendWithRetries(chunk: readonly object[]): Promise<boolean> {
    const attempts = this.options.attempts ?? 4;
    let wait = this.options.backoffMs ?? 500;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const outcome = await postBatch(this.target, chunk, this.deadline.signal);
      if (outcome === 'delivered') return true;
      if (outcome === 'rejected') return true; // Vigil refused the content itself: retrying cannot help, and it is logged
      if (this.hurry.signal.aborted) return false;
      if (attempt < attempts) {
        await sleep(wait / 2 + Math.random() * (wait / 2), this.hurry.signal);
        wait = Math.min(wait * 2, this.options.maxBackoffMs ?? 60_000);
      }
    }
    return false;
  }
}
