import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { sha256Hex } from '../util/hash';
import { DELIVERY_STATES, type DeliveryRecord, type DeliveryState, type Versioned } from './store';
import { STATE_TABLE } from './table';

/**
 * The state table's items. A ledger entry lives at (`ledger#<channel>`, `event#<event id>`), a conversation at
 * (`conversation#<channel>`, `subject#<subject>`): one partition per channel and kind, so one channel's ledger
 * can be read with a Query, and no key is ever empty (DynamoDB refuses empty key strings).
 */

export type Item = Record<string, AttributeValue>;

const { partitionKey: PK, sortKey: SK, ttlAttribute: TTL } = STATE_TABLE;

/** DynamoDB's key size limits (bytes); longer ids are keyed by their SHA-256, and kept whole in the item. */
const PARTITION_KEY_BYTES = 2048;
const SORT_KEY_BYTES = 1024;
const keyPart = (prefix: string, id: string, limit: number) =>
  Buffer.byteLength(prefix + id) <= limit ? prefix + id : `${prefix}sha256:${sha256Hex(id)}`;

export const LEDGER_PREFIX = 'ledger#';

export const ledgerPartition = (channel: string): AttributeValue => ({
  S: keyPart(LEDGER_PREFIX, channel, PARTITION_KEY_BYTES),
});

export const ledgerKey = (channel: string, eventId: string): Item => ({
  [PK]: ledgerPartition(channel),
  [SK]: { S: keyPart('event#', eventId, SORT_KEY_BYTES) },
});

export const conversationKey = (channel: string, subject: string): Item => ({
  [PK]: { S: keyPart('conversation#', channel, PARTITION_KEY_BYTES) },
  [SK]: { S: keyPart('subject#', subject, SORT_KEY_BYTES) },
});

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });
const optional = (name: string, value: string | undefined): Item =>
  value === undefined ? {} : { [name]: s(value) };

export const expiresAt = (item: Item): number => Number(item[TTL]?.N ?? 0);

/** A ledger item; `recordedAtMs` lets a Scan filter by time without parsing ISO strings. */
export const deliveryItem = (record: DeliveryRecord, expires: number): Item => ({
  ...ledgerKey(record.channel, record.eventId),
  channel: s(record.channel),
  eventId: s(record.eventId),
  source: s(record.source),
  kind: s(record.kind),
  subject: s(record.subject),
  title: s(record.title),
  state: s(record.state),
  attempts: n(record.attempts),
  receivedAt: s(record.receivedAt),
  recordedAt: s(record.recordedAt),
  recordedAtMs: n(Date.parse(record.recordedAt)),
  latencyMs: n(record.latencyMs),
  ...optional('messageId', record.messageId),
  ...optional('threadMessageId', record.threadMessageId),
  ...optional('reason', record.reason),
  [TTL]: n(expires),
});

/** The table holds only what this module wrote; an item that is not a ledger entry is a broken table. */
const text = (item: Item, name: string): string => {
  const value = item[name]?.S;
  if (value === undefined) throw new Error(`state table item ${item[PK]?.S} has no text attribute ${name}`);
  return value;
};
const number = (item: Item, name: string): number => {
  const value = item[name]?.N;
  if (value === undefined) throw new Error(`state table item ${item[PK]?.S} has no number attribute ${name}`);
  return Number(value);
};
const isState = (value: string): value is DeliveryState =>
  (DELIVERY_STATES as readonly string[]).includes(value);

export const deliveryFromItem = (item: Item): DeliveryRecord => {
  const state = text(item, 'state');
  if (!isState(state)) throw new Error(`state table item ${item[PK]?.S} has an unknown state ${state}`);
  const extra = (name: 'messageId' | 'threadMessageId' | 'reason') => {
    const value = item[name]?.S;
    return value === undefined ? {} : { [name]: value };
  };
  return {
    channel: text(item, 'channel'),
    eventId: text(item, 'eventId'),
    source: text(item, 'source'),
    kind: text(item, 'kind'),
    subject: text(item, 'subject'),
    title: text(item, 'title'),
    state,
    attempts: number(item, 'attempts'),
    receivedAt: text(item, 'receivedAt'),
    recordedAt: text(item, 'recordedAt'),
    latencyMs: number(item, 'latencyMs'),
    ...extra('messageId'),
    ...extra('threadMessageId'),
    ...extra('reason'),
  };
};

/** A conversation item: the value as JSON text (the conversation logic owns its shape), and its version. */
export const conversationItem = (
  channel: string,
  subject: string,
  value: unknown,
  version: number,
  expires: number,
): Item => ({
  ...conversationKey(channel, subject),
  channel: s(channel),
  subject: s(subject),
  value: s(JSON.stringify(value) ?? 'null'),
  version: n(version),
  [TTL]: n(expires),
});

export const conversationFromItem = (item: Item): Versioned<unknown> => ({
  value: JSON.parse(text(item, 'value')) as unknown,
  version: number(item, 'version'),
  expiresAt: expiresAt(item),
});
