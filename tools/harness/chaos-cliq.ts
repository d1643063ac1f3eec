import { createServer, type Server } from 'node:http';
import { cliqViolations, threadViolations } from './cliq-stand-in';
import { closeServer, listenOnLoopback } from './loopback';

/** A small seeded PRNG (mulberry32), so a chaos run can be replayed. */
export const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export interface ChaosOptions {
  readonly seed: number;
  /** Cliq's rule: at most `limit` posts per token in any `windowMs`, else the token is locked for `lockMs`. */
  readonly limit: number;
  readonly windowMs: number;
  readonly lockMs: number;
  readonly p503: number;
  readonly pTimeout: number;
  readonly pReset: number;
  readonly p429: number;
  /** How long a "timeout" holds the connection before dropping it (longer than the sender waits). */
  readonly hangMs: number;
}

/**
 * Cliq at its worst: bursts of 503, requests that hang and are dropped, connection resets, 429s with
 * Retry-After, and the real rate-limit rule: a token over its budget is locked and answered
 * `400 request_limit_exceeded` until the lock lifts. Only posts answered 2xx count as delivered.
 * The v3 thread call (specs/zoho-cliq.md, Threads) spends the same budget and meets the same failures; a
 * reply naming a parent that is not a message of its channel is refused (400 message_not_found) and counted.
 */
export class ChaosCliq {
  readonly delivered = new Map<string, unknown[]>();
  /** Times a token went over the budget (a lock Vigil's pacing should never cause). */
  readonly lockTrips: { token: string; at: number }[] = [];
  readonly answered: Record<string, number> = {};
  /** Every 2xx post with its time, for rates and latencies. */
  readonly deliveries: {
    channel: string;
    token: string;
    at: number;
    body: unknown;
    messageId: string;
    /** The parent's id for a thread reply. */
    parentId?: string;
  }[] = [];
  /** Thread replies refused because their parent is not a message of their channel (a Vigil bug). */
  readonly unknownParents: { channel: string; parentId: string }[] = [];
  private readonly parents = new Map<string, Set<string>>();
  private messageNumber = 117_280_617_320;
  private readonly posts = new Map<string, number[]>();
  private readonly lockedUntil = new Map<string, number>();
  private readonly random: () => number;
  private server: Server | undefined;
  url = '';

  constructor(private readonly options: ChaosOptions) {
    this.random = seeded(options.seed);
  }

  channelUrl(channel: string, token: string): string {
    return `${this.url}/api/v2/channelsbyname/${channel}/message?zapikey=${token}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://chaos');
        const thread = /\/api\/v3\/channelsbyname\/([^/]+)\/messages$/.exec(url.pathname)?.[1];
        const channel = thread ?? /\/channelsbyname\/([^/]+)\/message$/.exec(url.pathname)?.[1] ?? '';
        const token = url.searchParams.get('zapikey') ?? '';
        const now = Date.now();
        const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
          this.answered[status] = (this.answered[status] ?? 0) + 1;
          response.writeHead(status, { 'content-type': 'application/json', ...headers });
          response.end(body === undefined ? '' : JSON.stringify(body));
        };
        // every request spends budget, as Cliq counts them
        const recent = (this.posts.get(token) ?? []).filter((at) => at > now - this.options.windowMs);
        recent.push(now);
        this.posts.set(token, recent);
        if ((this.lockedUntil.get(token) ?? 0) > now)
          return answer(400, { code: 'request_limit_exceeded', message: 'locked' });
        if (recent.length > this.options.limit) {
          this.lockTrips.push({ token, at: now });
          this.lockedUntil.set(token, now + this.options.lockMs);
          return answer(400, { code: 'request_limit_exceeded', message: 'too many requests: locked' });
        }
        const roll = this.random();
        const { p503, pTimeout, pReset, p429 } = this.options;
        if (roll < p503) return answer(503, { code: 'internal_error', message: 'try later' });
        if (roll < p503 + pTimeout) {
          this.answered.timeout = (this.answered.timeout ?? 0) + 1;
          setTimeout(() => request.socket.destroy(), this.options.hangMs);
          return undefined;
        }
        if (roll < p503 + pTimeout + pReset) {
          this.answered.reset = (this.answered.reset ?? 0) + 1;
          request.socket.destroy();
          return undefined;
        }
        if (roll < p503 + pTimeout + pReset + p429)
          return answer(429, { code: 'too_many_requests', message: 'slow down' }, { 'retry-after': '1' });
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return answer(400, { code: 'input_invalid', message: 'not JSON' });
        }
        const problems = thread === undefined ? cliqViolations(body) : threadViolations(body);
        if (problems.length > 0) return answer(400, { code: 'input_invalid', message: problems.join('; ') });
        const fields = body as { sync_message?: boolean; thread_message_id?: string };
        const parentId = thread === undefined ? undefined : fields.thread_message_id;
        const known = this.parents.get(channel) ?? new Set<string>();
        if (parentId !== undefined && !known.has(parentId)) {
          this.unknownParents.push({ channel, parentId });
          return answer(400, {
            code: 'message_not_found',
            message: 'thread_message_id is not in this channel',
          });
        }
        const messageId = `${Date.now()}_${this.messageNumber++}`;
        if (parentId === undefined) this.parents.set(channel, known.add(messageId));
        this.delivered.set(channel, [...(this.delivered.get(channel) ?? []), body]);
        this.deliveries.push({
          channel,
          token,
          at: Date.now(),
          body,
          messageId,
          ...(parentId === undefined ? {} : { parentId }),
        });
        return fields.sync_message === true ? answer(200, { message_id: messageId }) : answer(204);
      });
    });
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}
