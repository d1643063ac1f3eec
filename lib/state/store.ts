import { globRegExp } from '../util/glob';

/**
 * What the sender remembers across containers and restarts: the delivery ledger (exactly once, and the
 * delivery log operators read) and each conversation's state per channel and subject. In AWS one DynamoDB
 * table holds both (lib/state/dynamo-store.ts owns it); logic tests may use the in-memory store.
 */

/** `unchanged`: nothing was posted because nothing changed (a CI success after a success, a folded CI job). */
export const DELIVERY_STATES = ['delivered', 'digested', 'unchanged', 'dead_lettered'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface DeliveryRecord {
  readonly channel: string;
  readonly eventId: string;
  readonly source: string;
  readonly kind: string;
  /** The event's conversation subject key. */
  readonly subject: string;
  readonly title: string;
  readonly state: DeliveryState;
  /** SQS receives of the message when this was recorded (ApproximateReceiveCount). */
  readonly attempts: number;
  /** When ingest received the webhook (ISO). */
  readonly receivedAt: string;
  /** When it was delivered, digested or dead-lettered (ISO). */
  readonly recordedAt: string;
  /** recordedAt − receivedAt. */
  readonly latencyMs: number;
  /** Cliq's id of the message that carried it (the digest's, for a digested event), where Cliq gave one. */
  readonly messageId?: string;
  /** The parent message id, when it went out as a reply in that message's thread. */
  readonly threadMessageId?: string;
  /** Why, for a dead-lettered event. */
  readonly reason?: string;
}

export interface Versioned<T> {
  readonly value: T;
  /** Increases by one with every successful put; the first put writes version 1. */
  readonly version: number;
  /** When the store forgets it unless it is written again (epoch seconds), where the store says. */
  readonly expiresAt?: number;
}

export interface DeliveryFilter {
  /** Only records at or after this time. */
  readonly since?: Date;
  /** A glob over the subject key (`*` any run of characters, `?` one). */
  readonly subject?: string;
  readonly channel?: string;
}

export interface StateStore {
  /** The ledger entry for (channel, event id); undefined when absent or expired. Strongly consistent. */
  getDelivery(channel: string, eventId: string): Promise<DeliveryRecord | undefined>;
  /**
   * Records with a conditional write. False, writing nothing, when (channel, event id) is already recorded as
   * delivered or digested; a dead_lettered entry may be replaced (the event was redriven and delivered).
   */
  recordDelivery(record: DeliveryRecord): Promise<boolean>;
  /** Matching ledger entries, newest first. */
  listDeliveries(filter: DeliveryFilter): AsyncIterable<DeliveryRecord>;
  /** A conversation's state (JSON the conversation logic defines); undefined when absent or expired. */
  getConversation(channel: string, subject: string): Promise<Versioned<unknown> | undefined>;
  /** Writes if the stored version is still `expected` (undefined: none may exist). False on a conflict. */
  putConversation(
    channel: string,
    subject: string,
    value: unknown,
    expected: number | undefined,
  ): Promise<boolean>;
}

/** How long the ledger remembers a delivery: SQS's longest retention, so no redelivery outlives it. */
export const LEDGER_TTL_SECONDS = 14 * 24 * 3600;
/** How long a quiet conversation is remembered before its next event opens a new thread. */
export const CONVERSATION_TTL_SECONDS = 90 * 24 * 3600;

/** A predicate for one filter (its subject glob compiled once, case-sensitive as subject keys are). */
export const deliveryFilter = (filter: DeliveryFilter): ((record: DeliveryRecord) => boolean) => {
  const subject =
    filter.subject === undefined ? undefined : globRegExp(filter.subject, { ignoreCase: false });
  const since = filter.since?.getTime();
  return (record) =>
    (since === undefined || Date.parse(record.recordedAt) >= since) &&
    (filter.channel === undefined || record.channel === filter.channel) &&
    (subject === undefined || subject.test(record.subject));
};
