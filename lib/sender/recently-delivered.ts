/**
 * Event ids this container delivered per channel, most recent kept. A lead record that posts several
 * cards (critical events, then digests) and fails part-way is retried; this keeps the retry from posting
 * again what already went out.
 */
export class RecentlyDelivered {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  has(channel: string, eventId: string): boolean {
    return this.keys.has(`${channel}\n${eventId}`);
  }

  add(channel: string, eventId: string): void {
    const key = `${channel}\n${eventId}`;
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
  }
}
