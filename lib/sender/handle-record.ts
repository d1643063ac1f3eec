import type { SQSRecord } from 'aws-lambda';
import { resolveChannel } from '../channels';
import type { DeliveryResult } from '../cliq/deliver';
import { type Post, type Role, soloRole } from '../delivery/plan';
import type { VigilEvent } from '../event/model';
import { noCounters } from '../metrics';
import type { QueuedMessage } from '../queue/queued-message';
import { isLastReceive } from './after-delivery';
import { createDeadLetterRecords, refusal } from './dead-letter-records';
import { channelPostUrl } from './decorate';
import type { SenderDeps } from './deps';
import { deliveryKey } from './ledger';
import { createPoster, TransientDeliveryError } from './post';
import { receiveCount } from './receive-count';
import { RecentlyDelivered } from './recently-delivered';
import { renderCards } from './render';
import { sendWithState } from './send-with-state';
import { createStateWrite } from './state-write';
import { readSecrets, unexpectedFailure } from './unexpected';

/**
 * deliver, for one SQS record in the role the batch plan gave it (which carries the record's parsed, validated
 * message): the I/O around renderCards (render.ts) and the retry policy (after-delivery.ts). Returns when done
 * (delivered or dead-lettered); throws TransientDeliveryError (post.ts) when the record must be tried again.
 */
export const createRecordHandler = (
  deps: SenderDeps,
  roleOf: (record: SQSRecord) => Role = soloRole,
  recent: RecentlyDelivered = new RecentlyDelivered(),
) => {
  const { log } = deps;
  const counters = deps.counters ?? noCounters;
  const now = deps.now ?? Date.now;
  const persist = createStateWrite({ log, counters, sleep: deps.sleep });
  const deadLetterAll = createDeadLetterRecords(deps, counters, now, persist);
  const post = createPoster(deps, counters);

  /** A post's messages, each with the SQS record that carries it, and what this container did for them. */
  const carriersOf = (item: Post, lead: SQSRecord) => {
    const messages: readonly QueuedMessage[] = item.kind === 'single' ? [item.message] : item.messages;
    const records = item.kind === 'single' ? [item.record] : item.records;
    /** Each message with the SQS record that carries it (the plan lists them side by side). */
    const carried = messages.map((message, index) => ({ message, record: records[index] ?? lead }));
    const channel = messages[0]?.channel ?? '';
    /** The SQS message that carries each event (by identity: two messages may carry equal event ids). */
    const carrier = new Map(carried.map(({ message, record }) => [message.event, record.messageId]));
    const delivered = (event: VigilEvent) =>
      recent.has(carrier.get(event) ?? lead.messageId, channel, event.id);
    const remember = (event: VigilEvent) =>
      recent.add(carrier.get(event) ?? lead.messageId, channel, event.id);
    return { messages, records, carried, channel, delivered, remember };
  };

  const send = async (item: Post, lead: SQSRecord): Promise<void> => {
    const { messages, records, carried, channel, delivered, remember } = carriersOf(item, lead);
    const first = messages[0];
    if (first === undefined) return;
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
      for (const entry of carried) {
        if (!keys.has(deliveryKey(entry.message.event))) continue;
        const { kind, source } = entry.message.event;
        await deadLetterAll([entry], refusal(refused, { kind, source, channel }));
        remember(entry.message.event);
      }
    };

    const resolved = resolveChannel(channel, await readSecrets(deps.secrets), {
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
    /** One card carrying these events went out: this container will not post them again, and they count. */
    const wentOut = (events: readonly VigilEvent[], digested: boolean) => {
      for (const sent of events) remember(sent);
      counters.count('delivered', event.source, events.length);
      if (digested) counters.count('digested', event.source, events.length);
    };
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
        ...(deps.summarize === true ? { summarize: true } : {}),
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
        delivered: wentOut,
        counters,
        log,
        now,
        persist,
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
      wentOut(card.events, item.kind === 'digest');
    }
    if (posted > 0) log.info(item.kind === 'digest' ? 'delivered a digest' : 'delivered', about);
  };

  /**
   * `send`, and on the last receive of the records still to send, a failure that is not Cliq's (the state
   * table, Secrets Manager, a bug) dead-letters them with its reason, as post.ts does for Cliq's: SQS would
   * move the record on its next receive without a reason, and every record behind it in its group, untried.
   * Before that, it throws: the record backs off and is retried (handler.ts).
   */
  const sendOrDeadLetter = async (item: Post, lead: SQSRecord): Promise<void> => {
    try {
      await send(item, lead);
    } catch (error) {
      if (error instanceof TransientDeliveryError) throw error;
      const { records, carried, channel, delivered, remember } = carriersOf(item, lead);
      const lastReceive = isLastReceive({
        receiveCount: receiveCount(lead),
        fewestReceives: Math.min(receiveCount(lead), ...records.map(receiveCount)),
        maxReceiveCount: deps.maxReceiveCount,
      });
      if (!lastReceive) throw error;
      const left = carried.filter(({ message }) => !delivered(message.event));
      for (const entry of left) {
        const { kind, source } = entry.message.event;
        const why = unexpectedFailure(error, { kind, source, channel });
        log.error('failed on the last receive, not by Cliq: dead-lettered', {
          messageId: entry.record.messageId,
          receiveCount: entry.record.attributes.ApproximateReceiveCount,
          channel,
          kind,
          source,
          eventId: entry.message.event.id,
          reason: why.reason,
          error: why.code,
          detail: why.detail,
        });
        await deadLetterAll([entry], why);
        remember(entry.message.event);
      }
    }
  };

  return async (record: SQSRecord): Promise<void> => {
    const role = roleOf(record);
    switch (role.kind) {
      case 'covered':
        return;
      case 'lead':
        for (const item of role.posts) await sendOrDeadLetter(item, record);
        return;
      case 'invalid':
        log.error('invalid queued message: dead-lettered', {
          messageId: record.messageId,
          detail: role.error,
        });
        await deadLetterAll([{ record }], { reason: 'invalid_message', detail: role.error });
        return;
      case 'own':
        await sendOrDeadLetter({ kind: 'single', record, message: role.message }, record);
    }
  };
};
