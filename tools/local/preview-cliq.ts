import { channelKey } from '../../lib/channels';
import { parseChannelUrl } from '../../lib/cliq/channel-url';
import type { CliqMessage } from '../../lib/cliq/message';
import { printPreview } from '../../lib/cliq/preview';
import type { Log } from '../../lib/log';
import type { RoutingConfig } from '../../lib/routing/schema';
import { CliqStandIn, type Post } from '../harness/cliq-stand-in';

type Env = Readonly<Record<string, string | undefined>>;

/** The token of the built-in stand-in's URLs: one Cliq user, so every previewed channel shares one budget. */
export const PREVIEW_TOKEN = 'vigil-local-preview';

/** One message the built-in stand-in accepted, as `GET /previews` lists it. */
export interface Preview {
  readonly channel: string;
  /** The kind of the event the message is about (the first one, for a digest). */
  readonly kind: string;
  /** The message as Vigil formatted it, without the placement fields below. */
  readonly message: CliqMessage;
  /** The id the stand-in gave it, as Cliq answers a `sync_message` post. */
  readonly message_id: string;
  /** Whether it was a reply in a thread (the v3 thread call). */
  readonly reply: boolean;
  /** The parent message's id, for a reply. */
  readonly parent: string | null;
  /** A reply also shown in the channel. */
  readonly post_in_parent: boolean;
}

export type ChannelMode = 'preview' | 'delivering';

/** Every channel the routing file can post to: its default, its channels, and every route's `to`. */
export const routedChannels = (routing: RoutingConfig): string[] => [
  ...new Set([
    ...(routing.default === 'drop' ? [] : [routing.default]),
    ...Object.keys(routing.channels),
    ...routing.routes.flatMap((route) => route.to ?? []),
  ]),
];

/**
 * What the banner, the console and `/health` may say about a channel that delivers: the host and the
 * channel's name, never the key.
 */
export const shownTarget = (raw: string, key: string): string => {
  const parsed = parseChannelUrl(raw, key);
  if (!parsed.ok) return `${key} (invalid)`;
  const url = new URL(parsed.value.url);
  const name = /\/(?:channelsbyname|bots?)\/([^/]+)\//.exec(url.pathname)?.[1];
  return name === undefined ? url.host : `${url.host}, channel ${decodeURIComponent(name)}`;
};

const PLACEMENT = ['sync_message', 'thread_message_id', 'post_in_parent'] as const;

const withoutPlacement = (body: unknown): CliqMessage => {
  const message = { ...(body as Record<string, unknown>) };
  for (const field of PLACEMENT) delete message[field];
  return message as unknown as CliqMessage;
};

/**
 * Preview mode: a built-in Cliq stand-in on loopback for every channel whose URL is unset, so the whole
 * pipeline runs as in production (ledger, conversations, threads, digests, fallbacks, the DLQ) against an
 * endpoint that answers like Cliq (message ids to `sync_message`, the v3 thread call, its limits and errors).
 * Channels with a URL deliver to it; the two can be mixed.
 */
export class PreviewCliq {
  readonly previews: Preview[] = [];
  /** Accepted posts the sender has not yet said which event they were about. */
  private pending: Post[] = [];

  private constructor(
    private readonly standIn: CliqStandIn | undefined,
    /** Each routed channel, and whether it previews or delivers. */
    readonly channels: Readonly<Record<string, ChannelMode>>,
    /** Where each delivering channel goes, as it may be shown. */
    readonly targets: Readonly<Record<string, string>>,
    private readonly print: boolean,
  ) {
    if (standIn !== undefined) standIn.onAccepted = (post) => this.pending.push(post);
  }

  static async start(routing: RoutingConfig, env: Env, print: boolean): Promise<PreviewCliq> {
    const channels: Record<string, ChannelMode> = {};
    const targets: Record<string, string> = {};
    for (const channel of routedChannels(routing)) {
      const raw = env[channelKey(channel)];
      channels[channel] = raw === undefined || raw === '' ? 'preview' : 'delivering';
      if (raw !== undefined && raw !== '') targets[channel] = shownTarget(raw, channelKey(channel));
    }
    const previewing = Object.values(channels).includes('preview');
    const standIn = previewing ? await new CliqStandIn().start() : undefined;
    return new PreviewCliq(standIn, channels, targets, print);
  }

  /** `preview` when nothing is posted to Cliq, `delivering` when everything is, `mixed` otherwise. */
  get mode(): 'preview' | 'delivering' | 'mixed' {
    const modes = new Set(Object.values(this.channels));
    if (modes.size > 1) return 'mixed';
    return modes.has('delivering') ? 'delivering' : 'preview';
  }

  /** The secrets that point each previewed channel at the stand-in (the sender and ingest read them). */
  env(): Record<string, string> {
    const standIn = this.standIn;
    if (standIn === undefined) return {};
    return Object.fromEntries(
      Object.entries(this.channels)
        .filter(([, mode]) => mode === 'preview')
        .map(([channel]) => [channelKey(channel), standIn.channelUrl(channel, PREVIEW_TOKEN)]),
    );
  }

  /**
   * The sender's log, as it is; its line closing a send ("delivered", "delivered a digest") names the
   * event's kind, which labels what the stand-in accepted for that channel since.
   */
  watch(log: Log): Log {
    return {
      ...log,
      info: (message, ...extra) => {
        log.info(message, ...extra);
        if (!message.startsWith('delivered')) return;
        const fields = Object.assign({}, ...extra) as Record<string, unknown>;
        if (typeof fields.channel !== 'string' || typeof fields.kind !== 'string') return;
        this.settle(fields.channel, fields.kind);
      },
    };
  }

  private settle(channel: string, kind: string): void {
    const mine = this.pending.filter((post) => post.channel === channel);
    this.pending = this.pending.filter((post) => post.channel !== channel);
    for (const post of mine) {
      const preview: Preview = {
        channel,
        kind,
        message: withoutPlacement(post.body),
        message_id: post.messageId,
        reply: post.parentId !== undefined,
        parent: post.parentId ?? null,
        post_in_parent: post.postInParent,
      };
      this.previews.push(preview);
      if (this.print)
        printPreview(preview.message, {
          channel,
          kind,
          parent: post.parentId,
          postInParent: post.postInParent,
        });
    }
  }

  async stop(): Promise<void> {
    await this.standIn?.stop();
  }
}
