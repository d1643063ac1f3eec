import type { SQSRecord } from 'aws-lambda';
import { channelIdentity } from '../cliq/channel-url';
import type { DeliveryResult } from '../cliq/deliver';
import type { CliqMessage } from '../cliq/message';
import { threadPostUrl, threadsForbidden } from '../cliq/thread';
import type { Delivery, FollowUp } from '../conversation/decide';
import { conversationMessage } from '../conversation/message';
import { digestChunks } from '../delivery/digest';
import { summaryChunks } from '../delivery/summary';
import type { VigilEvent } from '../event/model';
import type { Log } from '../log';
import type { Counters } from '../metrics';
import type { QueuedMessage } from '../queue/queued-message';
import type { Channel } from '../routing/schema';
import type { DeliveryState, StateStore } from '../state/store';
import { ConversationSession, type Planned } from './conversation-session';
import { withBot, withMentions } from './decorate';
import { deliveryKey, ledgerRecord } from './ledger';
import { receiveCount } from './receive-count';
import { createStateWrite, type StateWrite } from './state-write';

/** Posts one message on the paced path; throws to retry, or returns Cliq's refusal. */
export type PostFn = (url: string, message: CliqMessage) => Promise<DeliveryResult>;

export interface StatefulSend {
  readonly store: StateStore;
  readonly channel: string;
  readonly settings: Channel | undefined;
  /** The channel's post URL (with its bot); thread calls go to its v3 twin. */
  readonly url: string;
  readonly kind: 'single' | 'digest';
  /** More wait than the budget has posts for: replies join the channel's digest, and it names events in summary. */
  readonly summarize?: boolean;
  /** Messages this container has not delivered yet, in queue order. */
  readonly pending: readonly QueuedMessage[];
  /** The single event's formatted card (with bot and mentions). */
  readonly card?: CliqMessage;
  readonly lead: SQSRecord;
  readonly post: PostFn;
  /** Dead-letters the records that carried these events (Cliq refused the message that carried them). */
  readonly refuse: (refused: DeliveryResult, events: readonly VigilEvent[]) => Promise<void>;
  /** Cliq answered 2xx for these events: called at once, before any state is written. */
  readonly delivered: (events: readonly VigilEvent[], digested: boolean) => void;
  readonly counters: Counters;
  readonly log: Log;
  readonly now: () => number;
  /** Writes the state a post leaves, retried and never thrown (state-write.ts); the default waits for real. */
  readonly persist?: StateWrite;
}

type Out = Exclude<Delivery, { kind: 'unchanged' }>;

/** A digest's card: in the channel, or one reply in `reply.parent`'s thread for the replies piling up there. */
interface DigestCard {
  readonly events: readonly VigilEvent[];
  readonly message: CliqMessage;
  readonly reply?: Out & { kind: 'reply' };
}

type LedgerExtra = { messageId?: string | undefined; threadMessageId?: string | undefined; reason?: string };

/**
 * Delivery with memory: the ledger keeps every (event, channel) posted once across containers, and each
 * subject's conversation decides whether an event posts, replies in its thread, or changes nothing.
 * Threads spend the same paced `post` as everything else.
 *
 * Once Cliq answers 2xx the post is done: it is reported `delivered` at once, then the ledger is written
 * (what keeps it from posting again elsewhere), then the conversation. Neither write fails the record, which
 * would post it again: each is retried within the call, then logged. A container that dies between the 2xx
 * and the ledger write can still repeat that one post on retry in another.
 */
export const sendWithState = async (send: StatefulSend): Promise<void> => {
  const { store, channel, log } = send;
  const attempts = receiveCount(send.lead);
  const persist = send.persist ?? createStateWrite({ log, counters: send.counters });
  const ledger = async (event: VigilEvent, state: DeliveryState, extra: LedgerExtra = {}) => {
    const written = await store.recordDelivery(
      ledgerRecord(channel, event, state, { attempts, now: send.now(), ...extra }),
    );
    // already recorded: by another container, or by a try of this write that timed out after it was applied
    if (!written) log.warn('the ledger already had this delivery', { channel, eventId: event.id });
  };

  const fresh: QueuedMessage[] = [];
  const taken = new Set<string>();
  for (const message of send.pending) {
    const key = deliveryKey(message.event);
    // the same event twice in one digest (a webhook redelivered): once is enough
    if (taken.has(key)) continue;
    taken.add(key);
    const known = await store.getDelivery(channel, key);
    if (known === undefined || known.state === 'dead_lettered') fresh.push(message);
    else
      log.info('already delivered (ledger): not posted again', {
        channel,
        source: message.event.source,
        eventId: message.event.id,
        state: known.state,
      });
  }
  if (fresh.length === 0) return;

  const session = new ConversationSession(store, channel, log, send.now, channelIdentity(send.url));
  const threadsConfigured = send.settings?.threads !== false;
  const decorate = (message: CliqMessage, events: readonly VigilEvent[]) =>
    withMentions(withBot(message, send.settings), [
      ...new Set(
        fresh.filter((m) => events.some((e) => e.id === m.event.id)).flatMap((m) => m.mention ?? []),
      ),
    ]);

  const about = (events: readonly VigilEvent[]) => ({
    channel,
    source: events[0]?.source ?? 'unknown',
    eventId: events.map((event) => event.id).join(','),
  });
  /** These events went out (delivered, already reported): the ledger first, then their conversations. */
  const sent = async (events: readonly VigilEvent[], state: DeliveryState, extra: LedgerExtra) => {
    for (const event of events)
      await persist('the ledger entry', about([event]), () => ledger(event, state, extra));
    await persist('the conversation', about(events), () => session.settle(events, 'sent'));
  };

  // nothing is posted, so a failed write fails the record, which is then decided again: the conversation is
  // written first and the ledger last, so a retry finds no ledger entry and writes what is still missing
  const unchanged = async (planned: Planned, reason: string) => {
    session.stage(planned, { how: 'digest' });
    await session.settle([planned.event], 'sent');
    await ledger(planned.event, 'unchanged', { reason });
    send.counters.count('unchanged', planned.event.source);
    log.info('unchanged: nothing posted', {
      channel,
      source: planned.event.source,
      eventId: planned.event.id,
      kind: planned.event.kind,
      reason,
    });
  };

  if (send.kind === 'single') {
    const queued = fresh[0];
    if (queued === undefined || send.card === undefined) return;
    const planned = await session.plan(queued.event, queued.ci ?? 'changes', threadsConfigured);
    if (planned === undefined) {
      const result = await send.post(send.url, send.card);
      if (!result.ok) return send.refuse(result, [queued.event]);
      send.delivered([queued.event], false);
      return sent([queued.event], 'delivered', { messageId: result.messageId });
    }
    const delivery = planned.decision.delivery;
    if (delivery.kind === 'unchanged') return unchanged(planned, delivery.reason);
    const outcome = await sendOne(send, session, persist, send.card, delivery);
    if (!outcome.result.ok) return send.refuse(outcome.result, [queued.event]);
    send.delivered([queued.event], false);
    session.stage(planned, { how: outcome.how, messageId: outcome.result.messageId });
    return sent([queued.event], 'delivered', {
      messageId: outcome.result.messageId,
      ...(outcome.how === 'reply' && delivery.kind === 'reply' ? { threadMessageId: delivery.parent } : {}),
    });
  }

  // a digest: every event still moves its subject's state; replies piling up on one thread become one reply there
  const byParent = new Map<string, { planned: Planned[]; inChannel: boolean; followUp: FollowUp }>();
  const channelEvents: VigilEvent[] = [];
  /** Each event's conversation, for keeping a conversation's cards in order. */
  const subjects = new Map<VigilEvent, string>();
  for (const queued of fresh) {
    const planned = await session.plan(queued.event, queued.ci ?? 'changes', threadsConfigured);
    if (planned === undefined) {
      channelEvents.push(queued.event);
      continue;
    }
    subjects.set(queued.event, planned.subject.key);
    const delivery = planned.decision.delivery;
    if (delivery.kind === 'unchanged') {
      await unchanged(planned, delivery.reason);
      continue;
    }
    const reply = delivery.kind === 'reply' && send.summarize !== true;
    session.stage(planned, reply ? { how: 'reply' } : { how: 'digest' });
    if (delivery.kind === 'reply' && reply) {
      const group = byParent.get(delivery.parent) ?? {
        planned: [],
        inChannel: false,
        followUp: delivery.followUp,
      };
      group.planned.push(planned);
      group.inChannel ||= delivery.inChannel;
      byParent.set(delivery.parent, group);
    } else {
      channelEvents.push(queued.event);
    }
  }

  // Cliq refused one card for good: only the records of its events are dead-lettered (with its reason) and
  // the digest carries on, as a refused single post lets the rest of its group through. Its events' states
  // are not written; later cards were decided as if they went out, and their states say so.
  const refused = async (result: DeliveryResult, events: readonly VigilEvent[]) => {
    await send.refuse(result, events);
    await persist(
      'the conversation',
      about(events),
      () => session.settle(events, 'dropped'),
      'the dead letter',
    );
  };

  const cards: DigestCard[] = [];
  for (const [parent, group] of byParent) {
    const events = group.planned.map((planned) => planned.event);
    if (events.length === 1) {
      // one reply is not worth a post of its own in a digest: it is listed in the channel's digest
      channelEvents.push(...events);
      continue;
    }
    const reply = { kind: 'reply', parent, inChannel: group.inChannel, followUp: group.followUp } as const;
    for (const chunk of digestChunks(events)) cards.push({ ...chunk, reply });
  }
  // each event reaches Cliq in the order it arrived, as far as cards allow: cards go in the order of their
  // earliest event, so a channel digest of earlier events is not posted after replies to later ones
  const arrival = new Map(fresh.map((message, index) => [message.event, index]));
  const earliest = (events: readonly VigilEvent[]) =>
    Math.min(...events.map((event) => arrival.get(event) ?? fresh.length));
  const ordered = fresh.map((m) => m.event).filter((event) => channelEvents.includes(event));
  for (const segment of afterReplies(ordered, cards, arrival, subjects))
    for (const chunk of (send.summarize === true ? summaryChunks : digestChunks)(segment)) cards.push(chunk);
  cards.sort((a, b) => earliest(a.events) - earliest(b.events));

  for (const card of cards) {
    const message = decorate(card.message, card.events);
    const outcome =
      card.reply === undefined
        ? { result: await send.post(send.url, { ...message, sync_message: true }), how: 'post' }
        : await sendOne(send, session, persist, message, card.reply);
    if (!outcome.result.ok) {
      await refused(outcome.result, card.events);
      continue;
    }
    send.delivered(card.events, true);
    await sent(card.events, 'digested', {
      messageId: outcome.result.messageId,
      ...(outcome.how === 'reply' && card.reply !== undefined ? { threadMessageId: card.reply.parent } : {}),
    });
  }
};

/**
 * The channel's digest events cut where one follows, in its own conversation, replies that a thread card
 * posts after the channel card it would join: a run that fails again after "Still failing" and "Fixed"
 * replies goes in a later channel card, after those replies, not in the channel digest posted ahead of them.
 */
const afterReplies = (
  events: readonly VigilEvent[],
  replies: readonly DigestCard[],
  arrival: ReadonlyMap<VigilEvent, number>,
  subjects: ReadonlyMap<VigilEvent, string>,
): VigilEvent[][] => {
  const at = (event: VigilEvent) => arrival.get(event) ?? 0;
  const segments: VigilEvent[][] = [];
  let current: VigilEvent[] = [];
  for (const event of events) {
    const subject = subjects.get(event);
    const start = current[0];
    const behind =
      subject !== undefined &&
      start !== undefined &&
      replies.some(
        (card) =>
          Math.min(...card.events.map(at)) > at(start) &&
          card.events.some((reply) => subjects.get(reply) === subject && at(reply) < at(event)),
      );
    if (behind) {
      segments.push(current);
      current = [];
    }
    current.push(event);
  }
  if (current.length > 0) segments.push(current);
  return segments;
};

/**
 * Posts or replies with `card` as its delivery sends it; a refused thread call turns the channel's threads off
 * and posts the card in the channel instead, as a post naming what it follows up.
 */
const sendOne = async (
  send: StatefulSend,
  session: ConversationSession,
  persist: StateWrite,
  card: CliqMessage,
  delivery: Out,
): Promise<{ result: DeliveryResult; how: 'post' | 'reply' | 'fallback' }> => {
  const message = conversationMessage(card, delivery);
  if (delivery.kind === 'post') return { result: await send.post(send.url, message), how: 'post' };
  const target = threadPostUrl(send.url, 'the Cliq URL');
  if (target.ok) {
    const result = await send.post(target.value, message);
    if (result.ok || !threadsForbidden(result)) return { result, how: 'reply' };
    send.log.warn(
      'Cliq refused the thread call: posted in the channel instead; threads off there for a while',
      { channel: send.channel, status: result.status, code: result.code },
    );
  } else {
    // a URL with no thread call (a bot's, not a channel's) cannot thread: Cliq was not asked
    send.log.warn(`${target.error}: posted in the channel instead; threads off there for a while`, {
      channel: send.channel,
    });
  }
  send.counters.count('threads_refused', 'cliq');
  // unwritten, the next reply only tries the thread call again: not worth failing the fallback for
  await persist(
    'threads off',
    { channel: send.channel, source: 'cliq' },
    () => session.threadsRefused(),
    'the refused thread call',
  );
  const fallback = conversationMessage(card, {
    kind: 'post',
    followUp: delivery.followUp,
    ...(delivery.note === undefined ? {} : { note: delivery.note }),
  });
  return { result: await send.post(send.url, fallback), how: 'fallback' };
};
