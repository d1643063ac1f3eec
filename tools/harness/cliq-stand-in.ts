import { createServer, type Server } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback';

/**
 * A local HTTP server standing in for Zoho Cliq's message API. It checks every body against the spec
 * (shared/specs/zoho-cliq.md) on its own, independently of Vigil's formatter, answers 400 input_invalid
 * like Cliq when a message breaks it, and can be scripted to fail.
 *
 * It speaks both calls of the spec's Threads section: the channel post
 * (`/api/v2/channelsbyname/<CHANNEL>/message`, answering 200 `{"message_id"}` to `sync_message: true`) and
 * the thread reply (`/api/v3/channelsbyname/<CHANNEL>/messages`, which needs `thread_message_id` naming a
 * message posted in that channel). Per channel it can forbid threads or keep message ids to itself.
 */

export interface Scripted {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Wait before answering (to exercise timeouts). */
  readonly delayMs?: number;
}

export interface Attempt {
  readonly channel: string;
  /** Which call: a channel post (v2 `/message`) or a thread reply (v3 `/messages`). */
  readonly call: 'channel' | 'thread';
  /** The same, as a flag: the v3 thread call. */
  readonly thread: boolean;
  /** The id Cliq answered with (a `sync_message` post that was given one). */
  readonly messageId?: string;
  readonly token: string;
  readonly botUniqueName: string | null;
  readonly status: number;
  readonly body: unknown;
  readonly at: number;
}

/** One accepted message, as the channel shows it. */
export interface Post {
  readonly channel: string;
  /** Cliq gives every message an id; Vigil sees it only when it asked (`sync_message`) and ids are not omitted. */
  readonly messageId: string;
  /** Whether the answer carried the id (200 `{"message_id"}`) rather than 204. */
  readonly idAnswered: boolean;
  /** The parent's id for a thread reply; undefined for a channel post. */
  readonly parentId: string | undefined;
  /** A thread reply also shown in the channel. */
  readonly postInParent: boolean;
  readonly body: unknown;
}

export interface ChannelBehaviour {
  /** The channel's reply mode is "Replies" only: the thread call fails with a non-throttling 4xx. */
  readonly forbidThreads?: boolean;
  /** Answer 204 without a message id even to `sync_message: true`. */
  readonly omitMessageIds?: boolean;
}

/**
 * How a channel whose reply mode forbids threads answers the thread call. Cliq documents only "fails with a
 * 4xx" (specs/zoho-cliq.md, Threads); this code and message are an assumption in Cliq's error style.
 */
export const THREADS_FORBIDDEN = {
  status: 400,
  body: { code: 'operation_not_allowed', message: 'Threads are not enabled in this channel' },
} as const;

const CHANNEL_POST = /\/api\/v2\/channelsbyname\/([^/]+)\/message$/;
const THREAD_POST = /\/api\/v3\/channelsbyname\/([^/]+)\/messages$/;

/** Violations of the thread call's body, beyond the message rules (specs/zoho-cliq.md, Threads). */
export const threadViolations = (message: unknown): string[] => {
  const problems = cliqViolations(message);
  const m = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>;
  if (m.thread_message_id === undefined) problems.push('thread_message_id is required');
  if (m.thread_title !== undefined && typeof m.thread_title !== 'string')
    problems.push('thread_title must be a string');
  return problems;
};

const SLIDE_TYPES = ['table', 'label', 'list', 'text', 'images'];

/** Every way a body breaks the Cliq message spec; empty when it is valid. */
export const cliqViolations = (message: unknown): string[] => {
  const problems: string[] = [];
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    return ['body is not a JSON object'];
  const m = message as Record<string, unknown>;
  if (typeof m.text !== 'string' || m.text.length === 0) problems.push('text is required');
  else if (m.text.length > 5000) problems.push(`text is ${m.text.length} chars (max 5000)`);
  for (const flag of ['sync_message', 'post_in_parent'] as const)
    if (m[flag] !== undefined && typeof m[flag] !== 'boolean') problems.push(`${flag} must be a boolean`);
  if (
    m.thread_message_id !== undefined &&
    (typeof m.thread_message_id !== 'string' || m.thread_message_id === '')
  )
    problems.push('thread_message_id must be a message id');
  if (m.card !== undefined) {
    const card = m.card as Record<string, unknown>;
    if (card.title !== undefined && (typeof card.title !== 'string' || card.title.length > 200))
      problems.push('card.title over 200');
    if (card.theme !== undefined && !['modern-inline', 'poll', 'prompt'].includes(card.theme as string))
      problems.push('card.theme unknown');
  }
  if (m.slides !== undefined) {
    if (!Array.isArray(m.slides)) problems.push('slides is not an array');
    else {
      if (m.slides.length > 20) problems.push(`${m.slides.length} slides (max 20)`);
      if (JSON.stringify(m.slides).length > 10_000) problems.push('slides over 10000 chars');
      m.slides.forEach((slide: Record<string, unknown>, i: number) => {
        if (!SLIDE_TYPES.includes(slide.type as string)) problems.push(`slides[${i}].type unknown`);
        const data = slide.data;
        if (slide.type === 'text' && typeof data !== 'string')
          problems.push(`slides[${i}].data must be a string`);
        if (
          (slide.type === 'list' || slide.type === 'images') &&
          !(Array.isArray(data) && data.every((d) => typeof d === 'string'))
        ) {
          problems.push(`slides[${i}].data must be strings`);
        }
        if (slide.type === 'label') {
          const ok =
            Array.isArray(data) &&
            data.every(
              (d) =>
                typeof d === 'object' && d !== null && Object.values(d).every((v) => typeof v === 'string'),
            );
          if (!ok) problems.push(`slides[${i}].data must be [{label: value}]`);
        }
        if (slide.type === 'table') {
          const table = data as { headers?: unknown; rows?: unknown };
          const headers = Array.isArray(table?.headers) ? (table.headers as string[]) : undefined;
          if (headers === undefined || !Array.isArray(table.rows))
            problems.push(`slides[${i}] table needs headers and rows`);
          else if (
            !(table.rows as Record<string, unknown>[]).every((row) =>
              Object.keys(row).every((key) => headers.includes(key)),
            )
          ) {
            problems.push(`slides[${i}] row keys must be headers`);
          }
        }
      });
    }
  }
  if (m.buttons !== undefined) {
    if (!Array.isArray(m.buttons)) problems.push('buttons is not an array');
    else {
      if (m.buttons.length > 5) problems.push(`${m.buttons.length} buttons (max 5)`);
      m.buttons.forEach((b: Record<string, unknown>, i: number) => {
        if (typeof b.label !== 'string' || b.label.length === 0 || b.label.length > 20)
          problems.push(`buttons[${i}].label must be 1-20 chars`);
        if (b.hint !== undefined && (typeof b.hint !== 'string' || b.hint.length > 100))
          problems.push(`buttons[${i}].hint over 100`);
        if (b.type !== undefined && b.type !== '+' && b.type !== '-')
          problems.push(`buttons[${i}].type must be + or -`);
        const action = b.action as { type?: string; data?: { web?: unknown } } | undefined;
        const web = action?.data?.web;
        if (
          action?.type !== 'open.url' ||
          typeof web !== 'string' ||
          !/^https?:\/\//.test(web) ||
          web.length > 256
        ) {
          problems.push(`buttons[${i}] needs an open.url action with a URL of at most 256 chars`);
        }
      });
    }
  }
  return problems;
};

let nextMessageNumber = 117_280_617_320;

/** A new id in Cliq's shape, `<epoch ms>_<number>` (e.g. `1599044334698_117280617320`). */
const newMessageId = (): string => `${Date.now()}_${nextMessageNumber++}`;

export class CliqStandIn {
  readonly attempts: Attempt[] = [];
  /** Accepted message bodies per channel, channel posts and thread replies alike, in arrival order. */
  readonly delivered = new Map<string, unknown[]>();
  private readonly accepted = new Map<string, Post[]>();
  private readonly scripts = new Map<string, Scripted[]>();
  private readonly threadScripts = new Map<string, Scripted[]>();
  private readonly behaviours = new Map<string, ChannelBehaviour>();
  private server: Server | undefined;
  url = '';
  /** Told of each message it accepts, as it accepts it. */
  onAccepted: ((post: Post) => void) | undefined;

  /** The next answers for a channel (either call), in order; after them it answers as Cliq would. */
  script(channel: string, ...answers: Scripted[]): void {
    this.scripts.set(channel, [...(this.scripts.get(channel) ?? []), ...answers]);
  }

  /** Drops the channel's scripted answers not used yet: it answers as Cliq would from now on. */
  unscript(channel: string): void {
    this.scripts.delete(channel);
    this.threadScripts.delete(channel);
  }

  /** The next answers to the channel's thread calls only, in order. */
  scriptThread(channel: string, ...answers: Scripted[]): void {
    this.threadScripts.set(channel, [...(this.threadScripts.get(channel) ?? []), ...answers]);
  }

  /** How a channel behaves from now on (replaces what was set before). */
  configure(channel: string, behaviour: ChannelBehaviour): void {
    this.behaviours.set(channel, behaviour);
  }

  /** The channel's reply mode allows no threads (the thread call fails with a non-throttling 4xx). */
  forbidThreads(channel: string): void {
    this.configure(channel, { ...this.behaviours.get(channel), forbidThreads: true });
  }

  /** The channel answers 204 without a message id, even to `sync_message`. */
  omitIds(channel: string): void {
    this.configure(channel, { ...this.behaviours.get(channel), omitMessageIds: true });
  }

  channelUrl(channel: string, token: string): string {
    return `${this.url}/api/v2/channelsbyname/${channel}/message?zapikey=${token}`;
  }

  messages(channel: string): unknown[] {
    return this.delivered.get(channel) ?? [];
  }

  /** Accepted messages of a channel in order, each with its id, parent and `post_in_parent`. */
  posts(channel: string): Post[] {
    return this.accepted.get(channel) ?? [];
  }

  /** Top-level messages of the channel (what a thread reply may name as its parent). */
  parents(channel: string): Post[] {
    return this.posts(channel).filter((post) => post.parentId === undefined);
  }

  /** Replies in the thread of one parent message, in order. */
  replies(channel: string, parentId: string): Post[] {
    return this.posts(channel).filter((post) => post.parentId === parentId);
  }

  /** What a member scrolling the channel sees: top-level posts and replies also posted in the channel. */
  channelView(channel: string): Post[] {
    return this.posts(channel).filter((post) => post.parentId === undefined || post.postInParent);
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const url = new URL(request.url ?? '/', 'http://stand-in');
        const thread = THREAD_POST.exec(url.pathname)?.[1];
        const channel = thread ?? CHANNEL_POST.exec(url.pathname)?.[1] ?? '';
        const call = thread === undefined ? 'channel' : 'thread';
        const token = url.searchParams.get('zapikey') ?? '';
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        const answer = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
          const messageId = (payload as { message_id?: unknown } | undefined)?.message_id;
          this.attempts.push({
            channel,
            call,
            thread: call === 'thread',
            ...(status === 200 && typeof messageId === 'string' ? { messageId } : {}),
            token,
            botUniqueName: url.searchParams.get('bot_unique_name'),
            status,
            body,
            at: Date.now(),
          });
          response.writeHead(status, { 'content-type': 'application/json', ...headers });
          response.end(payload === undefined ? '' : JSON.stringify(payload));
        };
        if (request.method !== 'POST' || channel === '')
          return answer(404, { code: 'url_not_found', message: 'no such endpoint' });
        if (token === '') return answer(401, { code: 'oauthtoken_invalid', message: 'zapikey missing' });
        const scripted =
          (call === 'thread' ? this.threadScripts.get(channel)?.shift() : undefined) ??
          this.scripts.get(channel)?.shift();
        if (scripted !== undefined) {
          if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
          return answer(scripted.status, scripted.body, scripted.headers);
        }
        const behaviour = this.behaviours.get(channel) ?? {};
        if (call === 'thread' && behaviour.forbidThreads === true)
          return answer(THREADS_FORBIDDEN.status, THREADS_FORBIDDEN.body);
        const problems = call === 'thread' ? threadViolations(body) : cliqViolations(body);
        const m = (body ?? {}) as Record<string, unknown>;
        // Stricter than Cliq is known to be: thread fields on a channel post would silently lose the thread.
        if (call === 'channel' && (m.thread_message_id !== undefined || m.post_in_parent !== undefined))
          problems.push('thread_message_id and post_in_parent belong to the v3 thread call');
        if (problems.length > 0) return answer(400, { code: 'input_invalid', message: problems.join('; ') });
        const parentId = call === 'thread' ? (m.thread_message_id as string) : undefined;
        if (parentId !== undefined && !this.parents(channel).some((post) => post.messageId === parentId))
          return answer(400, {
            code: 'message_not_found',
            message: `thread_message_id ${parentId} is not a message of this channel`,
          });
        const idAnswered = m.sync_message === true && behaviour.omitMessageIds !== true;
        const post: Post = {
          channel,
          messageId: newMessageId(),
          idAnswered,
          parentId,
          postInParent: m.post_in_parent === true,
          body,
        };
        this.accepted.set(channel, [...this.posts(channel), post]);
        this.delivered.set(channel, [...this.messages(channel), body]);
        this.onAccepted?.(post);
        return idAnswered ? answer(200, { message_id: post.messageId }) : answer(204);
      });
    });
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}
