import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import { seeded } from './chaos-cliq';
import { answerFault, type DynamoFault, pickFault, READ_OPERATIONS, WRITE_OPERATIONS } from './dynamo-faults';
import { closeServer, listenOnLoopback } from './loopback';

export interface DynamoChaosOptions {
  /** The DynamoDB endpoint requests are forwarded to (dynalite, DynamoDB Local, LocalStack). */
  readonly target: string;
  /** Seeds the PRNG (mulberry32), so a run can be replayed. Default 1. */
  readonly seed?: number;
  /** Share of write attempts answered ProvisionedThroughputExceededException. Default 1/5. */
  readonly throttleFraction?: number;
  /** Share of write attempts answered 500 InternalServerError. Default 0. */
  readonly internalErrorFraction?: number;
  /** Fault item reads (GetItem, Query, Scan…) at the same shares. Default false. */
  readonly faultReads?: boolean;
  /**
   * A fault the shares pick sticks to the SDK call (its `amz-sdk-invocation-id`): every retry of it gets the
   * same answer, so it reaches the caller past the SDK's own retries. Default false: each attempt rolls anew,
   * which the SDK's retries mostly absorb.
   */
  readonly sticky?: boolean;
}

type Settings = Required<Omit<DynamoChaosOptions, 'target' | 'seed'>>;

export interface InjectedFault {
  readonly operation: string;
  readonly fault: DynamoFault;
  /** The SDK's attempt of this call (from `amz-sdk-request: attempt=N; max=M`), 1 for a first try. */
  readonly attempt: number;
  readonly invocationId: string | undefined;
}

const header = (message: IncomingMessage, name: string): string | undefined => {
  const value = message.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * DynamoDB under pressure, for tests: an HTTP proxy on loopback in front of a DynamoDB endpoint that forwards
 * every request untouched (the Host header too, so a signature stays valid) and answers a share of item
 * writes, without forwarding them, with DynamoDB's throttling error or a 500. It counts what it forwarded
 * and what it injected. Faults are per attempt unless `sticky`; `failNext(n)` faults the next n.
 */
export class DynamoChaosProxy {
  url = '';
  /** Every fault answered, in order. */
  readonly injected: InjectedFault[] = [];
  /** Requests forwarded to the target, by operation. */
  readonly forwarded: Record<string, number> = {};
  private settings: Settings;
  private readonly random: () => number;
  private readonly queued: { fault: DynamoFault; sticky: boolean }[] = [];
  private readonly stuck = new Map<string, DynamoFault>();
  private readonly target: URL;
  private readonly agent = new Agent({ keepAlive: true });
  private server: Server | undefined;

  constructor(options: DynamoChaosOptions) {
    this.target = new URL(options.target);
    if (this.target.protocol !== 'http:')
      throw new Error(`the chaos proxy forwards to http:// only, not ${options.target}`);
    this.random = seeded(options.seed ?? 1);
    this.settings = {
      throttleFraction: options.throttleFraction ?? 1 / 5,
      internalErrorFraction: options.internalErrorFraction ?? 0,
      faultReads: options.faultReads ?? false,
      sticky: options.sticky ?? false,
    };
  }

  /** Changes the shares, reads or stickiness from now on (`{ throttleFraction: 0 }` calms it down). */
  configure(changes: Partial<Settings>): this {
    this.settings = { ...this.settings, ...changes };
    return this;
  }

  /**
   * Faults the next `count` faultable requests whatever the shares. Per attempt by default, so a client with
   * `maxAttempts` m needs `failNext(m)` for one call to fail; with `sticky`, the next `count` calls fail in
   * every attempt.
   */
  failNext(
    count: number,
    { fault = 'throttle', sticky = false }: { fault?: DynamoFault; sticky?: boolean } = {},
  ): this {
    for (let index = 0; index < count; index += 1) this.queued.push({ fault, sticky });
    return this;
  }

  /** Faults injected, of one kind or all. */
  count(fault?: DynamoFault): number {
    return this.injected.filter((injected) => fault === undefined || injected.fault === fault).length;
  }

  /** The fault for this attempt, if any: stuck to its call, queued by failNext, or rolled. */
  private faultFor(operation: string, invocationId: string | undefined): DynamoFault | undefined {
    const faultable =
      WRITE_OPERATIONS.includes(operation) ||
      (this.settings.faultReads && READ_OPERATIONS.includes(operation));
    if (!faultable) return undefined;
    const stuck = invocationId === undefined ? undefined : this.stuck.get(invocationId);
    if (stuck !== undefined) return stuck;
    const queued = this.queued.shift();
    const fault = queued === undefined ? pickFault(this.random(), this.settings) : queued.fault;
    const { sticky } = this.settings;
    if (fault !== undefined && invocationId !== undefined && (queued?.sticky ?? sticky))
      this.stuck.set(invocationId, fault);
    return fault;
  }

  private handle(incoming: IncomingMessage, response: ServerResponse): void {
    const operation = header(incoming, 'x-amz-target')?.split('.')[1] ?? '';
    const invocationId = header(incoming, 'amz-sdk-invocation-id');
    const [, attempt = '1', max] =
      /attempt=(\d+);\s*max=(\d+)/.exec(header(incoming, 'amz-sdk-request') ?? '') ?? [];
    const fault = this.faultFor(operation, invocationId);
    if (fault !== undefined) {
      // the call's last attempt: nothing will ask for its fault again
      if (invocationId !== undefined && max !== undefined && Number(attempt) >= Number(max))
        this.stuck.delete(invocationId);
      this.injected.push({ operation, fault, attempt: Number(attempt), invocationId });
      incoming.resume();
      answerFault(response, fault, `chaos-${this.injected.length}`);
      return;
    }
    this.forwarded[operation] = (this.forwarded[operation] ?? 0) + 1;
    const upstream = request(
      {
        hostname: this.target.hostname,
        port: this.target.port,
        method: incoming.method,
        path: `${this.target.pathname.replace(/\/$/, '')}${incoming.url ?? '/'}`,
        headers: incoming.headers,
        agent: this.agent,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    // the target is down or dropped the connection: the client sees a dropped connection too
    upstream.on('error', () => response.destroy());
    incoming.pipe(upstream);
  }

  async start(): Promise<this> {
    this.server = createServer((incoming, response) => this.handle(incoming, response));
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
    this.agent.destroy();
  }
}
