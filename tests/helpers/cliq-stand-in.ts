import { createServer, type Server } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback';

/**
 * A local HTTP server standing in for Zoho Cliq's message API. It checks every body against the spec
 * (shared/specs/zoho-cliq.md) on its own, independently of Vigil's formatter, answers 400 input_invalid
 * like Cliq when a message breaks it, and can be scripted to fail.
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
  readonly token: string;
  readonly botUniqueName: string | null;
  readonly status: number;
  readonly body: unknown;
  readonly at: number;
  /** The v3 thread call (`/api/v3/channelsbyname/<channel>/messages`). */
  readonly thread: boolean;
  readonly messageId?: string;
}

const SLIDE_TYPES = ['table', 'label', 'list', 'text', 'images'];

/** Every way a body breaks the Cliq message spec; empty when it is valid. */
export const cliqViolations = (message: unknown): string[] => {
  const problems: string[] = [];
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    return ['body is not a JSON object'];
  const m = message as Record<string, unknown>;
  if (typeof m.text !== 'string' || m.text.length === 0) problems.push('text is required');
  else if (m.text.length > 5000) problems.push(`text is ${m.text.length} chars (max 5000)`);
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

export class CliqStandIn {
  readonly attempts: Attempt[] = [];
  /** Accepted messages per channel, in arrival order. */
  readonly delivered = new Map<string, unknown[]>();
  private readonly scripts = new Map<string, Scripted[]>();
  /** Message ids given out, and the channel of each. */
  private readonly ids = new Map<string, string>();
  private readonly noThreads = new Set<string>();
  private readonly noIds = new Set<string>();
  private nextId = 0;
  private server: Server | undefined;
  url = '';

  /** The next answers for a channel, in order; after them it answers 204. */
  script(channel: string, ...answers: Scripted[]): void {
    this.scripts.set(channel, [...(this.scripts.get(channel) ?? []), ...answers]);
  }

  channelUrl(channel: string, token: string): string {
    return `${this.url}/api/v2/channelsbyname/${channel}/message?zapikey=${token}`;
  }

  messages(channel: string): unknown[] {
    return this.delivered.get(channel) ?? [];
  }

  /** The channel's reply mode allows no threads: thread calls answer 400, as Cliq's do. */
  forbidThreads(channel: string): void {
    this.noThreads.add(channel);
  }

  /** Answer 204 without a message id even when `sync_message` asks for one. */
  omitIds(channel: string): void {
    this.noIds.add(channel);
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const url = new URL(request.url ?? '/', 'http://stand-in');
        const thread = /^\/api\/v3\/channelsbyname\/[^/]+\/messages$/.test(url.pathname);
        const channel =
          /\/api\/v2\/channelsbyname\/([^/]+)\/message$|\/api\/v3\/channelsbyname\/([^/]+)\/messages$/
            .exec(url.pathname)
            ?.slice(1)
            .find((name) => name !== undefined) ?? '';
        const token = url.searchParams.get('zapikey') ?? '';
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        const answer = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
          const messageId = (payload as { message_id?: string } | undefined)?.message_id;
          this.attempts.push({
            channel,
            token,
            botUniqueName: url.searchParams.get('bot_unique_name'),
            status,
            body,
            at: Date.now(),
            thread,
            ...(messageId === undefined ? {} : { messageId }),
          });
          response.writeHead(status, { 'content-type': 'application/json', ...headers });
          response.end(payload === undefined ? '' : JSON.stringify(payload));
        };
        if (request.method !== 'POST' || channel === '')
          return answer(404, { code: 'url_not_found', message: 'no such endpoint' });
        if (token === '') return answer(401, { code: 'oauthtoken_invalid', message: 'zapikey missing' });
        const scripted = this.scripts.get(channel)?.shift();
        if (scripted !== undefined) {
          if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
          return answer(scripted.status, scripted.body, scripted.headers);
        }
        const problems = cliqViolations(body);
        if (problems.length > 0) return answer(400, { code: 'input_invalid', message: problems.join('; ') });
        const fields = body as { sync_message?: unknown; thread_message_id?: unknown };
        if (thread && this.noThreads.has(channel))
          return answer(400, {
            code: 'operation_failed',
            message: 'replies in threads are not allowed in this channel',
          });
        if (
          thread &&
          (typeof fields.thread_message_id !== 'string' || this.ids.get(fields.thread_message_id) !== channel)
        )
          return answer(400, {
            code: 'input_invalid',
            message: 'thread_message_id is not a message of this channel',
          });
        this.delivered.set(channel, [...this.messages(channel), body]);
        if (fields.sync_message === true && !this.noIds.has(channel)) {
          const id = `${Date.now()}_${++this.nextId}`;
          this.ids.set(id, channel);
          return answer(200, { message_id: id });
        }
        return answer(204);
      });
    });
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}
