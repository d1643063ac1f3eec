import type { Log } from '../log';
import { isAlertWorthy } from '../sources/docker/noise';
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
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads Docker Engine events (`docker events --format '{{json .}}' --filter type=container`, one JSON object
 * per line), keeps the alert-worthy ones, and posts them to Vigil in small batches with a bearer token.
 * A batch that cannot be delivered after a few tries with backoff goes to the disk spool and is replayed,
 * oldest first, before anything newer is sent once Vigil answers again.
 */
export class DockerForwarder {
  readonly stats: ForwarderStats = { read: 0, skipped: 0, sent: 0, spooled: 0, invalid: 0 };
  private pending: object[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: ForwarderOptions) {
    this.fetchFn = options.fetch ?? fetch;
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

  /** Sends what is pending (after whatever is already in flight). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.chain = this.chain.then(() => this.deliver(batch));
    return this.chain;
  }

  /** Flushes, retries the spool once more, and reports what happened. */
  async close(): Promise<ForwarderStats> {
    await this.flush();
    return this.stats;
  }

  private async deliver(batch: readonly object[]): Promise<void> {
    const spooled = this.options.spool.read();
    if (spooled.length > 0) {
      const left = await this.sendAll(spooled);
      this.options.spool.replace(left);
      if (left.length > 0) {
        this.spool(batch);
        return;
      }
      this.options.log.info('replayed the spool', { events: spooled.length });
    }
    if (batch.length > 0 && (await this.sendAll(batch)).length > 0) this.spool(batch);
  }

  private spool(batch: readonly object[]): void {
    if (batch.length === 0) return;
    this.options.spool.append(batch);
    this.stats.spooled += batch.length;
    this.options.log.warn('Vigil is unreachable: spooled events to disk', {
      events: batch.length,
      spool: this.options.spool.path,
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
      const outcome = await this.post(chunk);
      if (outcome === 'delivered') return true;
      if (outcome === 'rejected') return true; // Vigil refused the content itself: retrying cannot help, and it is logged
      if (attempt < attempts) {
        await sleep(wait / 2 + Math.random() * (wait / 2));
        wait = Math.min(wait * 2, this.options.maxBackoffMs ?? 60_000);
      }
    }
    return false;
  }

  private async post(chunk: readonly object[]): Promise<'delivered' | 'rejected' | 'retry'> {
    try {
      const response = await this.fetchFn(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.token}` },
        body: JSON.stringify(chunk),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text().catch(() => '');
      if (response.ok) return 'delivered';
      if (response.status === 400 || response.status === 413 || response.status === 415) {
        this.options.log.error('Vigil refused a batch: dropped', {
          status: response.status,
          detail: text.slice(0, 300),
          events: chunk.length,
        });
        return 'rejected';
      }
      // 401/403 (a wrong token) are kept too: fixing the token must not lose what happened meanwhile
      this.options.log.warn('Vigil did not take a batch, will retry', {
        status: response.status,
        detail: text.slice(0, 300),
      });
      return 'retry';
    } catch (error) {
      this.options.log.warn('could not reach Vigil, will retry', {
        error: (error as Error).cause
          ? String((error as { cause: { code?: string } }).cause.code)
          : (error as Error).message,
      });
      return 'retry';
    }
  }
}
