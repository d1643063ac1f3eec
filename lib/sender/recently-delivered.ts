/**
 * What this container already posted, per SQS message: a lead record that posts several cards (critical
 * events, then digests) and fails part-way is retried, and this keeps the retry from posting again what
 * already went out.
 *
 * Keyed by the SQS message id, which SQS gives a retried message again and never gives another message. A
 * later notification of the same state (Alertmanager's `repeat_interval` reminder, after SQS's 5-minute
 * deduplication window) arrives as a new message and is posted, however long the container stays warm. The
 * capacity bounds memory; age does not matter, as no entry can ever match a different message.
 */
export class RecentlyDelivered {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  has(messageId: string, channel: string, eventId: string): boolean {
    return this.keys.has(keyOf(messageId, channel, eventId));
  }

  add(messageId: string, channel: string, eventId: string): void {
    const key = keyOf(messageId, channel, eventId);
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
  }
}

const keyOf = (messageId: string, channel: string, eventId: string): string =>
  `${messageId}\n${channel}\n${eventId}`;
