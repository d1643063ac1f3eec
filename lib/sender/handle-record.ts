import type { SQSRecord } from 'aws-lambda';
import { resolveChannel } from '../channels';
import type { DeliveryResult } from '../cliq/deliver';
import type { CliqMessage } from '../cliq/message';
import type { Pacer } from '../delivery/pacer';
import { type Post, type Role, soloRole } from '../delivery/plan';
import type { VigilEvent } from '../event/model';
import type { Log } from '../log';
import { type Counters, noCounters } from '../metrics';
import type { DeadLetter, DeadLetterReason } from '../queue/dead-letter';
import type { QueuedMessage } from '../queue/queued-message';
import type { Channel } from '../routing/schema';
import type { SecretSource } from '../secrets';
import type { StateStore } from '../state/store';
import { type Attempt, afterPost, beforePost } from './after-delivery';
import { channelPostUrl } from './decorate';
import { RecentlyDelivered } from './recently-delivered';
import { renderCards } from './render';
import { deliveryKey, ledgerRecord, sendWithState } from './send-with-state';

export interface SenderDeps {
  readonly secrets: SecretSource;
  /** Local runs only: a channel with no URL prints its messages instead of failing. */
  readonly previewWhenUnset: boolean;
  readonly format: (event: VigilEvent) => CliqMessage;
  readonly deliver: (url: string, message: CliqMessage) => Promise<DeliveryResult>;
  readonly preview: (message: CliqMessage, context: { channel: string; event: VigilEvent }) => void;
  readonly deadLetter: DeadLetter;
  /** Spaces posts per Cliq owner and remembers rate-limit locks (one per container). */
  readonly pacer?: Pacer;
  /** Moves a failed record's next delivery out (backoff, or until Cliq's lock lifts). */
  readonly changeVisibility?: (record: SQSRecord, seconds: number) => Promise<void>;
  readonly retry?: {
    readonly baseSeconds: number;
    readonly maxSeconds: number;
    readonly lockSeconds: number;
  };
  /** More events waiting for one channel in a batch than this are merged into digests (`auto`). */
  readonly digestAfter?: number;
  readonly counters?: Counters;
  /** The queue's redrive count: a retryable failure on a record's last receive is dead-lettered here. */
  readonly maxReceiveCount?: number;
  /** Per-channel settings from the routing file (bot to post as, display bot). */
  readonly channels?: Readonly<Record<string, Channel | null | undefined>>;
  /** The delivery ledger and conversations. Without it, every event posts on its own as it always did. */
  readonly state?: StateStore;
  readonly now?: () => number;
  readonly log: Log;
}

/** Thrown for a failure worth retrying: the batch processor reports the record and SQS redelivers it. */
export class TransientDeliveryError extends Error {
  override readonly name = 'TransientDeliveryError';
}

/** Why Cliq's refusal dead-letters a record. */
const refusal = (
  refused: DeliveryResult,
  identity: { kind: string; source: string; channel: string },
): DeadLetterReason => ({
  // a failure worth retrying ends here only on the message's last receive
  reason: !refused.ok && refused.transient ? 'retries_exhausted' : 'cliq_rejected',
  detail: refused.ok ? '' : refused.message,
  ...(refused.ok || refused.status === undefined ? {} : { status: refused.status }),
  ...(refused.ok || refused.code === undefined ? {} : { code: refused.code }),
  ...identity,
});

/**
 * deliver, for one SQS record in the role the batch plan gave it (which carries the record's parsed, validated
 * message): the I/O around renderCards (render.ts) and the retry policy (after-delivery.ts). Returns when done
 * (delivered or dead-lettered); throws TransientDeliveryError when the record must be tried again.
 */
export const createRecordHandler = (
  deps: SenderDeps,
  roleOf: (record: SQSRecord) => Role = soloRole,
  recent: RecentlyDelivered = new RecentlyDelivered(),
) => {
  const { log } = deps;
  const counters = deps.counters ?? noCounters;
  const retry = deps.retry ?? { baseSeconds: 10, maxSeconds: 900, lockSeconds: 600 };
  /** One pacing interval (60 / CLIQ_POSTS_PER_MINUTE, rounded up): the least a lock holds an owner. */
  const pacingSeconds = Math.ceil((deps.pacer?.spacing ?? 1000) / 1000);

  const now = deps.now ?? Date.now;
  /** Dead-letters records, each with its message when it had a valid one (for the delivery ledger). */
  const deadLetterAll = async (
    dead: readonly { readonly record: SQSRecord; readonly message?: QueuedMessage | undefined }[],
    why: DeadLetterReason,
  ) => {
    for (const { record, message } of dead) {
      await deps.deadLetter(record, why);
      counters.count('dead_lettered', why.source ?? 'unknown');
      if (message !== undefined) {
        await deps.state?.recordDelivery(
          ledgerRecord(message.channel, message.event, 'dead_lettered', {
            attempts: Number(record.attributes.ApproximateReceiveCount ?? '1'),
            now: now(),
            reason: why.detail === undefined ? why.reason : `${why.reason}: ${why.detail}`,
          }),
        );
      }
    }
  };

  /**
   * One Cliq post. The retry policy (after-delivery.ts) decides; this does what it says: on a failure worth
   * retrying moves `lead` out (backoff or lock) and throws, and returns a failure to dead-letter.
   */
  const post = async (
    url: string,
    owner: string,
    message: CliqMessage,
    lead: SQSRecord,
    carried: readonly SQSRecord[],
    about: Record<string, unknown>,
  ) => {
    const receivesOf = (record: SQSRecord) => Number(record.attributes.ApproximateReceiveCount ?? '1');
    const attempt: Attempt = {
      receiveCount: receivesOf(lead),
      fewestReceives: Math.min(receivesOf(lead), ...carried.map(receivesOf)),
      maxReceiveCount: deps.maxReceiveCount,
      retry,
      pacingSeconds,
    };
    const exhausted = (failure: DeliveryResult & { ok: false }, detail: Record<string, unknown>) => {
      log.error('retries exhausted on the last receive: dead-lettered', { ...about, ...detail });
      return failure;
    };
    const before = beforePost(deps.pacer?.lockedFor(owner) ?? 0, attempt);
    if (before.kind === 'wait') {
      const failure = {
        ok: false,
        transient: true,
        throttled: true,
        message: `Cliq's rate-limit lock for this owner had ${before.seconds} s left`,
      } as const;
      if (before.lastReceive) return exhausted(failure, { seconds: before.seconds });
      await deps.changeVisibility?.(lead, before.seconds);
      throw new TransientDeliveryError(`Cliq's rate-limit lock for this owner has ${before.seconds} s left`);
    }
    await deps.pacer?.beforePost(owner);
    const result = await deps.deliver(url, message);
    if (result.ok) return result;
    const decision = afterPost(result, attempt);
    const failure = { ...about, status: result.status, code: result.code, detail: result.message };
    switch (decision.kind) {
      case 'locked': {
        const { seconds } = decision;
        deps.pacer?.lock(owner, seconds);
        counters.count('locked', String(about.source));
        if (decision.lastReceive) return exhausted(result, { ...failure, seconds });
        await deps.changeVisibility?.(lead, seconds);
        log.warn('Cliq rate-limit lock: holding this owner', { ...failure, seconds });
        throw new TransientDeliveryError(`Cliq locked this owner for ${seconds} s`);
      }
      case 'exhausted':
        return exhausted(result, failure);
      case 'retry':
        counters.count('retried', String(about.source));
        await deps.changeVisibility?.(lead, decision.seconds);
        log.warn('delivery failed, will retry', { ...failure, retryInSeconds: decision.seconds });
        throw new TransientDeliveryError(`Cliq delivery failed: ${result.message}`);
      default:
        if (decision.kind === 'refused' && decision.formatterBug) {
          // Cliq refused the message itself: a formatter bug worth a loud log line
          log.error('Cliq rejected the formatted message: formatter bug', failure);
        } else {
          log.error('Cliq refused the delivery: dead-lettered', failure);
        }
        return result;
    }
  };

  const send = async (item: Post, lead: SQSRecord): Promise<void> => {
    const messages: readonly QueuedMessage[] = item.kind === 'single' ? [item.message] : item.messages;
    const records = item.kind === 'single' ? [item.record] : item.records;
    const carried = records.map((record, index) => ({ record, message: messages[index] }));
    const first = messages[0];
    if (first === undefined) return;
    const { channel } = first;
    /** The SQS message that carries each event (by identity: two messages may carry equal event ids). */
    const carrier = new Map<VigilEvent, string>();
    messages.forEach((message, index) => {
      carrier.set(message.event, records[index]?.messageId ?? lead.messageId);
    });
    const delivered = (event: VigilEvent) =>
      recent.has(carrier.get(event) ?? lead.messageId, channel, event.id);
    const remember = (event: VigilEvent) =>
      recent.add(carrier.get(event) ?? lead.messageId, channel, event.id);
    // a retried message must not post again what this container already delivered for it
    const pending = messages.filter((message) => !delivered(message.event));
    if (pending.length === 0) return;
    const event = first.event;
    const about = {
      messageId: lead.messageId,
      receiveCount: lead.attributes.ApproximateReceiveCount,
      channel,
      kind: event.kind,
      source: event.source,
      eventId: event.id,
      events: pending.length,
    };
    const identity = { kind: event.kind, source: event.source, channel };
    /**
     * Cliq refused the message carrying these events for good: their records go to the DLQ, each named by
     * its own event, and the item's other cards still go out. Should a later card fail and the item be
     * retried, this container skips them; another container would dead-letter them again (a second copy
     * in the DLQ, which a redrive posts once: the ledger).
     */
    const deadLetterCarriers = async (refused: DeliveryResult, events: readonly VigilEvent[]) => {
      const keys = new Set(events.map(deliveryKey));
      for (const [index, message] of messages.entries()) {
        const record = records[index];
        if (record === undefined || !keys.has(deliveryKey(message.event))) continue;
        const carried = message.event;
        await deadLetterAll(
          [{ record, message }],
          refusal(refused, { kind: carried.kind, source: carried.source, channel }),
        );
        remember(carried);
      }
    };

    const resolved = resolveChannel(channel, await deps.secrets(), {
      previewWhenUnset: deps.previewWhenUnset,
    });
    if (!resolved.ok) {
      log.error('channel not configured: dead-lettered', { ...about, detail: resolved.error });
      await deadLetterAll(carried, { reason: 'channel_not_configured', detail: resolved.error, ...identity });
      return;
    }
    const settings = deps.channels?.[channel] ?? undefined;
    const mentions = [...new Set(pending.flatMap((message) => message.mention ?? []))];
    const rendered = renderCards(
      item.kind === 'single'
        ? { kind: 'single', event }
        : { kind: 'digest', events: pending.map((m) => m.event) },
      deps.format,
      settings,
      mentions,
    );
    if (!rendered.ok) {
      log.error('formatter failed: dead-lettered', { ...about, error: rendered.error });
      await deadLetterAll(carried, { reason: 'format_failed', detail: rendered.error, ...identity });
      return;
    }
    const cards = rendered.value;

    if (resolved.value.kind === 'preview') {
      for (const card of cards) deps.preview(card.message, { channel, event: card.events[0] ?? event });
      for (const message of pending) remember(message.event);
      log.info('previewed', about);
      return;
    }

    const url = channelPostUrl(resolved.value.target.url, settings);
    const owner = lead.attributes.MessageGroupId ?? resolved.value.target.owner;
    if (deps.state !== undefined) {
      let deadLettered = false;
      let posted = 0;
      await sendWithState({
        store: deps.state,
        channel,
        settings,
        url,
        kind: item.kind,
        pending,
        ...(item.kind === 'single' && cards[0] !== undefined ? { card: cards[0].message } : {}),
        lead,
        post: async (target, message) => {
          const result = await post(target, owner, message, lead, records, about);
          if (result.ok) posted += 1;
          return result;
        },
        refuse: async (refused, events) => {
          deadLettered = true;
          await deadLetterCarriers(refused, events);
        },
        delivered: (events, digested) => {
          for (const delivered of events) remember(delivered);
          counters.count('delivered', event.source, events.length);
          if (digested) counters.count('digested', event.source, events.length);
        },
        counters,
        log,
        now,
      });
      // nothing posted (a CI run that changed nothing, an event the ledger already has) is no delivery
      if (!deadLettered && posted > 0)
        log.info(item.kind === 'digest' ? 'delivered a digest' : 'delivered', about);
      return;
    }
    let posted = 0;
    for (const card of cards) {
      const refused = await post(url, owner, card.message, lead, records, about);
      if (!refused.ok) {
        await deadLetterCarriers(refused, card.events);
        continue;
      }
      posted += 1;
      for (const sent of card.events) remember(sent);
      counters.count('delivered', event.source, card.events.length);
      if (item.kind === 'digest') counters.count('digested', event.source, card.events.length);
    }
    if (posted > 0) log.info(item.kind === 'digest' ? 'delivered a digest' : 'delivered', about);
  };

  return async (record: SQSRecord): Promise<void> => {
    const role = roleOf(record);
    switch (role.kind) {
      case 'covered':
        return;
      case 'lead':
        for (const item of role.posts) await send(item, record);
        return;
      case 'invalid':
        log.error('invalid queued message: dead-lettered', {
          messageId: record.messageId,
          detail: role.error,
        });
        await deadLetterAll([{ record }], { reason: 'invalid_message', detail: role.error });
        return;
      case 'own':
        await send({ kind: 'single', record, message: role.message }, record);
    }
  };
};
