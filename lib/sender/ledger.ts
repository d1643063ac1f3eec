import type { AnyEvent } from '../event/fields';
import type { VigilEvent } from '../event/model';
import { type EventSources, SENDER_SOURCES } from '../sources/events';
import type { DeliveryRecord, DeliveryState } from '../state/store';

/** The ledger's keys for events of `sources`: the sender's, or more in a test. */
export const ledgerKeys = (sources: EventSources) => ({
  /** What an event is about: its conversation subject, or its source and subject name. */
  subject: (event: AnyEvent): string =>
    sources.subject(event)?.key ?? `${event.source}:${event.subject.name}`,
  /**
   * Which delivery it is. A signed delivery's `identity` (its signed bytes) comes first: a replay under a new
   * id header is then the same event (a Grafana reminder signs a new timestamp). Otherwise its source says
   * (SourceEvents.deliveryKey): most ids name one delivery, so the ledger posts it once for its lifetime; an
   * alert group's names its state, and its receipt time tells a reminder from a redelivery.
   */
  deliveryKey: (event: AnyEvent): string => event.identity ?? sources.deliveryKey(event),
});

const keys = ledgerKeys(SENDER_SOURCES);

/** The ledger's key for what an event is about (see ledgerKeys). */
export const ledgerSubject = (event: VigilEvent): string => keys.subject(event);

/** The ledger's key for an event (see ledgerKeys). */
export const deliveryKey = (event: VigilEvent): string => keys.deliveryKey(event);

export const ledgerRecord = (
  channel: string,
  event: VigilEvent,
  state: DeliveryState,
  context: {
    attempts: number;
    now: number;
    messageId?: string | undefined;
    threadMessageId?: string | undefined;
    reason?: string;
  },
): DeliveryRecord => ({
  channel,
  eventId: deliveryKey(event),
  source: event.source,
  kind: event.kind,
  subject: ledgerSubject(event),
  title: event.title,
  state,
  attempts: context.attempts,
  receivedAt: event.receivedAt,
  recordedAt: new Date(context.now).toISOString(),
  latencyMs: Math.max(0, context.now - Date.parse(event.receivedAt)),
  ...(context.messageId === undefined ? {} : { messageId: context.messageId }),
  ...(context.threadMessageId === undefined ? {} : { threadMessageId: context.threadMessageId }),
  ...(context.reason === undefined ? {} : { reason: context.reason }),
});
