import {
  CONVERSATION_TTL_SECONDS,
  type DeliveryFilter,
  type DeliveryRecord,
  deliveryFilter,
  LEDGER_TTL_SECONDS,
  type StateStore,
  type Versioned,
} from './store';

interface Expiring<T> {
  readonly item: T;
  readonly expiresAt: number;
}

/** The state store in one process's memory, with the same semantics as the DynamoDB one (tests of logic). */
export const memoryStateStore = (now: () => number = Date.now): StateStore => {
  const deliveries = new Map<string, Expiring<DeliveryRecord>>();
  const conversations = new Map<string, Expiring<Versioned<unknown>>>();
  const live = <T>(entry: Expiring<T> | undefined): T | undefined =>
    entry === undefined || entry.expiresAt * 1000 <= now() ? undefined : entry.item;
  const key = (a: string, b: string) => `${a}\n${b}`;
  const clone = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

  return {
    async getDelivery(channel, eventId) {
      return clone(live(deliveries.get(key(channel, eventId))));
    },
    async recordDelivery(record) {
      const existing = live(deliveries.get(key(record.channel, record.eventId)));
      if (existing !== undefined && existing.state !== 'dead_lettered') return false;
      deliveries.set(key(record.channel, record.eventId), {
        item: clone(record),
        expiresAt: Math.floor(now() / 1000) + LEDGER_TTL_SECONDS,
      });
      return true;
    },
    async *listDeliveries(filter: DeliveryFilter) {
      const matches = deliveryFilter(filter);
      const records = [...deliveries.values()]
        .map((entry) => live(entry))
        .filter((record): record is DeliveryRecord => record !== undefined && matches(record))
        .sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
      for (const record of records) yield clone(record);
    },
    async getConversation(channel, subject) {
      const entry = conversations.get(key(channel, subject));
      const item = live(entry);
      return item === undefined || entry === undefined
        ? undefined
        : { ...clone(item), expiresAt: entry.expiresAt };
    },
    async putConversation(channel, subject, value, expected) {
      const current = live(conversations.get(key(channel, subject)));
      if ((current?.version ?? undefined) !== expected) return false;
      conversations.set(key(channel, subject), {
        item: { value: clone(value), version: (expected ?? 0) + 1 },
        expiresAt: Math.floor(now() / 1000) + CONVERSATION_TTL_SECONDS,
      });
      return true;
    },
  };
};
