import { orderKey } from '../delivery/plan';
import { parseQueuedMessage } from '../queue/queued-message';
import type { OutboxEntry } from './entry';

/** What a channel keeps in order: a subject (lib/delivery/plan.ts's orderKey) in one channel. */
const streamOf = (entry: OutboxEntry): { key: string; critical: boolean } | undefined => {
  const parsed = parseQueuedMessage(entry.body);
  if (!parsed.ok) return undefined;
  const { channel, event } = parsed.value;
  return { key: `${channel}\n${orderKey(event)}`, critical: event.severity === 'critical' };
};

/**
 * The owner's outbox with `arrived` joined to it, so that each subject's events keep their order in the
 * channel when some of them are held (`hold_during`, `digest: hourly | daily`).
 *
 * - An event arriving behind a held event of its subject waits behind it: it is held as long (the later of
 *   the two ends) and goes out with it, in order. Otherwise a route that holds only some of a subject's
 *   events (or a hold ending sooner) would post the later event first.
 * - A critical event that routing let through its hold (issue 18: "critical ones pass", unless
 *   `hold_critical: true`) is not kept back, and it takes its subject's held events with it, ahead of it.
 *   Letting it pass alone would break the subject's story twice: the channel would read "critical firing",
 *   then hours later the warning and the resolve that came before it, last, as if the service had
 *   recovered; and the conversation would decide those older events against the critical one's state (a
 *   held resolve replying "resolved" in the critical alert's thread). The channel is posted to now anyway,
 *   so the earlier events of that one subject cost no one's quiet hours, and everything else stays held.
 *
 * Pure: entries whose body does not parse are left as they are (the sender dead-letters them).
 */
export const joinArrivals = (
  waiting: readonly OutboxEntry[],
  arrived: readonly OutboxEntry[],
  at: number,
): OutboxEntry[] => {
  const entries = [...waiting];
  /** Per subject, its latest held event still waiting: until when, and why. */
  const held = new Map<string, { notBefore: number; held: string; indexes: number[] }>();
  const note = (key: string, entry: OutboxEntry, index: number) => {
    if ((entry.notBefore ?? 0) <= at) return;
    const before = held.get(key);
    held.set(key, {
      notBefore: Math.max(before?.notBefore ?? 0, entry.notBefore ?? 0),
      held: entry.held ?? before?.held ?? 'held',
      indexes: [...(before?.indexes ?? []), index],
    });
  };
  for (const [index, entry] of entries.entries()) {
    if ((entry.notBefore ?? 0) <= at) continue;
    const stream = streamOf(entry);
    if (stream !== undefined) note(stream.key, entry, index);
  }
  for (const entry of arrived) {
    const stream = streamOf(entry);
    const behind = stream === undefined ? undefined : held.get(stream.key);
    if (stream === undefined || behind === undefined) {
      entries.push(entry);
      if (stream !== undefined) note(stream.key, entry, entries.length - 1);
      continue;
    }
    if (stream.critical && entry.notBefore === undefined) {
      // it passes, and its subject's held events go out now, ahead of it, as they would have without a hold
      for (const index of behind.indexes) {
        const { notBefore: _, held: __, ...released } = entries[index] as OutboxEntry;
        entries[index] = released;
      }
      held.delete(stream.key);
      entries.push(entry);
      continue;
    }
    const waits: OutboxEntry = {
      ...entry,
      notBefore: Math.max(entry.notBefore ?? 0, behind.notBefore),
      held: entry.held ?? behind.held,
    };
    entries.push(waits);
    note(stream.key, waits, entries.length - 1);
  }
  return entries;
};
