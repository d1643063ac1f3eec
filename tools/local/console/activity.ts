import type { CliqMessage } from '../../../lib/cliq/message';
import type { VigilEvent } from '../../../lib/event/model';
import type { RouteDecision } from '../../../lib/routing/route';

/** Where one event stands for one channel, as the console shows it. */
export type DeliveryState =
  | { readonly state: 'routed' }
  | { readonly state: 'queued' }
  | { readonly state: 'delivered'; readonly latencyMs: number; readonly preview: boolean }
  | { readonly state: 'digested'; readonly latencyMs: number }
  /** The sender recorded it and posted nothing: a CI result that changed nothing. */
  | { readonly state: 'unchanged'; readonly reason: string }
  | {
      readonly state: 'retrying';
      readonly nextAttemptAt: string;
      readonly lastError: string;
      readonly attempts: number;
    }
  | { readonly state: 'dead_lettered'; readonly reason: string; readonly detail: string };

export type Delivery = DeliveryState & {
  readonly channel: string;
  /** The message as it will be (or was) posted: no URL, token or signature is part of it. */
  readonly message?: CliqMessage;
  /** Cliq's id for the posted message, when Cliq gave one. */
  readonly messageId?: string;
  /** The parent's Cliq id, for a reply in a thread. */
  readonly threadOf?: string;
  /** Routing held it: when it will post, and why (describeHold). */
  readonly held?: string;
};

export interface FeedEntry {
  /** `source:event id`, the key of the entry. */
  readonly key: string;
  readonly id: string;
  readonly source: string;
  readonly kind: string;
  readonly subject: string;
  readonly title: string;
  readonly receivedAt: string;
  readonly decision: {
    readonly matched: readonly string[];
    readonly decidedBy: string;
    readonly dropped: boolean;
    readonly channels: readonly string[];
  };
  readonly deliveries: readonly Delivery[];
  /** Grows with every change, so a page can tell the newest state of an entry. */
  readonly revision: number;
}

export type ActivityListener = (entry: FeedEntry) => void;

export const eventKey = (event: { readonly source: string; readonly id: string }): string =>
  `${event.source}:${event.id}`;

/**
 * What the local stack did with each event, newest first and bounded: the stack's observers feed it (ingest's
 * route decisions, the sender's deliveries, retries and dead letters), and the console listens to it.
 */
export class Activity {
  private readonly byKey = new Map<string, FeedEntry>();
  private readonly listeners = new Set<ActivityListener>();
  private revision = 0;

  constructor(
    private readonly limit = 200,
    private readonly now: () => number = Date.now,
  ) {}

  entries(): FeedEntry[] {
    return [...this.byKey.values()].reverse();
  }

  subscribe(listener: ActivityListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An event was accepted and routed; `messages` are the posts it will make, per channel. */
  routed(
    event: VigilEvent,
    decision: RouteDecision,
    messages: readonly { readonly channel: string; readonly message: CliqMessage; readonly held?: string }[],
  ): void {
    const key = eventKey(event);
    const known = this.byKey.get(key);
    this.byKey.delete(key);
    this.put({
      key,
      id: event.id,
      source: event.source,
      kind: event.kind,
      subject: event.subject.name,
      title: event.title,
      receivedAt: known?.receivedAt ?? new Date(this.now()).toISOString(),
      decision: {
        matched: decision.matched,
        decidedBy: decision.decidedBy,
        dropped: decision.dropped,
        channels: decision.destinations.map((destination) => destination.channel),
      },
      deliveries:
        known?.deliveries ??
        messages.map(({ channel, message, held }) => ({
          state: 'routed' as const,
          channel,
          message,
          ...(held === undefined ? {} : { held }),
        })),
      revision: 0,
    });
    while (this.byKey.size > this.limit) {
      const oldest = this.byKey.keys().next().value;
      if (oldest === undefined) break;
      this.byKey.delete(oldest);
    }
  }

  queued(key: string, channel: string): void {
    this.update(key, channel, (delivery) =>
      delivery.state === 'routed' ? { ...delivery, state: 'queued' } : delivery,
    );
  }

  delivered(
    key: string,
    channel: string,
    sent: { readonly message?: CliqMessage; readonly messageId?: string; readonly preview: boolean },
  ): void {
    this.update(key, channel, (delivery, entry) => {
      const message = sent.message ?? delivery.message;
      const threadOf = message?.thread_message_id;
      return {
        channel: delivery.channel,
        ...(message === undefined ? {} : { message }),
        ...(sent.messageId === undefined ? {} : { messageId: sent.messageId }),
        ...(threadOf === undefined ? {} : { threadOf }),
        state: 'delivered',
        latencyMs: this.since(entry),
        preview: sent.preview,
      };
    });
  }

  /** Posted as part of a digest; `message` is the digest, for the event that led it. */
  digested(key: string, channel: string, message?: CliqMessage): void {
    this.update(key, channel, (delivery, entry) =>
      delivery.state === 'delivered' || delivery.state === 'dead_lettered' || delivery.state === 'unchanged'
        ? delivery
        : {
            ...this.base(delivery),
            ...(message === undefined ? {} : { message }),
            state: 'digested',
            latencyMs: this.since(entry),
          },
    );
  }

  /** Recorded and not posted: the event changed nothing its channel does not already know. */
  unchanged(key: string, channel: string, reason: string): void {
    this.update(key, channel, (delivery) => ({ ...this.base(delivery), state: 'unchanged', reason }));
  }

  retrying(key: string, channel: string, seconds: number, error: string): void {
    this.update(key, channel, (delivery) => ({
      ...this.base(delivery),
      state: 'retrying',
      nextAttemptAt: new Date(this.now() + seconds * 1000).toISOString(),
      lastError: error,
      attempts: (delivery.state === 'retrying' ? delivery.attempts : 0) + 1,
    }));
  }

  deadLettered(key: string, channel: string, reason: string, detail: string): void {
    this.update(key, channel, (delivery) => ({
      ...this.base(delivery),
      state: 'dead_lettered',
      reason,
      detail,
    }));
  }

  /** The state of an entry's delivery to a channel, if the console has seen it. */
  stateOf(key: string, channel: string): DeliveryState['state'] | undefined {
    return this.byKey.get(key)?.deliveries.find((delivery) => delivery.channel === channel)?.state;
  }

  private base(
    delivery: Delivery,
  ): Pick<Delivery, 'channel' | 'message' | 'messageId' | 'threadOf' | 'held'> {
    return {
      channel: delivery.channel,
      ...(delivery.held === undefined ? {} : { held: delivery.held }),
      ...(delivery.message === undefined ? {} : { message: delivery.message }),
      ...(delivery.messageId === undefined ? {} : { messageId: delivery.messageId }),
      ...(delivery.threadOf === undefined ? {} : { threadOf: delivery.threadOf }),
    };
  }

  private since(entry: FeedEntry): number {
    return Math.max(0, this.now() - Date.parse(entry.receivedAt));
  }

  private update(
    key: string,
    channel: string,
    change: (delivery: Delivery, entry: FeedEntry) => Delivery,
  ): void {
    const entry = this.byKey.get(key);
    if (entry === undefined) return;
    const known = entry.deliveries.some((delivery) => delivery.channel === channel);
    const deliveries = (
      known ? entry.deliveries : [...entry.deliveries, { state: 'queued' as const, channel }]
    ).map((delivery) => (delivery.channel === channel ? change(delivery, entry) : delivery));
    this.put({ ...entry, deliveries });
  }

  private put(entry: FeedEntry): void {
    this.revision += 1;
    const next = { ...entry, revision: this.revision };
    this.byKey.set(entry.key, next);
    for (const listener of this.listeners) listener(next);
  }
}
