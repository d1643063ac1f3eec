import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { GithubHook } from '../../lib/routing/schema';
import { hookPath } from '../../lib/sources/github/redeliver/api';
import type { Delivery } from '../../lib/sources/github/redeliver/delivery';
import { signGithub } from '../../lib/sources/github/verify';
import { DEV_SECRET } from './github';
import { closeServer, listenOnLoopback } from './loopback';

/** What a token may do: `write` lists and redelivers, `read` only lists, `none` neither (GitHub answers 403). */
export type TokenAccess = 'write' | 'read' | 'none';

export interface StandInDelivery extends Delivery {
  /** The body GitHub sent, which a redelivery sends again. */
  readonly payload: unknown;
}

interface StandInHook {
  readonly path: string;
  readonly deliveries: StandInDelivery[];
  /** Where deliveries go (Vigil's /webhooks/github); without it a redelivery is recorded as `redeliveryStatus`. */
  readonly target?: string;
  readonly secret: string;
}

export interface SendOptions {
  readonly event?: string;
  readonly action?: string;
  readonly guid?: string;
  /** What GitHub recorded for this attempt. Unset with a target: the target's answer (0 when none came). */
  readonly statusCode?: number;
  /** Also send it to the target although `statusCode` says what GitHub recorded (a timeout after Vigil took it). */
  readonly sendAnyway?: boolean;
  readonly at?: Date;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly authorized: boolean;
}

const statusText = (code: number): string =>
  code === 0 ? 'timed out' : code >= 200 && code < 300 ? 'OK' : `Invalid HTTP Response: ${code}`;

/**
 * A stand-in for GitHub's webhook deliveries API, as its REST documentation describes it ("List deliveries
 * for a repository webhook", "… for an organization webhook", "Redeliver a delivery …", "Using pagination
 * in the REST API"): deliveries newest first, `per_page` (default 30, at most 100) and an opaque `cursor`
 * handed out in the Link header's `rel="next"`; 401 without a token or with an unknown one, 403 for a token
 * without the permission, 404 for a hook it does not know; a redelivery answers 202 and is sent after, with
 * the same X-GitHub-Delivery (guid) and body, recorded as a new delivery with `redelivery: true`.
 */
export class GithubApiStandIn {
  private server: Server | undefined;
  private readonly hooks = new Map<string, StandInHook>();
  private nextId = 1000;
  private readonly pending = new Set<Promise<void>>();
  /** Every API request, in order. */
  readonly requests: RecordedRequest[] = [];
  /** The redeliveries asked for, as `path#deliveryId`. */
  readonly attempts: string[] = [];
  /** After this many API requests, answer as GitHub's primary rate limit does (403, x-ratelimit-remaining 0). */
  requestBudget = Number.POSITIVE_INFINITY;
  /** A redelivery's recorded status when the hook has no target. */
  redeliveryStatus = 200;
  url = '';

  constructor(private readonly tokens: Readonly<Record<string, TokenAccess>>) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  async stop(): Promise<void> {
    await this.idle();
    await closeServer(this.server);
  }

  /** Waits for the redeliveries GitHub is still sending (it answers 202 before it sends them). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  addHook(hook: GithubHook, options: { target?: string; secret?: string } = {}): void {
    const path = hookPath(hook);
    this.hooks.set(path, {
      path,
      deliveries: [],
      secret: options.secret ?? DEV_SECRET,
      ...(options.target === undefined ? {} : { target: options.target }),
    });
  }

  deliveries(hook: GithubHook): readonly StandInDelivery[] {
    return this.hooks.get(hookPath(hook))?.deliveries ?? [];
  }

  /** GitHub sends an event to the hook: records the attempt as `options` say (and sends it to the target). */
  async send(hook: GithubHook, payload: unknown, options: SendOptions = {}): Promise<StandInDelivery> {
    const stored = this.hooks.get(hookPath(hook));
    if (stored === undefined) throw new Error(`no hook ${hookPath(hook)}`);
    const guid = options.guid ?? crypto.randomUUID();
    const event = options.event ?? 'push';
    const reached =
      stored.target !== undefined && (options.statusCode === undefined || options.sendAnyway)
        ? await this.post(stored, guid, event, payload)
        : undefined;
    const code = options.statusCode ?? reached ?? 200;
    return this.record(stored, {
      guid,
      event,
      action: options.action ?? null,
      payload,
      status_code: code,
      redelivery: false,
      at: options.at ?? new Date(),
    });
  }

  private record(
    hook: StandInHook,
    fields: Omit<StandInDelivery, 'id' | 'delivered_at' | 'status'> & { at: Date },
  ): StandInDelivery {
    const { at, ...rest } = fields;
    const delivery: StandInDelivery = {
      ...rest,
      id: this.nextId++,
      delivered_at: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      status: statusText(fields.status_code),
    };
    hook.deliveries.push(delivery);
    return delivery;
  }

  /** Sends a delivery as GitHub's hookshot does; the answer's status, or 0 when none came within 10 s. */
  private async post(hook: StandInHook, guid: string, event: string, payload: unknown): Promise<number> {
    const body = JSON.stringify(payload);
    try {
      const response = await fetch(hook.target ?? '', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/stand-in',
          'x-github-event': event,
          'x-github-delivery': guid,
          'x-github-hook-id': hook.path.split('/').pop() ?? '',
          'x-hub-signature-256': signGithub(Buffer.from(body), hook.secret),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.body?.cancel();
      return response.status;
    } catch {
      return 0;
    }
  }

  private answer(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const authorization = request.headers.authorization ?? '';
    const token = authorization.match(/^(?:bearer|token)\s+(\S+)$/i)?.[1];
    this.requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorized: token !== undefined,
    });
    const docs = 'https://docs.github.com/rest';
    if (token === undefined)
      return this.answer(response, 401, { message: 'Requires authentication', documentation_url: docs });
    const access = this.tokens[token];
    if (access === undefined)
      return this.answer(response, 401, { message: 'Bad credentials', documentation_url: docs });
    if (this.requests.length > this.requestBudget)
      return this.answer(
        response,
        403,
        { message: 'API rate limit exceeded for user.', documentation_url: docs },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600) },
      );
    const match = url.pathname.match(
      /^\/((?:repos\/[^/]+\/[^/]+|orgs\/[^/]+)\/hooks\/\d+)\/deliveries(?:\/(\d+)\/attempts)?$/,
    );
    const hook = match?.[1] === undefined ? undefined : this.hooks.get(match[1]);
    if (match === null || hook === undefined)
      return this.answer(response, 404, { message: 'Not Found', documentation_url: docs });
    const redeliver = match[2] !== undefined;
    if (request.method !== (redeliver ? 'POST' : 'GET'))
      return this.answer(response, 404, { message: 'Not Found', documentation_url: docs });
    if (access === 'none' || (redeliver && access !== 'write'))
      return this.answer(response, 403, {
        message: 'Resource not accessible by personal access token',
        documentation_url: docs,
      });
    if (redeliver) return this.redeliver(hook, Number(match[2]), response);
    return this.list(hook, url, response);
  }

  private list(hook: StandInHook, url: URL, response: ServerResponse): void {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const newestFirst = [...hook.deliveries].sort((a, b) => b.id - a.id);
    const cursor = url.searchParams.get('cursor');
    const start = cursor === null ? 0 : newestFirst.findIndex((delivery) => `v1_${delivery.id}` === cursor);
    if (start < 0) {
      this.answer(response, 400, { message: 'Bad Request' });
      return;
    }
    const page = newestFirst.slice(start, start + perPage).map(({ payload: _payload, ...item }) => item);
    const after = newestFirst[start + perPage];
    const next = new URL(url.pathname, this.url);
    next.searchParams.set('per_page', String(perPage));
    if (after !== undefined) next.searchParams.set('cursor', `v1_${after.id}`);
    this.answer(response, 200, page, after === undefined ? {} : { link: `<${next.href}>; rel="next"` });
  }

  private redeliver(hook: StandInHook, id: number, response: ServerResponse): void {
    const original = hook.deliveries.find((delivery) => delivery.id === id);
    if (original === undefined) {
      this.answer(response, 404, { message: 'Not Found' });
      return;
    }
    this.attempts.push(`${hook.path}#${id}`);
    this.answer(response, 202, {});
    const sending = (async () => {
      const code =
        hook.target === undefined
          ? this.redeliveryStatus
          : await this.post(hook, original.guid, original.event, original.payload);
      this.record(hook, {
        guid: original.guid,
        event: original.event,
        action: original.action ?? null,
        payload: original.payload,
        status_code: code,
        redelivery: true,
        at: new Date(),
      });
    })();
    this.pending.add(sending);
    void sending.finally(() => this.pending.delete(sending));
  }
}
